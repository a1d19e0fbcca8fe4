"""Graph stage: triples with provenance in an RDF store, queries, exports and PyG tensors.

Building a graph from documents runs extraction, a later stage: see :mod:`kg_reasoner.building`.
"""

from __future__ import annotations

from kg_reasoner.graph.knowledge_graph import KnowledgeGraph
from kg_reasoner.graph.pyg import PygGraph
from kg_reasoner.graph.records import EntityRecord, Provenance, Triple

__all__ = [
    "EntityRecord",
    "KnowledgeGraph",
    "Provenance",
    "PygGraph",
    "Triple",
]
