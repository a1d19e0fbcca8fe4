"""The kinship relation extractor: a mention-pair classifier over cached LM token states.

For an ordered pair (A, B) of people in a text window it predicts "B is the r of A" or ``none``.
The token states come from the language model, frozen (cached once), or with its top blocks
fine-tuned on this task (``freeze: {policy: top_k}``: the frozen bottom is still cached).
Entity markers are role embeddings (A / B / other) added to the frozen token states; optional
trainable transformer layers then read the marked tokens (so "A's son B" and "B's son A" differ
in more than which tokens are marked); a query built from the two mentions attends over the
tokens, the tokens between the mentions are max-pooled (SpERT's context), and an MLP classifies
the pair from these, the genders and which mention comes first.
"""

from __future__ import annotations

import torch
from torch import nn

from kg_reasoner.models.heads import ClassifierOutput
from kg_reasoner.models.text_encoder import EncoderTop


class KinshipExtractor(nn.Module):
    """Classifies ordered mention pairs: (P, T, H) token states + role marks -> (P, 1 + R).

    Class 0 is "no relation", class ``i + 1`` the task's relation ``i``; ``num_genders`` sizes
    the gender embedding of the two people.
    """

    def __init__(
        self, *, input_size: int, hidden: int = 128, heads: int = 4, dropout: float = 0.1,
        num_relations: int, num_genders: int, context_tokens: int | None = None,
        layers: int = 0, top: EncoderTop | None = None,
    ) -> None:
        super().__init__()
        self.top = top  # the language model's top blocks, fine-tuned (policy top_k)
        self.context_tokens = context_tokens
        self.project = nn.Sequential(nn.Linear(input_size, hidden), nn.LayerNorm(hidden))
        self.roles = nn.Embedding(3, hidden)  # 0 other token, 1 head mention, 2 tail mention
        self.reader = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(hidden, heads, 2 * hidden, dropout, batch_first=True,
                                       norm_first=True),
            layers, enable_nested_tensor=False,
        ) if layers else None
        self.genders = nn.Embedding(num_genders, 16)
        self.order = nn.Embedding(2, 16)  # 1 when the head is mentioned before the tail
        self.query = nn.Linear(2 * hidden, hidden)
        self.attention = nn.MultiheadAttention(hidden, heads, dropout=dropout, batch_first=True)
        self.classify = nn.Sequential(
            nn.Linear(5 * hidden + 48, 2 * hidden), nn.GELU(), nn.Dropout(dropout),
            nn.Linear(2 * hidden, 1 + num_relations),
        )

    def forward(
        self,
        states: torch.Tensor,
        window_index: torch.Tensor,
        roles: torch.Tensor,
        mask: torch.Tensor,
        genders: torch.Tensor,
        labels: torch.Tensor | None = None,
    ) -> ClassifierOutput:
        """``states`` (W, T, H) of the windows, ``window_index`` (P,) each pair's window,
        ``roles`` (P, T) in {0, 1, 2}, ``mask`` (W, T), ``genders`` (P, 2) -> logits (P, 1 + R).

        Windows are projected once and shared by all their pairs. With ``top``, ``states`` are
        the frozen lower layers' output and the fine-tuned top blocks run first.
        """
        states = states.float()
        if self.top is not None:
            states = self.top(states, mask)
        tokens = self.project(states)[window_index] + self.roles(roles)
        mask = mask[window_index]
        if self.context_tokens is not None:
            mask = mask & _pair_span(roles, self.context_tokens)
        if self.reader is not None:
            tokens = self.reader(tokens, src_key_padding_mask=~mask)
        head = _masked_mean(tokens, roles == 1)
        tail = _masked_mean(tokens, roles == 2)
        query = self.query(torch.cat([head, tail], -1)).unsqueeze(1)
        context, _ = self.attention(query, tokens, tokens, key_padding_mask=~mask)
        between, head_first = _between(tokens, roles)
        extra = torch.cat([self.genders(genders).flatten(1), self.order(head_first)], -1)
        features = torch.cat([head, tail, context.squeeze(1), head * tail, between, extra], -1)
        logits = self.classify(features)
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return ClassifierOutput(logits=logits, loss=loss)



def _pair_span(roles: torch.Tensor, margin: int) -> torch.Tensor:
    """(P, T) mask of the tokens from ``margin`` before the first mention of the pair to
    ``margin`` after the last: the classifier then reads the local wording, not the template."""
    positions = torch.arange(roles.size(1)).expand_as(roles)
    marked = roles > 0
    big = roles.size(1)
    first = torch.where(marked, positions, big).min(1, keepdim=True).values
    last = torch.where(marked, positions, -1).max(1, keepdim=True).values
    return (positions >= first - margin) & (positions <= last + margin)


def _between(tokens: torch.Tensor, roles: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Max-pool of the unmarked tokens between the pair's first and last mention (zeros when
    there are none), and whether the head is mentioned before the tail (P,)."""
    positions = torch.arange(roles.size(1)).expand_as(roles)
    big = roles.size(1)
    head_first = (torch.where(roles == 1, positions, big).min(1).values
                  < torch.where(roles == 2, positions, big).min(1).values)
    start = torch.where(roles > 0, positions, big).min(1, keepdim=True).values
    end = torch.where(roles > 0, positions, -1).max(1, keepdim=True).values
    inside = (positions > start) & (positions < end) & (roles == 0)
    pooled = tokens.masked_fill(~inside.unsqueeze(-1), float("-inf")).max(1).values
    return pooled.masked_fill(~inside.any(1, keepdim=True), 0.0), head_first.long()


def _masked_mean(tokens: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    weights = mask.unsqueeze(-1).to(tokens.dtype)
    return (tokens * weights).sum(1) / weights.sum(1).clamp(min=1.0)

