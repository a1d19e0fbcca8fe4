"""R-GCN (Schlichtkrull et al. 2018): relation-specific message passing with residual layers."""

from __future__ import annotations

import torch
from torch import nn
from torch_geometric.nn import RGCNConv

from kg_reasoner.errors import ModelConfigError
from kg_reasoner.models.graph_encoders.base import GraphEncoder
from kg_reasoner.models.options import ModelOptions


class RGCNOptions(ModelOptions):
    """R-GCN has no options beyond the shared sizes (hidden channels, layers, dropout)."""


class RGCNEncoder(GraphEncoder):
    """``num_layers`` RGCNConv layers over the relation id of each edge (``edge_type``)."""

    options_class = RGCNOptions

    def __init__(
        self, *, in_channels: int, hidden_channels: int, num_relations: int,
        num_layers: int = 2, dropout: float = 0.0,
    ) -> None:
        super().__init__(
            in_channels=in_channels, hidden_channels=hidden_channels,
            num_relations=num_relations, num_layers=num_layers, dropout=dropout,
        )
        self.input = nn.Linear(in_channels, hidden_channels)
        self.convs = nn.ModuleList(
            RGCNConv(hidden_channels, hidden_channels, num_relations) for _ in range(num_layers)
        )
        self.out_channels = hidden_channels

    def forward(
        self,
        x: torch.Tensor,
        edge_index: torch.Tensor,
        edge_type: torch.Tensor | None = None,
        edge_attr: torch.Tensor | None = None,
        batch: torch.Tensor | None = None,
    ) -> torch.Tensor:
        if edge_type is None:
            raise ModelConfigError("R-GCN needs edge_type (E,), the relation id of each edge")
        h = self.input(x)
        for conv in self.convs:
            update = conv(h, edge_index, edge_type)
            h = h + nn.functional.dropout(torch.relu(update), self.dropout, self.training)
        return h
