"""Fusion modules registered by name; :func:`resolve_fusion` builds one from a config."""

from __future__ import annotations

from typing import Any

from kg_reasoner.errors import ConfigError
from kg_reasoner.models.fusion.base import Fusion
from kg_reasoner.models.fusion.concat import ConcatFusion
from kg_reasoner.models.fusion.cross_attention import CrossAttentionFusion
from kg_reasoner.models.fusion.gated import GatedFusion

FUSIONS: dict[str, type[Fusion]] = {
    "concat": ConcatFusion,
    "gated": GatedFusion,
    "cross_attention": CrossAttentionFusion,
}


def resolve_fusion(query: str | type[Fusion] | Fusion, **kwargs: Any) -> Fusion:
    """A name, class or instance -> a fusion instance (names list the choices when unknown)."""
    if isinstance(query, Fusion):
        return query
    if isinstance(query, type) and issubclass(query, Fusion):
        return query(**kwargs)
    cls = FUSIONS.get(str(query).lower())
    if cls is None:
        raise ConfigError(f"unknown fusion {query!r}; choose one of: {', '.join(sorted(FUSIONS))}")
    return cls(**kwargs)


__all__ = [
    "FUSIONS",
    "ConcatFusion",
    "CrossAttentionFusion",
    "Fusion",
    "GatedFusion",
    "resolve_fusion",
]
