"""A graph's counts (`kgr stats`), counted by the store: a handful of aggregate SPARQL queries,
so a graph of a million triples (or one on a server) is never walked triple by triple in Python.

The counts are those of :meth:`KnowledgeGraph.triples` (relations deduplicated over documents)
and :meth:`KnowledgeGraph.entities` (an entity is what has a ``kgr:entityType``; its type the
one most documents give it, ties to the smallest).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from kg_reasoner.graph.stores import GraphStore
from kg_reasoner.graph.vocabulary import REL, relation_label

# distinct (s, p, o) over the document graphs, p one of a batch of relations: what triples()
# yields
_RELATIONS = (
    "SELECT ?p (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ "
    "VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} }} GROUP BY ?p"
)
PREDICATE_BATCH = 200  # relation predicates per VALUES block
# entities with one type, counted by type; the others, with their types' counts, read apart
_SINGLE_TYPED = (
    "SELECT ?t (COUNT(?e) AS ?n) WHERE { { SELECT ?e (MIN(STR(?t0)) AS ?t) "
    "(COUNT(DISTINCT ?t0) AS ?k) WHERE { GRAPH ?g { ?e kgr:entityType ?t0 } } GROUP BY ?e } "
    "FILTER(?k = 1) } GROUP BY ?t"
)
_MULTI_TYPED = (
    "SELECT ?e ?t (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e kgr:entityType ?t } "
    "{ SELECT ?e WHERE { GRAPH ?h { ?e kgr:entityType ?t1 } } GROUP BY ?e "
    "HAVING (COUNT(DISTINCT ?t1) > 1) } } GROUP BY ?e ?t"
)
_DOCUMENTS = (
    "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?d { ?d a kgr:Document ; kgr:documentId ?id"
    " ; kgr:contentHash ?h ; kgr:fingerprint ?f ; kgr:source ?src } }"
)


def graph_stats(store: GraphStore) -> dict[str, Any]:
    """Counts of documents, entities, relations, statements, sentences and store size."""

    def rows(query: str) -> list[dict[str, Any]]:
        result = store.query(query)
        assert isinstance(result, list)
        return result  # type: ignore[return-value]

    def count(query: str) -> int:
        found = rows(query)
        return int(found[0]["n"]) if found and found[0].get("n") is not None else 0

    relations: Counter[str] = Counter()
    for batch in predicate_batches(relation_predicates(store)):
        for r in rows(_RELATIONS.format(values=batch)):
            relations[relation_label(str(r["p"]))] += int(r["n"])
    types = entity_types(rows(_SINGLE_TYPED), rows(_MULTI_TYPED))
    return {
        "documents": count(_DOCUMENTS),
        "entities": sum(types.values()),
        "entity_types": dict(_most_common(types)),
        "triples": sum(relations.values()),
        "relation_types": len(relations),
        "top_relations": dict(_most_common(relations)[:10]),
        "statements": count("SELECT (COUNT(?s) AS ?n) WHERE { GRAPH ?g { ?s a kgr:Statement } }"),
        "sentences": count("SELECT (COUNT(?s) AS ?n) WHERE { GRAPH ?g { ?s a kgr:Sentence } }"),
        "quads": len(store),
        "store_bytes": store.size_bytes(),
        "backend": store.backend,
    }


def relation_predicates(store: GraphStore) -> list[str]:
    """Every relation predicate in use, sorted. The store lists its distinct predicates and
    they are filtered here: a filter in the query would run once per quad, five times the cost
    of the scan."""
    rel = str(REL)
    found = store.query("SELECT DISTINCT ?p WHERE { GRAPH ?g { ?s ?p ?o } }")
    return sorted(p for p in (str(r["p"]) for r in found) if p.startswith(rel))  # type: ignore[index]


def predicate_batches(predicates: list[str]) -> list[str]:
    """The predicates as the contents of VALUES blocks of :data:`PREDICATE_BATCH` IRIs."""
    return [
        " ".join(f"<{p}>" for p in predicates[i : i + PREDICATE_BATCH])
        for i in range(0, len(predicates), PREDICATE_BATCH)
    ]


def entity_types(single: list[dict[str, Any]], multi: list[dict[str, Any]]) -> Counter[str]:
    """Entities per type: the single-typed counted by the store, each multi-typed entity under
    the type most of its ``kgr:entityType`` quads give (ties to the smallest type)."""
    types: Counter[str] = Counter()
    for r in single:
        types[str(r["t"])] += int(r["n"])
    per_entity: dict[str, Counter[str]] = defaultdict(Counter)
    for r in multi:
        per_entity[str(r["e"])][str(r["t"])] += int(r["n"])
    for counts in per_entity.values():
        best = max(counts.values())
        types[min(t for t, n in counts.items() if n == best)] += 1
    return types


def _most_common(counter: Counter[str]) -> list[tuple[str, int]]:
    """Largest first, ties by name: the same order on every backend."""
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


__all__ = ["entity_types", "graph_stats", "predicate_batches", "relation_predicates"]
