"""SPARQL queries in forked worker processes, killed at a time limit.

Neither store can interrupt a running query (a ``COUNT(*)`` over a cross product is one long
native call), so each query runs in a child forked from the server: it sees the loaded graph
without copying or reopening it, and killing it stops the work, not just the reply. A query
still running after half a second is moved to a lower CPU priority, so the server's own
requests come first. Queries run side by side, at most ``max_running`` at once; a query arriving
while every slot is taken waits up to ``wait_seconds`` for one (a burst of small queries clears
in well under that), then it is refused as overloaded. A query may also grow its worker's memory
by at most ``memory_mb`` (the data segment limit, set in the child): a sort over a cross join
that would take gigabytes fails its allocation and is reported, and the server is untouched.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import resource
import signal
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from kg_reasoner.errors import KGReasonerError, QueryError


@dataclass(frozen=True)
class QueryLimits:
    """Limits on one SPARQL query: wall time, rows returned, memory it may add to its worker,
    queries running at once, and how long a query waits for a free slot before a 503."""

    seconds: float = 10.0
    max_rows: int = 1_000
    max_running: int = 4
    wait_seconds: float = 1.0
    memory_mb: int = 1_024

    def __post_init__(self) -> None:
        if self.seconds <= 0 or self.max_rows < 1 or self.max_running < 1:
            raise QueryError(
                "query limits must be positive: a time limit in seconds > 0, at least 1 row "
                "and at least 1 query at a time"
            )
        if self.wait_seconds < 0:
            raise QueryError("the wait for a free query slot must be 0 seconds or more")
        if self.memory_mb < 16:
            raise QueryError("a query's memory limit must be at least 16 MB")


LONG_QUERY_SECONDS = 0.5
"""A query still running after this long drops to :data:`LONG_QUERY_NICENESS`."""
LONG_QUERY_NICENESS = 10
"""How much lower a long query's CPU priority is than the server's: it then takes only the CPU
that /ask, /entity and short queries leave over (the load benchmark measured /ask three times
slower under 5 pathological queries at equal priority). Short queries keep full priority."""


class ServerBusyError(KGReasonerError):
    """Too many queries are running; retry shortly."""


@dataclass(frozen=True)
class QueryAnswer:
    """Rows (at most ``max_rows``; ASK gives one ``boolean`` row) and whether more were cut."""

    rows: list[dict[str, str]]
    truncated: bool


class QueryRunner:
    """Runs read-only SPARQL on ``graph`` (anything with ``sparql(query)``) under limits."""

    def __init__(self, graph: Any, limits: QueryLimits | None = None) -> None:
        self.graph = graph
        self.limits = limits or QueryLimits()
        self._context = multiprocessing.get_context("fork")
        self._slots = threading.BoundedSemaphore(self.limits.max_running)
        self._lock = threading.Lock()
        self._running: dict[int, tuple[Any, float]] = {}
        graph.sparql("ASK { }")  # build lazy state (e.g. an in-memory store) once, before forks

    def run(self, query: str, graph: Any = None) -> QueryAnswer:
        """Run ``query`` in a child process; :class:`QueryError` when it fails or takes too long.

        ``graph`` (default: the one given at construction) is the graph of the served build."""
        if not self._slots.acquire(timeout=self.limits.wait_seconds):
            raise ServerBusyError(
                f"{self.limits.max_running} queries are already running: retry in a few seconds"
            )
        try:
            status, payload = self._run_in_child(query, self.graph if graph is None else graph)
        finally:
            self._slots.release()
        if status == "error":
            raise QueryError(payload)
        rows, truncated = payload
        return QueryAnswer(rows, truncated)

    def _run_in_child(self, query: str, graph: Any) -> tuple[str, Any]:
        receiver, sender = self._context.Pipe(duplex=False)
        child = self._context.Process(
            target=_answer,
            args=(graph, query, self.limits.max_rows, self.limits.memory_mb, sender),
            daemon=True,
        )
        child.start()
        sender.close()
        with self._lock:
            self._running[id(child)] = (child, time.monotonic())
        try:
            if not receiver.poll(min(LONG_QUERY_SECONDS, self.limits.seconds)):
                _lower_priority(child.pid)
            if not receiver.poll(max(self.limits.seconds - LONG_QUERY_SECONDS, 0.0)):
                raise QueryError(
                    f"the query was stopped at the time limit of {self.limits.seconds:g} s: "
                    "add a LIMIT, or bind more of its variables to constants"
                )
            return receiver.recv()  # type: ignore[no-any-return]
        except EOFError:
            child.join(timeout=5)
            if child.exitcode == -signal.SIGABRT:  # a native store aborts on a failed allocation
                raise QueryError(_memory_message(self.limits.memory_mb)) from None
            raise QueryError(
                "the query was stopped before it finished (the server is shutting down)"
            ) from None
        finally:
            with self._lock:
                self._running.pop(id(child), None)
            if child.is_alive():
                child.kill()
            child.join(timeout=5)
            receiver.close()

    def running_seconds(self) -> list[float]:
        """How long each running query has been running."""
        now = time.monotonic()
        with self._lock:
            return [now - started for _, started in self._running.values()]

    def stop_all(self) -> None:
        """Kill every running query (on shutdown): their requests get a QueryError."""
        with self._lock:
            children = [child for child, _ in self._running.values()]
        for child in children:
            if child.is_alive():
                child.kill()
        for child in children:  # reaped before the server exits (a worker in disk I/O dies late)
            child.join(timeout=5)


def _lower_priority(pid: int | None) -> None:
    """Renice a worker by :data:`LONG_QUERY_NICENESS` (a no-op once it has exited)."""
    if pid is None:
        return
    with suppress(OSError):  # it finished in the meantime
        niceness = os.getpriority(os.PRIO_PROCESS, pid) + LONG_QUERY_NICENESS
        os.setpriority(os.PRIO_PROCESS, pid, niceness)


def _memory_message(memory_mb: int) -> str:
    return (
        f"the query was stopped: it needed more than {memory_mb} MB of memory; add a LIMIT, "
        "bind more of its variables to constants, or drop ORDER BY over large results"
    )


def _cap_memory(memory_mb: int) -> None:
    """Let this process's data segment grow by at most ``memory_mb`` from what it holds now
    (what it shares with the server after the fork counts as held)."""
    with suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as status:
            held = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmData"))
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        resource.setrlimit(resource.RLIMIT_DATA, (held + memory_mb * 2**20, hard))


def _answer(graph: Any, query: str, max_rows: int, memory_mb: int, sender: Any) -> None:
    """In the child: run the query and send ``(status, payload)`` back. Its stderr goes to
    /dev/null: a native store's allocation failure prints a backtrace there, and every other
    failure is sent back."""
    faulthandler.disable()  # (as under pytest) it would print a dump for that abort too
    with suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
    _cap_memory(memory_mb)
    try:
        result = graph.sparql(query)
        if isinstance(result, bool):
            result = [{"boolean": str(result).lower()}]
        sender.send(("ok", (result[:max_rows], len(result) > max_rows)))
    except KGReasonerError as exc:
        sender.send(("error", str(exc)))
    except MemoryError:
        sender.send(("error", _memory_message(memory_mb)))
    except Exception as exc:  # a store or engine failure: report it, never hang the parent
        sender.send(("error", f"the query failed: {exc}"))
    finally:
        sender.close()


__all__ = ["QueryAnswer", "QueryLimits", "QueryRunner", "ServerBusyError"]
