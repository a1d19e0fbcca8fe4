"""The graph the server answers from, reopened when its directory records a newer build.

The server opens a snapshot of the store; `kgr build` (or `kgr delete`) in another process
later commits and bumps the directory's build generation (:mod:`kg_reasoner.graph.generation`).
A background thread reads that counter every ``check_seconds`` (a tiny file read, never the
store) and, when it grew, opens the graph again and swaps the new answerer in. Requests in
flight finish on the snapshot they started with; no request waits for a reopen. A graph without
a directory (a `--model` run's knowledge base) is never reopened: ``/health`` says a restart is
needed to change it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg_reasoner.graph.generation import Generation, read_generation
from kg_reasoner.qa.loading import LoadedQA

Reopen = Callable[[LoadedQA], LoadedQA]


class LiveQA:
    """Holds the current :class:`LoadedQA`; :meth:`check` reopens it on a newer generation."""

    def __init__(
        self,
        loaded: LoadedQA,
        *,
        graph_dir: str | Path | None = None,
        reopen: Reopen | None = None,
        check_seconds: float = 2.0,
    ) -> None:
        self._loaded = loaded
        self.graph_dir = Path(graph_dir) if graph_dir is not None else None
        self._reopen = reopen if self.graph_dir is not None else None
        self.check_seconds = check_seconds
        self.served: Generation | None = (
            read_generation(self.graph_dir) if self.graph_dir is not None else None
        )
        self.loaded_at = _now()
        self.error = ""
        self._swap_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._cache: dict[str, Any] = {}

    @property
    def current(self) -> LoadedQA:
        """The answerer and graph to use for one request (take it once per request)."""
        return self._loaded

    def cached(self, key: str, compute: Callable[[LoadedQA], Any]) -> Any:
        """``compute(current)``, computed once per served build."""
        loaded = self._loaded
        entry = self._cache.get(key)
        if entry is None or entry[0] is not loaded:
            entry = (loaded, compute(loaded))
            self._cache[key] = entry
        return entry[1]

    def check(self) -> bool:
        """Reopen the graph when its directory records a newer build; True when it did."""
        if self.graph_dir is None or self._reopen is None:
            return False
        with self._swap_lock:
            on_disk = read_generation(self.graph_dir)  # read before opening: never newer than it
            if self.served is not None and on_disk.number == self.served.number:
                return False
            try:
                fresh = self._reopen(self._loaded)
                fresh.graph.sparql("ASK { }")  # lazy store state is built before query forks
            except Exception as exc:  # keep serving the old build; retried at the next check
                self.error = f"reopening build {on_disk.number} failed (retrying): {exc}"
                return False
            self._loaded, self.served, self.loaded_at, self.error = fresh, on_disk, _now(), ""
            self._cache.clear()  # holds the old build otherwise
            return True

    def state(self) -> dict[str, Any]:
        """What `/health` and the page say about the build being served."""
        if self.graph_dir is None or self.served is None:
            return {
                "generation": None,
                "reload": "none: this graph has no build directory; restart the server to "
                "serve a changed knowledge base",
            }
        on_disk = read_generation(self.graph_dir)  # one tiny file read
        return {
            "generation": self.served.number,
            "committed_at": self.served.committed_at or None,
            "loaded_at": self.loaded_at,
            "on_disk_generation": on_disk.number,
            "newer_build_waiting": on_disk.number != self.served.number,
            "reload": (
                f"automatic: newer builds are picked up within {self.check_seconds:g} s"
                if self._reopen is not None and self.check_seconds > 0
                else "off: restart the server to serve a newer build"
            ),
            "reload_error": self.error or None,
        }

    def start(self) -> None:
        """Check in a background thread every ``check_seconds`` (0 turns checking off)."""
        if self._reopen is None or self.check_seconds <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._watch, name="kgr-reload", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _watch(self) -> None:
        while not self._stop.wait(self.check_seconds):
            self.check()


def reopen_qa(graph_dir: str | Path, model: str | Path | None = None) -> Reopen:
    """How `kgr serve --graph DIR` reopens its graph: a zero-shot answerer keeps its language
    model (only the graph and its index are read again); a trained one is loaded again."""

    def reopen(old: LoadedQA) -> LoadedQA:
        from kg_reasoner.pipelines import reload_answerer

        return reload_answerer(old, graph=graph_dir, model=model)

    return reopen


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


__all__ = ["LiveQA", "Reopen", "reopen_qa"]
