"""A read-only store holding a knowledge base (:class:`KnowledgeBase`) in the vocabulary of
built graphs, filled on first use: answering reads the KB's factory directly, so only entity
pages and SPARQL pay for loading it (about two seconds for MetaQA's 134k triples)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from rdflib import URIRef
from rdflib.term import Node

from kg_reasoner.errors import StoreError
from kg_reasoner.graph.stores.base import GraphStore, QuadTerms, QueryResult
from kg_reasoner.graph.stores.terms import NTriple

if TYPE_CHECKING:
    from kg_reasoner.graph.knowledge_base import KnowledgeBase


class KBStore(GraphStore):
    """An in-memory Oxigraph store loaded from ``knowledge_base`` when first read."""

    backend = "oxigraph"

    def __init__(self, knowledge_base: KnowledgeBase) -> None:
        super().__init__(read_only=True)
        self.knowledge_base = knowledge_base
        self._store: GraphStore | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> GraphStore:
        """The in-memory store, loaded now if it was not yet (once loaded, read without the
        lock: a query child forked while a thread held it would wait for it forever)."""
        store = self._store
        if store is not None:
            return store
        with self._lock:
            if self._store is None:
                from kg_reasoner.graph.stores.oxigraph import OxigraphStore
                from kg_reasoner.graph.stores.triples_loader import load_triples

                store = OxigraphStore(None)
                kb = self.knowledge_base
                load_triples(store, kb.factory, kb.labels, types=kb.types, aliases=kb.aliases)
                self._store = store
            return self._store

    def _check_writable(self) -> None:
        raise StoreError(
            "a knowledge-base file opens read-only: build a graph folder from documents with "
            "`kgr build DOCS --graph DIR` to change it"
        )

    def _write(self, prepared: Any) -> None:
        self._check_writable()

    def _remove(self, graphs: list[URIRef]) -> None:
        self._check_writable()

    def _patch(self, graph: str, remove: list[NTriple], add: list[NTriple]) -> None:
        self._check_writable()

    def _query(self, sparql: str) -> QueryResult:
        return self.loaded.query(sparql)

    def _quads(
        self, s: Node | None, p: Node | None, o: Node | None, g: URIRef | None
    ) -> Iterator[QuadTerms]:
        return self.loaded.quads(s, p, o, g)

    def named_graphs(self) -> list[URIRef]:
        return self.loaded.named_graphs()

    def dump_nquads(self, out: IO[bytes]) -> None:
        self.loaded.dump_nquads(out)

    def __len__(self) -> int:
        return len(self.loaded)

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
            self._store = None


__all__ = ["KBStore"]
