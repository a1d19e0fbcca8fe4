"""GreaseLM's modality interaction (Zhang et al. 2022), light: after each of the top LM blocks
and one GNN layer, the interaction token (the LM's first token) and the interaction node (the
graph's context node) exchange information through a small MLP."""

from __future__ import annotations

import torch
from torch import nn


class ModalityInteraction(nn.Module):
    """``[t; c] += MLP([t; c])`` for token states t (B, H) and context-node states c (B, G)."""

    def __init__(
        self, *, text_channels: int, graph_channels: int, hidden_channels: int,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        both = text_channels + graph_channels
        self.text_channels = text_channels
        self.mlp = nn.Sequential(
            nn.Linear(both, hidden_channels), nn.GELU(), nn.Dropout(dropout),
            nn.Linear(hidden_channels, both),
        )
        self.norm_text = nn.LayerNorm(text_channels)
        self.norm_graph = nn.LayerNorm(graph_channels)

    def forward(
        self, token: torch.Tensor, context: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        mixed = self.mlp(torch.cat([token, context], -1))
        return (self.norm_text(token + mixed[:, : self.text_channels]),
                self.norm_graph(context + mixed[:, self.text_channels :]))
