"""Gated fusion: a learned per-dimension gate chooses between graph and text."""

from __future__ import annotations

import torch
from torch import nn

from kg_reasoner.models.fusion.base import Fusion


class GatedFusion(Fusion):
    """``g * P_graph(graph) + (1 - g) * P_text(text)`` with ``g = sigmoid(W [graph; text])``."""

    def __init__(
        self, *, graph_channels: int, text_channels: int, out_channels: int, dropout: float = 0.0
    ) -> None:
        super().__init__(graph_channels=graph_channels, text_channels=text_channels,
                         out_channels=out_channels, dropout=dropout)
        self.graph_proj = nn.Linear(graph_channels, out_channels)
        self.text_proj = nn.Linear(text_channels, out_channels)
        self.gate = nn.Linear(graph_channels + text_channels, out_channels)
        self.drop = nn.Dropout(dropout)

    def forward(
        self, graph: torch.Tensor, text: torch.Tensor, memory: torch.Tensor,
        memory_mask: torch.Tensor,
    ) -> torch.Tensor:
        gate = torch.sigmoid(self.gate(torch.cat([graph, text], -1)))
        mixed = gate * self.graph_proj(graph) + (1 - gate) * self.text_proj(self.drop(text))
        return nn.functional.gelu(mixed)
