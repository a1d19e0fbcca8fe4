"""Graph stage: triples with provenance in an RDF store, queries, exports, and the one graph
data model (:class:`TriplesFactory`, imported lazily as it needs torch).

Building a graph from documents runs extraction, a later stage: see :mod:`kg_reasoner.building`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg_reasoner.graph.knowledge_graph import KnowledgeGraph
from kg_reasoner.graph.records import EntityRecord, Provenance, Triple

if TYPE_CHECKING:
    from kg_reasoner.graph.triples_factory import TriplesFactory

__all__ = [
    "EntityRecord",
    "KnowledgeGraph",
    "Provenance",
    "Triple",
    "TriplesFactory",
]


def __getattr__(name: str) -> Any:
    if name == "TriplesFactory":  # torch is imported only when tensors are wanted
        from kg_reasoner.graph.triples_factory import TriplesFactory

        return TriplesFactory
    raise AttributeError(f"module 'kg_reasoner.graph' has no attribute {name!r}")
