"""Graph encoders over node features, registered by name (build one with
:func:`kg_reasoner.resolver.resolve`)."""

from __future__ import annotations

from kg_reasoner.models.graph_encoders.base import GraphEncoder
from kg_reasoner.models.graph_encoders.gat import GATEncoder, GATOptions
from kg_reasoner.models.graph_encoders.rgcn import RGCNEncoder, RGCNOptions

GRAPH_ENCODERS: dict[str, type[GraphEncoder]] = {
    "rgcn": RGCNEncoder,
    "gat": GATEncoder,
}

__all__ = [
    "GRAPH_ENCODERS",
    "GATEncoder",
    "GATOptions",
    "GraphEncoder",
    "RGCNEncoder",
    "RGCNOptions",
]
