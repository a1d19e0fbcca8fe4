"""Store backends, chosen by name: ``oxigraph`` (embedded, on disk) and ``memory`` (rdflib)."""

from __future__ import annotations

from pathlib import Path

from kg_reasoner.errors import StoreError
from kg_reasoner.graph.stores.base import GraphStore

BACKENDS = ("oxigraph", "memory")


def open_store(
    path: str | Path | None, *, backend: str = "oxigraph", read_only: bool = False
) -> GraphStore:
    """Open a store by backend name; ``memory`` ignores ``path``."""
    if backend == "oxigraph":
        from kg_reasoner.graph.stores.oxigraph import OxigraphStore

        return OxigraphStore(path, read_only=read_only)
    if backend == "memory":
        from kg_reasoner.graph.stores.memory import MemoryStore

        return MemoryStore(read_only=read_only)
    raise StoreError(f"unknown store backend {backend!r}; choose one of: {', '.join(BACKENDS)}")


__all__ = ["BACKENDS", "GraphStore", "open_store"]
