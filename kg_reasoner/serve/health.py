"""What `/health` reports: requests in flight, how long the oldest has run, stuck or overloaded."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class InFlight:
    """Counts requests of one kind while they run (or wait), with their start times."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started: dict[int, float] = {}
        self._next = 0

    @contextmanager
    def track(self) -> Iterator[None]:
        with self._lock:
            key, self._next = self._next, self._next + 1
            self._started[key] = time.monotonic()
        try:
            yield
        finally:
            with self._lock:
                self._started.pop(key, None)

    def ages(self) -> list[float]:
        """Seconds since each request in flight started."""
        now = time.monotonic()
        with self._lock:
            return [now - t for t in self._started.values()]


def server_state(
    *, ask_ages: list[float], query_ages: list[float], max_queries: int, stuck_seconds: float
) -> dict[str, object]:
    """``status`` is ``stuck`` when a request has run past ``stuck_seconds``, ``overloaded``
    when every query slot is taken, else ``ok``; with the counts behind it."""
    oldest = max([*ask_ages, *query_ages], default=0.0)
    if oldest > stuck_seconds:
        status = "stuck"
    elif len(query_ages) >= max_queries:
        status = "overloaded"
    else:
        status = "ok"
    return {
        "status": status,
        "asks_in_flight": len(ask_ages),
        "queries_running": len(query_ages),
        "max_queries": max_queries,
        "oldest_request_seconds": round(oldest, 3),
    }


__all__ = ["InFlight", "server_state"]
