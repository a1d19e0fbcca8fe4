"""The entity-marker relation classifier: one encoder pass per marked argument pair.

The two arguments are marked in the input (:mod:`.markers`); the pair is represented by the
final states of the two start markers (the "typed entity marker" read-out) and an MLP scores
both directions from the same pass: ``[E1; E2]`` for "E2 is the r of E1" and ``[E2; E1]`` for
the reverse, so one sequence per unordered pair gives both ordered readings. The encoder is
fine-tuned whole (``freeze: none``, the marker embeddings train too) or only its top k blocks
(``freeze: top_k``; the marker embeddings then keep their initial values, so no gradient runs
through the frozen bottom).
"""

from __future__ import annotations

import torch
from torch import nn

from kg_reasoner.extraction.supervised.markers import MarkerEmbeddings, MarkerTokenizer
from kg_reasoner.models.freezing import apply_freezing
from kg_reasoner.models.heads import ClassifierOutput


class MarkedPairModel(nn.Module):
    """(B, T) marked ids + start-marker positions -> logits (B, 2, labels): forward, reverse.

    Label 0 is "no relation" for both directions. ``marker_tokenizer`` (whose tokenizer has
    the markers added) turns a text and its argument spans into the ids this model reads.
    """

    def __init__(
        self, encoder: nn.Module, marker_tokenizer: MarkerTokenizer, *,
        num_labels: int, hidden: int = 256, dropout: float = 0.1,
        freeze: str = "none", top_k: int = 0,
    ) -> None:
        super().__init__()
        self.encoder = encoder
        self.marker_tokenizer = marker_tokenizer  # not a module: how texts become marked ids
        apply_freezing(encoder, freeze, top_k)
        self.markers = MarkerEmbeddings(encoder.get_input_embeddings(), marker_tokenizer.vocab,
                                        marker_tokenizer.init_pieces)
        self.markers.markers.requires_grad = freeze == "none"
        size = int(encoder.config.hidden_size)
        self.classify = nn.Sequential(
            nn.Dropout(dropout), nn.Linear(2 * size, hidden), nn.GELU(), nn.Dropout(dropout),
            nn.Linear(hidden, num_labels),
        )

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, head_index: torch.Tensor,
        tail_index: torch.Tensor, labels: torch.Tensor | None = None,
        reverse_labels: torch.Tensor | None = None,
    ) -> ClassifierOutput:
        """``labels``/``reverse_labels`` (B,) are the classes of E1 -> E2 and E2 -> E1."""
        embeds = self.markers(input_ids)
        states = self.encoder(inputs_embeds=embeds, attention_mask=attention_mask)
        states = states.last_hidden_state
        rows = torch.arange(len(input_ids), device=input_ids.device)
        head, tail = states[rows, head_index], states[rows, tail_index]
        forward = self.classify(torch.cat([head, tail], -1))
        reverse = self.classify(torch.cat([tail, head], -1))
        logits = torch.stack([forward, reverse], dim=1)
        loss = None
        if labels is not None and reverse_labels is not None:
            loss = nn.functional.cross_entropy(
                logits.flatten(0, 1), torch.stack([labels, reverse_labels], 1).flatten()
            )
        return ClassifierOutput(logits=logits, loss=loss)
