"""The interface every graph encoder implements (PyG vocabulary)."""

from __future__ import annotations

import torch
from torch import nn


class GraphEncoder(nn.Module):
    """Encodes a batch of graphs (a disjoint union) given one query pair per graph.

    ``forward(x, edge_index, edge_attr, head_index, tail_index) -> (N, out_channels)``:
    ``x`` (N, in_channels) node features, ``edge_index`` (2, E), ``edge_attr`` (E, num_relations)
    relation probabilities (one-hot for gold edges), ``head_index``/``tail_index`` (B,) the query
    nodes of each graph. Subclasses set ``out_channels``.
    """

    out_channels: int
    #: True when the output of a node is its log-probability over relations to the query head
    #: (``out_channels == num_relations``), so it can be read out directly as class scores.
    relation_logits: bool = False

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
        edge_attr: torch.Tensor,
        head_index: torch.Tensor,
        tail_index: torch.Tensor,
    ) -> torch.Tensor:
        raise NotImplementedError
