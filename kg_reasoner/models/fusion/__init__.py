"""Fusion modules registered by name (build one with :func:`kg_reasoner.resolver.resolve`)."""

from __future__ import annotations

from kg_reasoner.models.fusion.base import Fusion
from kg_reasoner.models.fusion.concat import ConcatFusion
from kg_reasoner.models.fusion.cross_attention import CrossAttentionFusion
from kg_reasoner.models.fusion.gated import GatedFusion

FUSIONS: dict[str, type[Fusion]] = {
    "concat": ConcatFusion,
    "gated": GatedFusion,
    "cross_attention": CrossAttentionFusion,
}

__all__ = [
    "FUSIONS",
    "ConcatFusion",
    "CrossAttentionFusion",
    "Fusion",
    "GatedFusion",
]
