"""An ASGI middleware that caps request bodies by the bytes actually received.

``Content-Length`` is checked first, but a chunked body has none, so the body is read here (at
most ``max_bytes`` of it) and replayed to the app; past the cap the reply is 413 and the rest of
the body is first read and dropped for a short while (so a client still sending gets the 413
rather than a reset connection), never kept.
"""

from __future__ import annotations

import asyncio
import json
from contextlib import suppress
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]


class BodyLimit:
    """Refuse HTTP requests whose body exceeds ``max_bytes`` with 413, before the app runs."""

    def __init__(self, app: Any, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message], receive), send)
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                if message.get("more_body", False):
                    await _drain(receive, 16 * self.max_bytes)
                await self._refuse(send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([whole], receive), send)

    async def _refuse(self, send: Any) -> None:
        detail = json.dumps({"detail": f"request body larger than {self.max_bytes} bytes"})
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(detail)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": detail.encode()})


LINGER_SECONDS = 2.0
"""How long the rest of a refused body may be read and dropped before the 413."""


async def _drain(receive: Any, max_bytes: int) -> None:
    """Read and drop what the client is still sending, at most ``max_bytes`` of it and for at
    most :data:`LINGER_SECONDS`, before the 413 and the close: a connection closed while the
    client sends is reset, and the client loses the 413 (the lingering close of HTTP servers).
    A body that goes on past that is cut off; nothing is kept, so it costs no memory."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + LINGER_SECONDS
    dropped = 0
    with suppress(TimeoutError):
        while dropped <= max_bytes and (left := deadline - loop.time()) > 0:
            message = await asyncio.wait_for(receive(), timeout=left)
            if message["type"] != "http.request" or not message.get("more_body", False):
                return
            dropped += len(message.get("body", b""))


def _replay(messages: list[Message], receive: Any) -> Any:
    """A ``receive`` that hands out ``messages`` first, then waits on the real one."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


__all__ = ["BodyLimit"]
