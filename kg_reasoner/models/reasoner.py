"""The fused reasoner: graph encoder over the story graph + LM text features -> fusion -> head.

Any part can be switched off for ablations: ``graph_encoder=None`` gives an LM-only model,
``text_channels=None`` a GNN-only model. The query pair is read from the head and tail nodes.

When the encoder outputs relation log-probabilities (``relation_logits``, e.g. the path
composition encoder), they are the class scores themselves: a GNN-only model reads them out
directly, and a fused model adds the fusion head's scores to them, scaled by the graph's
uncertainty (1 - its top probability), and is also trained on them alone (an auxiliary loss):
where the graph composes a confident answer the text cannot overturn it (long stories, unseen in
training, would otherwise shift the text features), and where extraction failed (no path, a
uniform graph answer) the text decides. Reading out through an MLP instead would let the
composed states drift away from meaning "this relation", and composing them again along longer
paths would break.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from kg_reasoner.errors import ModelConfigError
from kg_reasoner.models.fusion import resolve_fusion
from kg_reasoner.models.graph_encoders import resolve_graph_encoder
from kg_reasoner.models.heads import ClassifierOutput, PairClassificationHead

NUM_ROLES = 3  # other node, query head, query tail


class FusedReasoner(nn.Module):
    """Classifies the relation of a query pair from a graph, a text, or both."""

    def __init__(
        self,
        *,
        num_relations: int,
        num_classes: int,
        num_genders: int = 3,
        graph_encoder: str | None = "path_composition",
        graph_hidden: int = 64,
        graph_layers: int = 2,
        graph_options: dict[str, Any] | None = None,
        text_channels: int | None = None,
        fusion: str = "gated",
        hidden: int = 128,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        if graph_encoder is None and text_channels is None:
            raise ModelConfigError("the reasoner needs a graph encoder, text features, or both")
        self.encoder = None
        pair_channels = 0
        if graph_encoder is not None:
            self.roles = nn.Embedding(NUM_ROLES, graph_hidden)
            self.genders = nn.Embedding(num_genders, graph_hidden)
            self.encoder = resolve_graph_encoder(
                graph_encoder, in_channels=graph_hidden, hidden_channels=graph_hidden,
                num_relations=num_relations, num_layers=graph_layers, dropout=dropout,
                **(graph_options or {}),
            )
            pair_channels = 2 * self.encoder.out_channels
        self.fusion = None
        if graph_encoder is not None and text_channels is not None:
            self.fusion = resolve_fusion(
                fusion, graph_channels=pair_channels, text_channels=text_channels,
                out_channels=hidden, dropout=dropout,
            )
            head_in = hidden
        else:
            head_in = pair_channels or int(text_channels or 0)
        self.head = PairClassificationHead(
            in_channels=head_in, hidden_channels=hidden, num_classes=num_classes, dropout=dropout
        )

    @property
    def direct_readout(self) -> bool:
        return self.encoder is not None and self.encoder.relation_logits

    def encode_pair(
        self,
        node_role: torch.Tensor,
        node_gender: torch.Tensor,
        edge_index: torch.Tensor,
        edge_attr: torch.Tensor,
        head_index: torch.Tensor,
        tail_index: torch.Tensor,
    ) -> torch.Tensor:
        """(B, 2 * out_channels): the encoder's states of each query's head and tail."""
        assert self.encoder is not None
        x = self.roles(node_role) + self.genders(node_gender)
        states = self.encoder(x, edge_index, edge_attr, head_index, tail_index)
        return torch.cat([states[head_index], states[tail_index]], -1)

    def forward(
        self,
        *,
        head_index: torch.Tensor,
        tail_index: torch.Tensor,
        node_role: torch.Tensor | None = None,
        node_gender: torch.Tensor | None = None,
        edge_index: torch.Tensor | None = None,
        edge_attr: torch.Tensor | None = None,
        text: torch.Tensor | None = None,
        memory: torch.Tensor | None = None,
        memory_mask: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
    ) -> ClassifierOutput:
        if self.encoder is None:
            if text is None:
                raise ModelConfigError("an LM-only model needs text features")
            return self.head(text, labels)
        if node_role is None or node_gender is None or edge_index is None or edge_attr is None:
            raise ModelConfigError(
                "a graph model needs node_role, node_gender, edge_index and edge_attr"
            )
        pair = self.encode_pair(node_role, node_gender, edge_index, edge_attr, head_index,
                                tail_index)
        graph_scores = pair[:, self.encoder.out_channels :] if self.direct_readout else None
        if self.fusion is None:
            if graph_scores is not None:
                return _scored(graph_scores, labels)
            return self.head(pair, labels)
        if text is None:
            raise ModelConfigError("a fused model needs text features")
        if memory is None or memory_mask is None:
            memory = text.unsqueeze(1)
            memory_mask = torch.ones(len(text), 1, dtype=torch.bool)
        fused = self.head(self.fusion(pair, text, memory, memory_mask), labels)
        if graph_scores is None:
            return fused
        uncertainty = 1.0 - graph_scores.softmax(-1).max(-1, keepdim=True).values
        out = _scored(graph_scores + uncertainty * fused.logits, labels)
        if out.loss is not None:
            out.loss = out.loss + nn.functional.cross_entropy(graph_scores, labels)
        return out


def _scored(logits: torch.Tensor, labels: torch.Tensor | None) -> ClassifierOutput:
    loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
    return ClassifierOutput(logits=logits, loss=loss)
