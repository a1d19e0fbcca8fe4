"""What question answering reads from a graph, and an in-memory adapter for triple files.

A `kgr build` graph (:class:`kg_reasoner.graph.KnowledgeGraph`) already offers ``entities``,
``entity``, ``triples``, ``provenance`` and ``sparql``. :class:`TripleGraph` offers the same over
a :class:`KBIndex` (e.g. the MetaQA ``kb.txt``), so the CLI and server treat both alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kg_reasoner.errors import EntityNotFoundError, QueryError
from kg_reasoner.graph.records import EntityRecord, Provenance, Triple
from kg_reasoner.graph.stores import GraphStore, open_store
from kg_reasoner.graph.stores.triples_loader import load_triples
from kg_reasoner.graph.vocabulary import expand_term, name_of_iri
from kg_reasoner.retrieval.kb_index import KBIndex


def open_graph(path: str | Path) -> Any:
    """Open a `kgr build` graph directory read-only."""
    from kg_reasoner.graph import KnowledgeGraph

    return KnowledgeGraph.open(Path(path), read_only=True)


class TripleGraph:
    """The read side of a :class:`KnowledgeGraph` over a :class:`KBIndex`, with provenance.

    SPARQL runs on an in-memory store filled on first use in the vocabulary of built graphs
    (:mod:`kg_reasoner.graph.stores.triples_loader`): entities keep IRI ids or become
    ``ent:NAME``, with an ``rdfs:label``; relations are ``rel:NAME``.
    """

    def __init__(
        self,
        index: KBIndex,
        *,
        provenance: Mapping[tuple[str, str, str], list[Provenance]] | None = None,
    ) -> None:
        self.index = index
        self._provenance = dict(provenance or {})
        self._store: GraphStore | None = None

    def close(self) -> None:
        self._store = None

    def entities(self) -> Iterator[EntityRecord]:
        for i in range(self.index.num_entities):
            yield self._view(i)

    def entity(self, id_or_name: str) -> EntityRecord:
        found = self.index.entity_to_id.get(id_or_name)
        if found is None:  # ent:NAME, as SPARQL prints it, or its full IRI
            iri = expand_term(id_or_name) or id_or_name
            found = self.index.entity_to_id.get(name_of_iri(iri))
        if found is None:
            lowered = id_or_name.casefold()
            matches = [
                i for i, lab in enumerate(self.index.entity_labels) if lab.casefold() == lowered
            ]
            found = matches[0] if len(matches) == 1 else None
        if found is None:
            raise EntityNotFoundError(
                f"no entity {id_or_name!r} in the graph; check the spelling or search the labels"
            )
        return self._view(found)

    def triples(
        self, subject: str | None = None, predicate: str | None = None, object: str | None = None
    ) -> Iterator[Triple]:
        index = self.index
        if subject is not None or object is not None:
            anchor = subject if subject is not None else object
            node = index.entity_to_id.get(anchor or "")
            if node is None:
                return
            _, _, triple_ids = index.out_edges(node)
            candidates = sorted(set(triple_ids.tolist()))
        else:
            candidates = range(index.num_triples)
        for t in candidates:
            s, p, o = index.triple(t)
            if subject is not None and s != subject:
                continue
            if object is not None and o != object:
                continue
            if predicate is not None and p != predicate:
                continue
            yield Triple(s, p, o)

    def provenance(self, triple: Any) -> list[Provenance]:
        return list(self._provenance.get((triple.subject, triple.predicate, triple.object), []))

    def sparql(self, query: str) -> list[dict[str, str]]:
        """Run a read-only SELECT or ASK query; anything else raises :class:`QueryError`.

        The graph store's query path does the work, so UPDATE is refused the same way as on a
        graph from `kgr build`.
        """
        result = self._sparql_store().query(query)
        if isinstance(result, bool):
            return [{"boolean": str(result).lower()}]
        if result and not isinstance(result[0], dict):
            raise QueryError("only SELECT and ASK queries are supported")
        return [{k: str(v) for k, v in row.items() if v is not None} for row in result]

    def stats(self) -> dict[str, int]:
        return {
            "entities": self.index.num_entities,
            "triples": self.index.num_triples,
            "relations": self.index.num_base_relations,
        }

    def _view(self, i: int) -> EntityRecord:
        eid = self.index.entity_ids[i]
        return EntityRecord(
            eid,
            self.index.entity_labels[i],
            self.index.entity_type(i),
            self.index.entity_aliases[i],
        )

    def _sparql_store(self) -> GraphStore:
        """An in-memory Oxigraph store holding the KB, built on first use."""
        if self._store is None:
            store = open_store(None, backend="oxigraph")
            load_triples(store, self.index.triples_factory, self.index.entity_labels)
            self._store = store
        return self._store
