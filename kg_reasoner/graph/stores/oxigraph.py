"""The embedded on-disk store: Oxigraph (RocksDB) through pyoxigraph, viewable via rdflib.

Batches are written in one transaction: one N-Quads load of new documents, or a single SPARQL
update that drops the documents' old graphs and inserts the new ones, so a killed process leaves
each document old, new or absent.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from kg_reasoner.errors import QueryError, StoreError
from kg_reasoner.graph.stores.base import GraphStore, QuadTerms, QueryResult
from kg_reasoner.graph.stores.query_errors import from_oxigraph
from kg_reasoner.graph.stores.sparql_updates import drop_graphs, patch_graph, replace_graphs
from kg_reasoner.graph.stores.terms import NTriple, from_ox, to_ox
from kg_reasoner.graph.vocabulary import PREFIXES


class OxigraphStore(GraphStore):
    """Oxigraph on disk (``path``) or in memory (``path=None``)."""

    backend = "oxigraph"

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        super().__init__(read_only=read_only)
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            hint = (
                " (another `kgr` process may be writing it: wait for it, or open read-only)"
                if "lock" in str(exc).lower()
                else ""
            )
            raise StoreError(f"cannot open the graph store at {self.path}: {exc}{hint}") from exc

    def prepare_write(self, batch: Sequence[tuple[str, Sequence[NTriple]]]) -> Any:
        """N-Quads text for new documents, or one SPARQL update that also drops replaced ones.

        Only string joins run here, holding the GIL; :meth:`write_prepared` then parses and
        stores the text in Rust without it, so a writer thread does not slow down parsing.
        """
        self._check_writable()
        existing = [g for g, _ in batch if self._store.contains_named_graph(ox.NamedNode(g))]
        if not existing:
            text = "".join(f"{s} {p} {o} <{g}> .\n" for g, triples in batch for s, p, o in triples)
            return ("load", text)
        return ("update", replace_graphs(batch, existing))

    def _write(self, prepared: Any) -> None:
        kind, payload = prepared
        try:
            if kind == "load":
                self._store.load(payload, ox.RdfFormat.N_QUADS)
            elif kind == "extend":  # pyoxigraph quads, from callers that hold them already
                self._store.extend(payload)
            else:
                self._store.update(payload)
        except OSError as exc:
            raise StoreError(f"writing to the graph store failed: {exc}") from exc

    def _remove(self, graphs: list[URIRef]) -> None:
        self._store.update(drop_graphs(graphs))

    def _patch(self, graph: str, remove: list[NTriple], add: list[NTriple]) -> None:
        try:
            self._store.update(patch_graph(graph, remove, add))  # one update: one transaction
        except OSError as exc:
            raise StoreError(f"writing to the graph store failed: {exc}") from exc

    def _query(self, sparql: str) -> QueryResult:
        try:
            result = self._store.query(
                sparql, use_default_graph_as_union=True, prefixes=dict(PREFIXES)
            )
        except SyntaxError as exc:
            raise from_oxigraph(sparql, exc) from None
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from exc
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            return [{n: from_ox(sol[n]) for n in names} for sol in result]
        return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in result]

    def _quads(
        self, s: Node | None, p: Node | None, o: Node | None, g: URIRef | None
    ) -> Iterator[QuadTerms]:
        pattern = [to_ox(t) if t is not None else None for t in (s, p, o)]
        graph = ox.NamedNode(str(g)) if g is not None else None
        for q in self._store.quads_for_pattern(*pattern, graph):
            if isinstance(q.graph_name, ox.DefaultGraph):
                continue
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), from_ox(q.graph_name)

    def named_graphs(self) -> list[URIRef]:
        return [URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)]

    def dump_nquads(self, out: IO[bytes]) -> None:
        self._store.dump(out, ox.RdfFormat.N_QUADS)

    def __len__(self) -> int:
        return len(self._store)

    def size_bytes(self) -> int:
        if self.path is None:
            return 0
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())

    def flush(self) -> None:
        if not self.read_only and self.path is not None:
            self._store.flush()

    def compact(self) -> None:
        """Flush memtables and compact RocksDB: drops the write-ahead log (about 2.5x smaller)."""
        if not self.read_only and self.path is not None:
            self._store.flush()
            self._store.optimize()

    def close(self) -> None:
        self.flush()
        self._store = None  # type: ignore[assignment]  # RocksDB closes when dropped
