"""The interface every fusion module implements."""

from __future__ import annotations

import torch
from torch import nn


class Fusion(nn.Module):
    """Combines a graph vector with the language model's reading of the text.

    ``forward(graph (B, Dg), text (B, Dt), memory (B, S, Dt), memory_mask (B, S)) -> (B, out)``;
    ``memory`` holds per-passage text vectors (e.g. one per sentence window), ``memory_mask``
    marks the real ones.
    """

    def __init__(
        self, *, graph_channels: int, text_channels: int, out_channels: int, dropout: float = 0.0
    ) -> None:
        super().__init__()
        self.graph_channels = graph_channels
        self.text_channels = text_channels
        self.out_channels = out_channels
        self.dropout = dropout

    def forward(
        self,
        graph: torch.Tensor,
        text: torch.Tensor,
        memory: torch.Tensor,
        memory_mask: torch.Tensor,
    ) -> torch.Tensor:
        raise NotImplementedError
