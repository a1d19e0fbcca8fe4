"""The graph side of :class:`LMGraphScorer`: node inputs with roles, inverse and context-node
edges, and attention pooling of node states under the LM's query (QA-GNN's read-out)."""

from __future__ import annotations

import math

import torch
from torch import nn
from torch_geometric.utils import softmax

#: node roles of a retrieved subgraph (the grounding's), plus the context node added here
QUESTION, CHOICE, OTHER, CONTEXT = 0, 1, 2, 3
NUM_ROLES = 4


class NodeInput(nn.Module):
    """Node vectors from label features and roles: ``W x + role_embedding(role)`` (N, out)."""

    def __init__(self, *, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.proj = nn.Linear(in_channels, out_channels)
        self.role = nn.Embedding(NUM_ROLES, out_channels)

    def forward(self, x: torch.Tensor, node_role: torch.Tensor) -> torch.Tensor:
        return self.proj(x) + self.role(node_role)


def with_inverse_edges(
    edge_index: torch.Tensor, edge_type: torch.Tensor, num_relations: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Every edge also reversed, as relation ``r + num_relations``: messages flow both ways."""
    return (torch.cat([edge_index, edge_index.flip(0)], 1),
            torch.cat([edge_type, edge_type + num_relations]))


def with_context_node(
    edge_index: torch.Tensor,
    edge_type: torch.Tensor,
    node_role: torch.Tensor,
    node_batch: torch.Tensor,
    *,
    num_items: int,
    relation: int,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Edges joining one context node per item (ids ``N .. N + num_items - 1``) to that item's
    question and choice nodes, both ways (relations ``relation`` and ``relation + 1``)."""
    num_nodes = node_role.numel()
    linked = torch.nonzero(node_role <= CHOICE).flatten()
    context = num_nodes + node_batch[linked]
    out_edges = torch.stack([context, linked])
    edges = torch.cat([edge_index, out_edges, out_edges.flip(0)], 1)
    types = torch.cat([
        edge_type,
        edge_type.new_full((linked.numel(),), relation),
        edge_type.new_full((linked.numel(),), relation + 1),
    ])
    return edges, types


class AttentionPooling(nn.Module):
    """Pools each graph's node states with weights ``softmax_n(q_b . k_n / sqrt(d))``, the query
    from the LM vector of its item; returns (B, D) and the weight of every node (N,)."""

    def __init__(self, *, query_channels: int, node_channels: int) -> None:
        super().__init__()
        self.query = nn.Linear(query_channels, node_channels)
        self.key = nn.Linear(node_channels, node_channels)
        self.scale = 1.0 / math.sqrt(node_channels)

    def forward(
        self, states: torch.Tensor, text: torch.Tensor, node_batch: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        pooled = states.new_zeros(text.size(0), states.size(1))
        if states.size(0) == 0:
            return pooled, states.new_zeros(0)
        scores = (self.key(states) * self.query(text)[node_batch]).sum(-1) * self.scale
        weights = softmax(scores, node_batch, num_nodes=text.size(0))
        pooled = pooled.index_add(0, node_batch, weights.unsqueeze(-1) * states)
        return pooled, weights
