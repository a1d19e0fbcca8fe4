"""The store interface: public methods validate, backends implement small hooks.

Terms crossing the interface are rdflib terms (``URIRef``, ``Literal``), except on the build's
write path (:meth:`GraphStore.prepare_write`), which takes N-Triples text so that millions of
terms need no rdflib objects. A store holds one named graph per document; writes of a batch of
documents are atomic (all of the batch or none of it), so an interrupted build leaves every
document either fully old, fully new, or absent.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from rdflib.term import Node, URIRef

from kg_reasoner.errors import StoreError
from kg_reasoner.graph.stores.sparql_guard import check_prefixes, check_read_only
from kg_reasoner.graph.stores.terms import NTriple, rdflib_nt
from kg_reasoner.graph.vocabulary import PREFIXES

TripleTerms = tuple[Node, Node, Node]
QuadTerms = tuple[Node, Node, Node, URIRef]
Row = dict[str, Any]
QueryResult = list[Row] | bool | list[TripleTerms]


class GraphStore(ABC):
    """A quad store with one named graph per document."""

    backend: str = "abstract"
    dataset_clauses_fetch: bool = False
    """True where the engine downloads ``FROM <url>`` graphs, so such queries are refused."""

    def __init__(self, *, read_only: bool = False) -> None:
        self.read_only = read_only

    # -- public API (validates, then calls hooks) -----------------------------------------
    def write_documents(self, batch: Sequence[tuple[URIRef, Sequence[TripleTerms]]]) -> None:
        """Replace the graphs of a batch of documents atomically."""
        self._check_writable()
        native = [
            (str(g), [(rdflib_nt(s), rdflib_nt(p), rdflib_nt(o)) for s, p, o in triples])
            for g, triples in batch
        ]
        self.write_prepared(self.prepare_write(native))

    def prepare_write(self, batch: Sequence[tuple[str, Sequence[NTriple]]]) -> Any:
        """Turn a batch (graph IRI, N-Triples terms) into what :meth:`write_prepared` stores.

        Split from the write so a builder can prepare the next batch while a writer thread
        stores this one.
        """
        self._check_writable()
        return list(batch)

    def write_prepared(self, prepared: Any) -> None:
        """Store a batch from :meth:`prepare_write` in one transaction."""
        self._check_writable()
        if prepared:
            self._write(prepared)

    def remove_documents(self, graphs: Iterable[URIRef]) -> None:
        """Drop the named graphs of documents atomically."""
        self._check_writable()
        graphs = list(graphs)
        if graphs:
            self._remove(graphs)

    def patch_graph(
        self,
        graph: URIRef,
        *,
        remove: Sequence[TripleTerms] = (),
        add: Sequence[TripleTerms] = (),
    ) -> None:
        """Remove then add triples in one named graph, atomically (for shared graphs such as
        the entity labels, which no single document owns)."""
        self._check_writable()
        if remove or add:
            self._patch(
                str(graph),
                [(rdflib_nt(s), rdflib_nt(p), rdflib_nt(o)) for s, p, o in remove],
                [(rdflib_nt(s), rdflib_nt(p), rdflib_nt(o)) for s, p, o in add],
            )

    def query(self, sparql: str, *, allow_update: bool = False) -> QueryResult:
        """Run a SPARQL query over the union of all graphs.

        UPDATE is refused, and so are clauses that reach outside the store (SERVICE, LOAD);
        an undeclared prefix or a syntax error is a :class:`QueryError` naming its position.
        """
        if not allow_update:
            check_read_only(sparql, dataset_clauses_fetch=self.dataset_clauses_fetch)
        check_prefixes(sparql, PREFIXES)
        return self._query(sparql)

    def quads(
        self,
        subject: Node | None = None,
        predicate: Node | None = None,
        obj: Node | None = None,
        graph: URIRef | None = None,
    ) -> Iterator[QuadTerms]:
        """Quads matching a pattern (None matches anything), across named graphs."""
        return self._quads(subject, predicate, obj, graph)

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only; open it without read_only to write")

    # -- hooks ----------------------------------------------------------------------------
    @abstractmethod
    def _write(self, prepared: Any) -> None: ...

    @abstractmethod
    def _remove(self, graphs: list[URIRef]) -> None: ...

    @abstractmethod
    def _patch(self, graph: str, remove: list[NTriple], add: list[NTriple]) -> None: ...

    @abstractmethod
    def _query(self, sparql: str) -> QueryResult: ...

    @abstractmethod
    def _quads(
        self, s: Node | None, p: Node | None, o: Node | None, g: URIRef | None
    ) -> Iterator[QuadTerms]: ...

    @abstractmethod
    def named_graphs(self) -> list[URIRef]: ...

    @abstractmethod
    def dump_nquads(self, out: IO[bytes]) -> None:
        """Write every quad as N-Quads."""

    @abstractmethod
    def __len__(self) -> int: ...

    def size_bytes(self) -> int:
        """Bytes on disk (0 for in-memory stores)."""
        return 0

    def flush(self) -> None:  # noqa: B027 - optional hook
        """Make writes durable (no-op where every write already is)."""

    def compact(self) -> None:  # noqa: B027 - optional hook
        """Reclaim space after large writes or deletions (no-op where there is nothing to do)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release files and locks."""
