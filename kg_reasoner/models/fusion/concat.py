"""Concatenation fusion: an MLP over [graph; text]."""

from __future__ import annotations

import torch
from torch import nn

from kg_reasoner.models.fusion.base import Fusion


class ConcatFusion(Fusion):
    def __init__(
        self, *, graph_channels: int, text_channels: int, out_channels: int, dropout: float = 0.0
    ) -> None:
        super().__init__(graph_channels=graph_channels, text_channels=text_channels,
                         out_channels=out_channels, dropout=dropout)
        self.mlp = nn.Sequential(
            nn.Linear(graph_channels + text_channels, out_channels), nn.GELU(), nn.Dropout(dropout)
        )

    def forward(
        self, graph: torch.Tensor, text: torch.Tensor, memory: torch.Tensor,
        memory_mask: torch.Tensor,
    ) -> torch.Tensor:
        return self.mlp(torch.cat([graph, text], -1))
