"""Multi-hop KGQA reasoners: hop-wise relation attention with score propagation on a graph."""

from kg_reasoner.models.kgqa.adjacency import Adjacency
from kg_reasoner.models.kgqa.propagation import propagate_scores
from kg_reasoner.models.kgqa.relation_reasoner import (
    HopwiseRelationReasoner,
    ReasonerOutput,
    RelationPlan,
)

__all__ = [
    "Adjacency",
    "HopwiseRelationReasoner",
    "ReasonerOutput",
    "RelationPlan",
    "propagate_scores",
]
