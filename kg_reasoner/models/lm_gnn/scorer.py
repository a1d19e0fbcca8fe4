""":class:`LMGraphScorer`: a fine-tuned language model, optionally fused with a GNN over the
subgraph retrieved for each text, scoring classes (classification) or choices (multiple choice).

Inputs are PyG's vocabulary over a disjoint union of subgraphs, one per scored text:
``node_features`` (N, F) (LM embeddings of the node labels), ``node_role`` (N,) (0 question,
1 choice, 2 other), ``edge_index`` (2, E), ``edge_type`` (E,), ``node_batch`` (N,) the text of
each node. With ``num_choices`` = K the B texts are B / K questions with K choices each: one score
per text, a softmax over each question's choices.

Fusions (:data:`SCORER_FUSIONS`):

- ``concat`` / ``gated``: GNN over the subgraph, attention pooling under the LM vector, then the
  registered :mod:`kg_reasoner.models.fusion` module of that name;
- ``qagnn_context_node``: the LM vector joins the graph as a context node linked to the question
  and choice nodes (QA-GNN); the GNN runs over it; score from [context, pooled graph, LM];
- ``greaselm_interaction``: the top ``interaction_layers`` LM blocks each run beside one GNN layer
  (with the context node), and the LM's first token and the context node exchange information
  through :class:`ModalityInteraction` after every such layer (GreaseLM, on the top blocks only).

``adversarial_epsilon`` adds FGM adversarial training on the word embeddings (training only).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from kg_reasoner.errors import ModelConfigError
from kg_reasoner.models.fusion import FUSIONS, Fusion
from kg_reasoner.models.graph_encoders import GraphEncoder
from kg_reasoner.models.lm_gnn.adversarial import fgm_perturbation
from kg_reasoner.models.lm_gnn.backbone import LMBackbone
from kg_reasoner.models.lm_gnn.graph_side import (
    CONTEXT,
    AttentionPooling,
    NodeInput,
    with_context_node,
    with_inverse_edges,
)
from kg_reasoner.models.lm_gnn.interaction import ModalityInteraction
from kg_reasoner.models.reasoner import build_graph_model
from kg_reasoner.resolver import resolve

SCORER_FUSIONS = ("concat", "gated", "qagnn_context_node", "greaselm_interaction")


@dataclass
class ScorerOutput:
    """``logits`` (B, C) for classes or (B / K, K) for choices; ``loss`` when labels are given;
    ``node_attention`` (N,) the read-out weight of every input node (empty without a graph)."""

    logits: torch.Tensor
    loss: torch.Tensor | None = None
    node_attention: torch.Tensor | None = None


class LMGraphScorer(nn.Module):
    """LM (+ GNN over retrieved subgraphs) -> class logits or choice scores."""

    def __init__(
        self,
        *,
        language_model: nn.Module,
        out_channels: int,
        pooling: str = "mean",
        num_relations: int | None = None,
        node_channels: int | None = None,
        graph_encoder: str = "rgcn",
        graph_hidden: int = 64,
        graph_layers: int = 2,
        graph_encoder_options: Mapping[str, Any] | None = None,
        fusion: str = "concat",
        interaction_layers: int = 2,
        hidden: int = 128,
        dropout: float = 0.1,
        adversarial_epsilon: float | None = None,
    ) -> None:
        super().__init__()
        self.lm = LMBackbone(language_model, pooling=pooling)
        text = self.lm.hidden_size
        self.out_channels = out_channels
        self.adversarial_epsilon = adversarial_epsilon
        self.drop = nn.Dropout(dropout)
        self.uses_graph = num_relations is not None
        self.fusion_name = fusion if self.uses_graph else None
        if not self.uses_graph:  # the classic fine-tuning head: dropout + linear
            self.head = nn.Linear(text, out_channels)
            return
        if fusion not in SCORER_FUSIONS:
            raise ModelConfigError(f"unknown fusion {fusion!r}; choose {', '.join(SCORER_FUSIONS)}")
        if node_channels is None:
            raise ModelConfigError("a graph model needs node_channels (the node feature size)")
        assert num_relations is not None
        self.num_relations = num_relations
        # relations, their inverses, and context -> node / node -> context
        total = 2 * num_relations + 2
        self.total_relations = total
        self.nodes_in = NodeInput(in_channels=node_channels, out_channels=graph_hidden)
        self.pool = AttentionPooling(query_channels=text, node_channels=graph_hidden)
        options = dict(graph_encoder_options or {})
        if fusion == "greaselm_interaction":
            if not 0 < interaction_layers <= self.lm.num_layers:
                raise ModelConfigError(
                    f"interaction_layers must be 1..{self.lm.num_layers} for this encoder, "
                    f"got {interaction_layers}"
                )
            self.interaction_layers = interaction_layers
            self.gnn_layers = nn.ModuleList(
                self._encoder(graph_encoder, total, graph_hidden, 1, dropout, options)
                for _ in range(interaction_layers)
            )
            self.interactions = nn.ModuleList(
                ModalityInteraction(text_channels=text, graph_channels=graph_hidden,
                                    hidden_channels=hidden, dropout=dropout)
                for _ in range(interaction_layers)
            )
        else:
            self.gnn = self._encoder(graph_encoder, total, graph_hidden, graph_layers, dropout,
                                     options)
        if fusion in ("concat", "gated"):
            self.fusion: Fusion = resolve(
                fusion, FUSIONS, base=Fusion, kind="fusion", graph_channels=graph_hidden,
                text_channels=text, out_channels=hidden, dropout=dropout,
            )
            self.head = nn.Linear(hidden, out_channels)
        else:
            self.context_in = nn.Linear(text, graph_hidden)
            self.head = nn.Sequential(
                nn.Linear(2 * graph_hidden + text, hidden), nn.GELU(), nn.Dropout(dropout),
                nn.Linear(hidden, out_channels),
            )

    @staticmethod
    def _encoder(
        name: str, relations: int, hidden: int, layers: int, dropout: float,
        options: dict[str, Any],
    ) -> GraphEncoder:
        encoder = build_graph_model(name, num_relations=relations, hidden_channels=hidden,
                                    num_layers=layers, dropout=dropout, options=options)
        if not isinstance(encoder, GraphEncoder):
            raise ModelConfigError(f"graph encoder {name!r} does not read node features")
        return encoder

    def forward(
        self,
        *,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor | None = None,
        node_features: torch.Tensor | None = None,
        node_role: torch.Tensor | None = None,
        edge_index: torch.Tensor | None = None,
        edge_type: torch.Tensor | None = None,
        node_batch: torch.Tensor | None = None,
        num_choices: int | None = None,
        labels: torch.Tensor | None = None,
    ) -> ScorerOutput:
        graph = None
        if self.uses_graph:
            if node_features is None or node_role is None or edge_index is None \
                    or edge_type is None or node_batch is None:
                raise ModelConfigError(
                    "a graph model needs node_features, node_role, edge_index, edge_type and "
                    "node_batch (did the task retrieve subgraphs?)"
                )
            graph = (node_features, node_role, edge_index, edge_type, node_batch)
        words = self.lm.word_embeddings(input_ids)
        adversarial = self.training and labels is not None and bool(self.adversarial_epsilon)
        if adversarial and not words.requires_grad:  # a frozen LM: perturb its inputs anyway
            words = words.detach().requires_grad_(True)
        logits, attention = self._score(words, attention_mask, token_type_ids, graph)
        logits = self._shape(logits, num_choices)
        loss = None
        if labels is not None:
            loss = nn.functional.cross_entropy(logits, labels)
            if adversarial:
                assert self.adversarial_epsilon is not None
                delta = fgm_perturbation(loss, words, self.adversarial_epsilon)
                perturbed, _ = self._score(words + delta, attention_mask, token_type_ids, graph)
                loss = loss + nn.functional.cross_entropy(
                    self._shape(perturbed, num_choices), labels)
        return ScorerOutput(logits=logits, loss=loss, node_attention=attention)

    def _shape(self, logits: torch.Tensor, num_choices: int | None) -> torch.Tensor:
        if num_choices is None:
            return logits
        if self.out_channels != 1 or logits.size(0) % num_choices:
            raise ModelConfigError(
                f"multiple choice needs out_channels 1 and a multiple of {num_choices} texts"
            )
        return logits.view(-1, num_choices)

    def _score(
        self,
        words: torch.Tensor,
        mask: torch.Tensor,
        token_type_ids: torch.Tensor | None,
        graph: tuple[torch.Tensor, ...] | None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        if graph is None:
            text = self.lm.pool(self.lm(words, mask, token_type_ids), mask)
            return self.head(self.drop(text)), words.new_zeros(0)
        if self.fusion_name == "greaselm_interaction":
            return self._interaction(words, mask, token_type_ids, graph)
        text = self.lm.pool(self.lm(words, mask, token_type_ids), mask)
        x, role, edge_index, edge_type, batch = graph
        nodes = self.nodes_in(x, role)
        edge_index, edge_type = with_inverse_edges(edge_index, edge_type, self.num_relations)
        if self.fusion_name == "qagnn_context_node":
            count = text.size(0)
            context = self.context_in(text) + self.nodes_in.role(
                role.new_full((count,), CONTEXT))
            edge_index, edge_type = with_context_node(
                edge_index, edge_type, role, batch, num_items=count,
                relation=2 * self.num_relations,
            )
            states = self._gnn(self.gnn, torch.cat([nodes, context]), edge_index, edge_type)
            node_states, context_states = states[: nodes.size(0)], states[nodes.size(0) :]
            pooled, attention = self.pool(node_states, text, batch)
            fused = torch.cat([context_states, pooled, self.drop(text)], -1)
            return self.head(fused), attention
        states = self._gnn(self.gnn, nodes, edge_index, edge_type)
        pooled, attention = self.pool(states, text, batch)
        memory_mask = torch.ones(text.size(0), 1, dtype=torch.bool, device=text.device)
        fused = self.fusion(pooled, text, text.unsqueeze(1), memory_mask)
        return self.head(self.drop(fused)), attention

    def _interaction(
        self,
        words: torch.Tensor,
        mask: torch.Tensor,
        token_type_ids: torch.Tensor | None,
        graph: tuple[torch.Tensor, ...],
    ) -> tuple[torch.Tensor, torch.Tensor]:
        x, role, edge_index, edge_type, batch = graph
        layers = self.interaction_layers
        hidden = self.lm.bottom(words, mask, token_type_ids, keep_top=layers)
        count = hidden.size(0)
        nodes = self.nodes_in(x, role)
        context = self.context_in(self.lm.pool(hidden, mask)) + self.nodes_in.role(
            role.new_full((count,), CONTEXT))
        edge_index, edge_type = with_inverse_edges(edge_index, edge_type, self.num_relations)
        edge_index, edge_type = with_context_node(
            edge_index, edge_type, role, batch, num_items=count, relation=2 * self.num_relations
        )
        states = torch.cat([nodes, context])
        first_top = self.lm.num_layers - layers
        for i in range(layers):
            hidden = self.lm.run_block(first_top + i, hidden, mask)
            states = self._gnn(self.gnn_layers[i], states, edge_index, edge_type)
            token, context = self.interactions[i](hidden[:, 0], states[nodes.size(0) :])
            hidden = torch.cat([token.unsqueeze(1), hidden[:, 1:]], 1)
            states = torch.cat([states[: nodes.size(0)], context])
        text = self.lm.pool(hidden, mask)
        pooled, attention = self.pool(states[: nodes.size(0)], text, batch)
        fused = torch.cat([states[nodes.size(0) :], pooled, self.drop(text)], -1)
        return self.head(fused), attention

    def _gnn(
        self, encoder: GraphEncoder, x: torch.Tensor, edge_index: torch.Tensor,
        edge_type: torch.Tensor,
    ) -> torch.Tensor:
        edge_attr = nn.functional.one_hot(edge_type, self.total_relations).to(x.dtype)
        return encoder(x, edge_index, edge_type=edge_type, edge_attr=edge_attr)
