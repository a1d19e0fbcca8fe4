"""Run the app with uvicorn: bounded queries and a shutdown on SIGTERM within seconds."""

from __future__ import annotations

from pathlib import Path

from kg_reasoner.qa.loading import LoadedQA
from kg_reasoner.serve.app import create_app
from kg_reasoner.serve.query_worker import QueryLimits
from kg_reasoner.serve.reload import Reopen

SHUTDOWN_SECONDS = 2
"""How long SIGTERM (or Ctrl-C) waits for requests in flight; running queries are then killed."""


def serve(
    loaded: LoadedQA,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    limits: QueryLimits | None = None,
    log_level: str = "info",
    graph_dir: str | Path | None = None,
    reopen: Reopen | None = None,
    reload_seconds: float = 2.0,
) -> None:
    """Serve until SIGTERM or SIGINT; with ``graph_dir`` and ``reopen``, newer builds of that
    directory are served once committed (see :class:`kg_reasoner.serve.reload.LiveQA`)."""
    import uvicorn

    uvicorn.run(
        create_app(
            loaded,
            limits=limits,
            graph_dir=graph_dir,
            reopen=reopen,
            reload_seconds=reload_seconds,
        ),
        host=host,
        port=port,
        log_level=log_level,
        timeout_graceful_shutdown=SHUTDOWN_SECONDS,
    )


__all__ = ["SHUTDOWN_SECONDS", "serve"]
