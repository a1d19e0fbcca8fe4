"""R-GCN (Schlichtkrull et al. 2018): relation-specific message passing with residual layers."""

from __future__ import annotations

import torch
from torch import nn
from torch_geometric.nn import RGCNConv

from kg_reasoner.models.graph_encoders.base import GraphEncoder


class RGCNEncoder(GraphEncoder):
    """``num_layers`` RGCNConv layers over the most likely relation of each edge."""

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
        edge_attr: torch.Tensor,
        head_index: torch.Tensor,
        tail_index: torch.Tensor,
    ) -> torch.Tensor:
        h = self.input(x)
        edge_type = edge_attr.argmax(-1) if edge_attr.numel() else edge_attr.new_zeros(0).long()
        for conv in self.convs:
            update = conv(h, edge_index, edge_type)
            h = h + nn.functional.dropout(torch.relu(update), self.dropout, self.training)
        return h
