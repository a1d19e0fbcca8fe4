"""Store backends, chosen by name: ``oxigraph`` (embedded, on disk), ``memory`` (rdflib) and
``sparql`` (a SPARQL 1.1 server at an ``http(s)://`` URL, which picks it on its own)."""

from __future__ import annotations

from pathlib import Path

from kg_reasoner.errors import StoreError
from kg_reasoner.graph.stores.base import GraphStore
from kg_reasoner.graph.stores.sparql_client import is_store_url

BACKENDS = ("oxigraph", "memory")
"""Backends opened by name at a path; a SPARQL server (``sparql``) is opened by its URL."""


def open_store(
    path: str | Path | None, *, backend: str = "oxigraph", read_only: bool = False
) -> GraphStore:
    """Open a store by backend name; ``memory`` ignores ``path``; a URL is a SPARQL server."""
    if is_store_url(path) or backend == "sparql":
        if not is_store_url(path):
            raise StoreError(f"the sparql backend needs a server URL (http://...), not {path!r}")
        from kg_reasoner.graph.stores.sparql_server import SparqlServerStore

        return SparqlServerStore(str(path), read_only=read_only)
    if backend == "oxigraph":
        from kg_reasoner.graph.stores.oxigraph import OxigraphStore

        return OxigraphStore(path, read_only=read_only)
    if backend == "memory":
        from kg_reasoner.graph.stores.memory import MemoryStore

        return MemoryStore(read_only=read_only)
    raise StoreError(f"unknown store backend {backend!r}; choose one of: {', '.join(BACKENDS)}, "
        "or give an http(s):// URL for a SPARQL server")


__all__ = ["BACKENDS", "GraphStore", "is_store_url", "open_store"]
