"""Hop-wise relation attention over a knowledge graph, as in TransferNet (Shi et al., 2021).

For hop ``t`` a hop-specific projection of the question chooses relations (independent
sigmoids, so several relations can be followed at once); entity scores start at the topic
entities and are propagated along edges weighted by those relation probabilities. A hop
selector mixes the per-hop score vectors, so one model answers 1-, 2- and 3-hop questions.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from kg_reasoner.errors import ModelConfigError
from kg_reasoner.models.kgqa.adjacency import Adjacency
from kg_reasoner.models.kgqa.propagation import propagate_scores


@dataclass
class RelationPlan:
    """What the question asks for, before looking at the graph.

    ``relation_probs`` (B, T, R): probability of following relation r at hop t;
    ``hop_weights`` (B, T): how much the answer is taken after hop t (sums to 1).
    """

    relation_probs: torch.Tensor
    hop_weights: torch.Tensor


@dataclass
class ReasonerOutput:
    """``scores`` (B, N) final entity scores in [0, 1]; ``hop_scores`` (B, T, N) after each hop."""

    scores: torch.Tensor
    hop_scores: torch.Tensor
    plan: RelationPlan
    loss: torch.Tensor | None = None


class HopwiseRelationReasoner(nn.Module):
    """Scores every entity of a graph as the answer of a question.

    Args:
        question_dim: size of the (frozen, cached) question embedding.
        num_relations: relations of the graph including inverses (from the KB vocabulary).
        num_hops: maximum reasoning depth T.
        hidden_channels: width of the trainable question encoder on top of the embedding.
        dropout: dropout on the question representation.
        positive_weight: loss weight of answer entities relative to the others.
        initial_relation_bias: starting logit of every relation; negative keeps early hops from
            saturating the clamped scores (which would stop gradients).
        min_score: scores at or below this are not propagated further (0 = exact).
        relation_activation: ``softmax`` (one relation distribution per hop, as in NSM) or
            ``sigmoid`` (independent relations per hop, as in TransferNet).
    """

    def __init__(
        self,
        *,
        question_dim: int,
        num_relations: int,
        num_hops: int,
        hidden_channels: int = 256,
        dropout: float = 0.1,
        positive_weight: float = 10.0,
        initial_relation_bias: float = -2.0,
        min_score: float = 1e-4,
        relation_activation: str = "sigmoid",
    ) -> None:
        super().__init__()
        self.num_relations = num_relations
        self.num_hops = num_hops
        self.positive_weight = positive_weight
        self.initial_relation_bias = initial_relation_bias
        self.min_score = min_score
        if relation_activation not in {"softmax", "sigmoid"}:
            raise ModelConfigError(
                f"relation_activation must be softmax or sigmoid, not {relation_activation!r}"
            )
        self.relation_activation = relation_activation
        self.question_encoder = nn.Sequential(
            nn.Linear(question_dim, hidden_channels),
            nn.GELU(),
            nn.LayerNorm(hidden_channels),
            nn.Dropout(dropout),
            nn.Linear(hidden_channels, hidden_channels),
            nn.GELU(),
        )
        self.hop_projections = nn.ModuleList(
            nn.Linear(hidden_channels, hidden_channels) for _ in range(num_hops)
        )
        self.relation_classifier = nn.Linear(hidden_channels, num_relations)
        self.hop_selector = nn.Linear(hidden_channels, num_hops)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        for module in self.modules():
            if isinstance(module, nn.Linear):
                nn.init.xavier_uniform_(module.weight)
                nn.init.zeros_(module.bias)
        nn.init.constant_(self.relation_classifier.bias, self.initial_relation_bias)

    def plan(self, question: torch.Tensor) -> RelationPlan:
        """(B, D) question embeddings -> per-hop relation probabilities and hop weights."""
        hidden = self.question_encoder(question)
        per_hop = [
            self.relation_classifier(torch.tanh(proj(hidden))) for proj in self.hop_projections
        ]
        logits = torch.stack(per_hop, dim=1)
        if self.relation_activation == "softmax":
            probs = torch.softmax(logits, dim=-1)
        else:
            probs = torch.sigmoid(logits)
        return RelationPlan(
            relation_probs=probs,
            hop_weights=torch.softmax(self.hop_selector(hidden), dim=-1),
        )

    def reason(
        self,
        plan: RelationPlan,
        topic: torch.Tensor,
        adjacency: Adjacency,
        *,
        exclude_topic: bool,
        revisit_topic: bool = True,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Propagate ``topic`` (B, N) scores hop by hop; returns (scores, hop_scores).

        ``exclude_topic``: the topic entities are never answers; ``revisit_topic=False``: walks
        may not pass through them again either (MetaQA's "films that share a writer with X"
        means films other than X).
        """
        current = topic
        keep = 1.0 - topic.clamp(max=1.0)
        hops = []
        for t in range(self.num_hops):
            current = propagate_scores(
                current, plan.relation_probs[:, t], adjacency, min_score=self.min_score
            )
            if not revisit_topic:
                current = current * keep
            hops.append(current)
        hop_scores = torch.stack(hops, dim=1)
        scores = (hop_scores * plan.hop_weights.unsqueeze(-1)).sum(dim=1)
        if exclude_topic:
            scores = scores * keep
        return scores, hop_scores

    def forward(
        self,
        question: torch.Tensor,
        topic: torch.Tensor,
        adjacency: Adjacency,
        *,
        exclude_topic: bool = True,
        revisit_topic: bool = True,
        answers: torch.Tensor | None = None,
    ) -> ReasonerOutput:
        """Score all N entities; the loss (weighted squared error) only when ``answers`` is given.

        ``question`` (B, D), ``topic`` (B, N) indicator of topic entities, ``adjacency`` the
        graph's N-node CSR adjacency, ``answers`` (B, N) indicator of gold answers.
        """
        plan = self.plan(question)
        scores, hop_scores = self.reason(
            plan, topic, adjacency, exclude_topic=exclude_topic, revisit_topic=revisit_topic
        )
        loss = None
        if answers is not None:
            weight = answers * (self.positive_weight - 1.0) + 1.0
            loss = (weight * (scores - answers).pow(2)).sum() / weight.sum()
        return ReasonerOutput(scores=scores, hop_scores=hop_scores, plan=plan, loss=loss)
