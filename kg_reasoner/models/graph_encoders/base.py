"""The interface every graph encoder implements (PyG vocabulary)."""

from __future__ import annotations

from typing import ClassVar

import torch
from torch import nn

from kg_reasoner.models.options import ModelOptions


class GraphEncoder(nn.Module):
    """Encodes the nodes of a batch of graphs (a disjoint union), task-agnostic.

    ``forward(x, edge_index, edge_type=None, edge_attr=None, batch=None) -> (N, out_channels)``:
    ``x`` (N, in_channels) node features, ``edge_index`` (2, E), ``edge_type`` (E,) relation ids
    and/or ``edge_attr`` (E, num_relations) edge features (e.g. relation probabilities), as the
    encoder needs; ``batch`` (N,) the graph of each node (node-level encoders may ignore it).
    Subclasses set ``out_channels`` and ``options_class`` (their typed config options).
    """

    out_channels: int
    options_class: ClassVar[type[ModelOptions]] = ModelOptions

    def __init__(
        self,
        *,
        in_channels: int,
        hidden_channels: int,
        num_relations: int,
        num_layers: int = 2,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.in_channels = in_channels
        self.hidden_channels = hidden_channels
        self.num_relations = num_relations
        self.num_layers = num_layers
        self.dropout = dropout

    def reset_parameters(self) -> None:
        for module in self.modules():
            if module is not self and hasattr(module, "reset_parameters"):
                module.reset_parameters()

    def forward(
        self,
        x: torch.Tensor,
        edge_index: torch.Tensor,
        edge_type: torch.Tensor | None = None,
        edge_attr: torch.Tensor | None = None,
        batch: torch.Tensor | None = None,
    ) -> torch.Tensor:
        raise NotImplementedError
