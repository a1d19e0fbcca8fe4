"""An entity with its aliases, triples in and out, and the sentences behind them (for display)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg_reasoner.graph.knowledge_graph import KnowledgeGraph


def entity_view(kg: KnowledgeGraph, name: str, *, limit: int = 20) -> dict[str, Any]:
    """A JSON-ready description of the best match for ``name`` (other matches listed): at
    most ``limit`` triples each way, provenance records per triple and mentions."""
    matches = kg.find_entities(name)
    if not matches:
        kg.entity(name)  # raises EntityNotFoundError with advice
    best = matches[0]
    labels: dict[str, str] = {}

    def label(iri: str) -> str:
        if iri not in labels:
            found = kg.find_entities(iri)
            labels[iri] = found[0].label if found else iri
        return labels[iri]

    def rows(triples: list[Any], other: str) -> list[dict[str, Any]]:
        return [
            {
                "relation": t.predicate,
                "other": getattr(t, other),
                "other_label": label(getattr(t, other)),
                "provenance": [asdict(p) for p in kg.provenance(t, limit=limit)],
            }
            for t in triples[:limit]
        ]

    return {
        "entity": asdict(best),
        "other_matches": [asdict(m) for m in matches[1:6]],
        "outgoing": rows(list(kg.triples(subject=best.id)), "object"),
        "incoming": rows(list(kg.triples(object=best.id)), "subject"),
        "mentions": [asdict(p) for p in kg.mentions(best.id, limit=limit)],
    }
