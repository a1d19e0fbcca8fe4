"""Graph encoders registered by name; :func:`resolve_graph_encoder` builds one from a config."""

from __future__ import annotations

from typing import Any

from kg_reasoner.errors import ConfigError
from kg_reasoner.models.graph_encoders.base import GraphEncoder
from kg_reasoner.models.graph_encoders.gat import GATEncoder
from kg_reasoner.models.graph_encoders.rgcn import RGCNEncoder
from kg_reasoner.models.path_reasoner import PathCompositionEncoder

GRAPH_ENCODERS: dict[str, type[GraphEncoder]] = {
    "rgcn": RGCNEncoder,
    "gat": GATEncoder,
    "path_composition": PathCompositionEncoder,
}


def resolve_graph_encoder(
    query: str | type[GraphEncoder] | GraphEncoder, **kwargs: Any
) -> GraphEncoder:
    """A name, class or instance -> an encoder instance (names list the choices when unknown)."""
    if isinstance(query, GraphEncoder):
        return query
    if isinstance(query, type) and issubclass(query, GraphEncoder):
        return query(**kwargs)
    cls = GRAPH_ENCODERS.get(str(query).lower())
    if cls is None:
        raise ConfigError(
            f"unknown graph encoder {query!r}; choose one of: {', '.join(sorted(GRAPH_ENCODERS))}"
        )
    return cls(**kwargs)


__all__ = [
    "GRAPH_ENCODERS",
    "GATEncoder",
    "GraphEncoder",
    "PathCompositionEncoder",
    "RGCNEncoder",
    "resolve_graph_encoder",
]
