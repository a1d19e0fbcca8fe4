"""Task heads and the small output dataclass they return (loss only when labels are given)."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class ClassifierOutput:
    """``logits`` (B, C); ``loss`` is the mean cross-entropy when labels were passed."""

    logits: torch.Tensor
    loss: torch.Tensor | None = None


class PairClassificationHead(nn.Module):
    """An MLP from a query-pair representation (B, in) to class logits (B, num_classes)."""

    def __init__(
        self, *, in_channels: int, hidden_channels: int, num_classes: int, dropout: float = 0.0
    ) -> None:
        super().__init__()
        self.mlp = nn.Sequential(
            nn.Dropout(dropout),
            nn.Linear(in_channels, hidden_channels),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(hidden_channels, num_classes),
        )

    def forward(
        self, features: torch.Tensor, labels: torch.Tensor | None = None
    ) -> ClassifierOutput:
        logits = self.mlp(features)
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return ClassifierOutput(logits=logits, loss=loss)
