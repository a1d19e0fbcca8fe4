"""Fusion modules registered by name (build one with :func:`kg_reasoner.resolver.resolve`)."""

from __future__ import annotations

from kg_reasoner.models.fusion.base import Fusion
from kg_reasoner.models.fusion.concat import ConcatFusion
from kg_reasoner.models.fusion.cross_attention import CrossAttentionFusion
from kg_reasoner.models.fusion.evidence_gate import EvidenceGate
from kg_reasoner.models.fusion.gated import GatedFusion

FUSIONS: dict[str, type[Fusion]] = {
    "concat": ConcatFusion,
    "gated": GatedFusion,
    "cross_attention": CrossAttentionFusion,
}
#: Fusions of the two classifiers' outputs (not of hidden vectors): the graph reasoner's class
#: scores and a text classifier's, mixed by a gate.
OUTPUT_FUSIONS: dict[str, type[EvidenceGate]] = {"evidence_gate": EvidenceGate}

__all__ = [
    "FUSIONS",
    "OUTPUT_FUSIONS",
    "ConcatFusion",
    "CrossAttentionFusion",
    "EvidenceGate",
    "Fusion",
    "GatedFusion",
]
