"""An in-memory store on a plain ``rdflib.Dataset`` (for tests and small throw-away graphs)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import IO

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from kg_reasoner.graph.stores.base import GraphStore, QuadTerms, QueryResult
from kg_reasoner.graph.stores.query_errors import from_rdflib
from kg_reasoner.graph.stores.terms import NTriple
from kg_reasoner.graph.vocabulary import PREFIXES


class MemoryStore(GraphStore):
    """rdflib's in-memory Dataset; a lock makes each batch atomic for concurrent readers."""

    backend = "memory"
    dataset_clauses_fetch = True  # rdflib downloads `FROM <url>` graphs

    def __init__(self, *, read_only: bool = False) -> None:
        super().__init__(read_only=read_only)
        self._ds = Dataset(default_union=True)
        for prefix, iri in PREFIXES.items():
            self._ds.bind(prefix, iri)
        self._lock = threading.RLock()

    def _write(self, batch: Sequence[tuple[str, Sequence[NTriple]]]) -> None:
        with self._lock:
            for g, triples in batch:
                self._ds.remove_graph(self._ds.graph(URIRef(g)))
                graph = self._ds.graph(URIRef(g))
                if triples:
                    graph.parse(data=_nt(triples), format="nt")

    def _remove(self, graphs: list[URIRef]) -> None:
        with self._lock:
            for g in graphs:
                self._ds.remove_graph(self._ds.graph(g))

    def _patch(self, graph: str, remove: list[NTriple], add: list[NTriple]) -> None:
        with self._lock:
            target = self._ds.graph(URIRef(graph))
            if remove:
                gone = Graph().parse(data=_nt(remove), format="nt")
                for triple in gone:
                    target.remove(triple)
            if add:
                target.parse(data=_nt(add), format="nt")

    def _query(self, sparql: str) -> QueryResult:
        with self._lock:
            try:
                result = self._ds.query(sparql, initNs=PREFIXES)
            except Exception as exc:  # rdflib raises pyparsing and assorted errors
                raise from_rdflib(sparql, exc) from None
            if result.type == "ASK":
                return bool(result.askAnswer)
            if result.type == "SELECT":
                names = [str(v) for v in result.vars or []]
                return [{n: row[i] for i, n in enumerate(names)} for row in result]
            return list(result)

    def _quads(
        self, s: Node | None, p: Node | None, o: Node | None, g: URIRef | None
    ) -> Iterator[QuadTerms]:
        with self._lock:
            context = self._ds.graph(g) if g is not None else None
            found = list(self._ds.quads((s, p, o, context)))
        for qs, qp, qo, qg in found:
            name = getattr(qg, "identifier", qg)
            if name is None or str(name) == "urn:x-rdflib:default":
                continue
            yield qs, qp, qo, URIRef(str(name))

    def named_graphs(self) -> list[URIRef]:
        with self._lock:
            return [
                URIRef(str(g.identifier))
                for g in self._ds.graphs()
                if str(g.identifier) != "urn:x-rdflib:default" and len(g)
            ]

    def dump_nquads(self, out: IO[bytes]) -> None:
        with self._lock:
            out.write(self._ds.serialize(format="nquads", encoding="utf-8"))

    def __len__(self) -> int:
        with self._lock:
            return sum(len(g) for g in self._ds.graphs())


def _nt(triples: Sequence[NTriple]) -> str:
    return "".join(f"{s} {p} {o} .\n" for s, p, o in triples)
