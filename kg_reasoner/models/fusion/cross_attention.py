"""Cross-attention fusion: the graph vector queries the text passages (GreaseLM-like exchange
through a single interaction token)."""

from __future__ import annotations

import torch
from torch import nn

from kg_reasoner.models.fusion.base import Fusion


class CrossAttentionFusion(Fusion):
    """The projected graph vector attends over [text; memory]; output MLP([query; attended])."""

    def __init__(
        self, *, graph_channels: int, text_channels: int, out_channels: int,
        dropout: float = 0.0, heads: int = 4,
    ) -> None:
        super().__init__(graph_channels=graph_channels, text_channels=text_channels,
                         out_channels=out_channels, dropout=dropout)
        self.query = nn.Linear(graph_channels, out_channels)
        self.memory_proj = nn.Linear(text_channels, out_channels)
        self.attention = nn.MultiheadAttention(out_channels, heads, dropout=dropout,
                                               batch_first=True)
        self.norm = nn.LayerNorm(out_channels)
        self.out = nn.Sequential(nn.Linear(2 * out_channels, out_channels), nn.GELU())

    def forward(
        self, graph: torch.Tensor, text: torch.Tensor, memory: torch.Tensor,
        memory_mask: torch.Tensor,
    ) -> torch.Tensor:
        query = self.query(graph).unsqueeze(1)
        keys = self.memory_proj(torch.cat([text.unsqueeze(1), memory], 1))
        mask = torch.cat([memory_mask.new_ones(len(text), 1), memory_mask], 1)
        attended, _ = self.attention(query, keys, keys, key_padding_mask=~mask)
        attended = self.norm(attended.squeeze(1) + query.squeeze(1))
        return self.out(torch.cat([query.squeeze(1), attended], -1))
