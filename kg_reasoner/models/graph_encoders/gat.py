"""GAT (Velickovic et al. 2018) with the relation distribution as edge features."""

from __future__ import annotations

import torch
from pydantic import Field
from torch import nn
from torch_geometric.nn import GATConv

from kg_reasoner.errors import ModelConfigError
from kg_reasoner.models.graph_encoders.base import GraphEncoder
from kg_reasoner.models.options import ModelOptions


class GATOptions(ModelOptions):
    """``heads``: attention heads per layer (must divide the hidden channels)."""

    heads: int = Field(4, ge=1)


class GATEncoder(GraphEncoder):
    """``num_layers`` multi-head GATConv layers (``edge_dim = num_relations``), residual."""

    options_class = GATOptions

    def __init__(
        self, *, in_channels: int, hidden_channels: int, num_relations: int,
        num_layers: int = 2, dropout: float = 0.0, heads: int = 4,
    ) -> None:
        super().__init__(
            in_channels=in_channels, hidden_channels=hidden_channels,
            num_relations=num_relations, num_layers=num_layers, dropout=dropout,
        )
        if hidden_channels % heads:
            raise ModelConfigError(
                f"hidden_channels ({hidden_channels}) must be divisible by heads ({heads})"
            )
        self.input = nn.Linear(in_channels, hidden_channels)
        self.convs = nn.ModuleList(
            GATConv(hidden_channels, hidden_channels // heads, heads=heads,
                    edge_dim=num_relations, dropout=dropout)
            for _ in range(num_layers)
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
        if edge_attr is None:
            raise ModelConfigError("GAT needs edge_attr (E, num_relations), its edge features")
        h = self.input(x)
        for conv in self.convs:
            update = conv(h, edge_index, edge_attr)
            h = h + nn.functional.dropout(nn.functional.elu(update), self.dropout, self.training)
        return h
