"""A SpERT-style joint entity and relation extractor on a Hugging Face encoder.

Words are encoded once per sentence (:mod:`.encoding`), enriched with a small word-shape
embedding (the default encoder is uncased). A candidate span is the max-pool of its words, its
first and last word (boundary features, as in PURE) and a width embedding; the entity head
classifies it together with the sentence's [CLS] state. A pair of spans is classified
(multi-label, sigmoid) from both span vectors and the max-pool of the words between them.
Max-pools over word ranges use a sparse table, so any number of spans and pairs costs O(1)
memory each.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from kg_reasoner.extraction.supervised.encoding import EncoderInputs
from kg_reasoner.extraction.supervised.layer_cache import run_suffix
from kg_reasoner.extraction.supervised.shapes import SHAPES


@dataclass
class WordStates:
    """Encoded words of a batch: ``words`` (B, W, D), ``cls`` (B, H), ``table`` (L, B, W, D)."""

    words: torch.Tensor
    cls: torch.Tensor
    table: torch.Tensor


@dataclass
class ExtractorOutput:
    """Logits of the heads; ``loss`` only when labels were given."""

    entity_logits: torch.Tensor  # (B, S, num entity labels)
    relation_logits: torch.Tensor  # (B, P, num relation labels)
    loss: torch.Tensor | None = None
    entity_loss: torch.Tensor | None = None
    relation_loss: torch.Tensor | None = None


class SpanRelationModel(nn.Module):
    """Encoder backbone + span entity head + span-pair relation head."""

    def __init__(
        self,
        encoder: nn.Module,
        *,
        num_entity_labels: int,
        num_relation_labels: int,
        max_span_width: int = 10,
        width_dim: int = 25,
        shape_dim: int = 16,
        dropout: float = 0.1,
        span_endpoints: bool = True,
        num_tags: int = 0,
        tag_dim: int = 16,
    ) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = int(encoder.config.hidden_size)
        self.max_span_width = max_span_width
        self.span_endpoints = span_endpoints
        self.shape_embedding = nn.Embedding(len(SHAPES), shape_dim) if shape_dim > 0 else None
        self.tag_embedding = nn.Embedding(num_tags, tag_dim) if num_tags > 0 else None
        word_dim = hidden + shape_dim + (tag_dim if num_tags > 0 else 0)
        self.width_embedding = nn.Embedding(max_span_width + 1, width_dim)
        self.dropout = nn.Dropout(dropout)
        span_dim = (3 if span_endpoints else 1) * word_dim + width_dim
        self.entity_classifier = nn.Linear(span_dim + hidden, num_entity_labels)
        self.relation_classifier = nn.Linear(2 * span_dim + word_dim, num_relation_labels)

    def encode(self, inputs: EncoderInputs) -> WordStates:
        """Run the encoder over all windows and pool subwords into word vectors."""
        if inputs.prefix_states is not None:
            hidden = run_suffix(
                self.encoder, inputs.prefix_states, inputs.attention_mask, inputs.prefix_layers
            )
        else:
            out = self.encoder(input_ids=inputs.input_ids, attention_mask=inputs.attention_mask)
            hidden = out.last_hidden_state  # (N, T, H)
        batch, n_words = inputs.shape_ids.shape
        flat = hidden.reshape(-1, hidden.shape[-1])
        sums = flat.new_zeros(batch * n_words, flat.shape[-1])
        sums.index_add_(0, inputs.piece_dst, flat[inputs.piece_src])
        counts = flat.new_zeros(batch * n_words)
        counts.index_add_(0, inputs.piece_dst, torch.ones_like(inputs.piece_dst, dtype=flat.dtype))
        words = (sums / counts.clamp(min=1).unsqueeze(-1)).reshape(batch, n_words, -1)
        if self.shape_embedding is not None:
            words = torch.cat([words, self.shape_embedding(inputs.shape_ids)], dim=-1)
        if self.tag_embedding is not None:
            if inputs.tag_ids is None:
                raise ValueError("this model uses spaCy NER tags: build inputs with a tagger")
            words = torch.cat([words, self.tag_embedding(inputs.tag_ids)], dim=-1)
        cls = hidden[inputs.cls_window, 0]
        return WordStates(words=words, cls=cls, table=_sparse_max_table(words))

    def span_vectors(self, states: WordStates, spans: torch.Tensor) -> torch.Tensor:
        """(B, S, 2) word ranges -> span vectors: max-pool [+ first and last word] + width."""
        width = (spans[..., 1] - spans[..., 0]).clamp(0, self.max_span_width)
        parts = [_range_max(states.table, spans)]
        if self.span_endpoints:
            last = states.words.shape[1] - 1
            dim = states.words.shape[-1]
            first_idx = spans[..., :1].clamp(0, last).expand(-1, -1, dim)
            last_idx = (spans[..., 1:] - 1).clamp(0, last).expand(-1, -1, dim)
            parts.append(torch.gather(states.words, 1, first_idx))
            parts.append(torch.gather(states.words, 1, last_idx))
        return torch.cat([*parts, self.width_embedding(width)], dim=-1)

    def entity_logits(self, states: WordStates, span_vecs: torch.Tensor) -> torch.Tensor:
        """(B, S, span dim) -> (B, S, entity labels); label 0 means "not an entity"."""
        cls = states.cls.unsqueeze(1).expand(-1, span_vecs.shape[1], -1)
        return self.entity_classifier(self.dropout(torch.cat([span_vecs, cls], dim=-1)))

    def score_spans(self, states: WordStates, spans: torch.Tensor) -> torch.Tensor:
        """Inference shortcut, equal to ``entity_logits(span_vectors(...))`` without dropout.

        The classifier's weight is split by feature block, so per-word blocks (first and last
        word, [CLS]) are projected once per word instead of once per span and the wide span
        vectors are never built: (B, S, 2) -> (B, S, entity labels).
        """
        words, dim = states.words, states.words.shape[-1]
        weight = self.entity_classifier.weight
        blocks = [dim] * (3 if self.span_endpoints else 1)
        blocks += [self.width_embedding.embedding_dim, states.cls.shape[-1]]
        parts = torch.split(weight, blocks, dim=1)
        width = (spans[..., 1] - spans[..., 0]).clamp(0, self.max_span_width)
        logits = _range_max(states.table, spans) @ parts[0].T
        if self.span_endpoints:
            last = words.shape[1] - 1
            n_labels = weight.shape[0]
            first_idx = spans[..., :1].clamp(0, last).expand(-1, -1, n_labels)
            last_idx = (spans[..., 1:] - 1).clamp(0, last).expand(-1, -1, n_labels)
            logits = logits + torch.gather(words @ parts[1].T, 1, first_idx)
            logits = logits + torch.gather(words @ parts[2].T, 1, last_idx)
        logits = logits + (self.width_embedding.weight @ parts[-2].T)[width]
        logits = logits + (states.cls @ parts[-1].T).unsqueeze(1)
        return logits + self.entity_classifier.bias

    def relation_logits(
        self, states: WordStates, spans: torch.Tensor, span_vecs: torch.Tensor, pairs: torch.Tensor
    ) -> torch.Tensor:
        """(B, P, 2) indices into the spans -> (B, P, relation labels) logits."""
        dim = span_vecs.shape[-1]
        head = torch.gather(span_vecs, 1, pairs[..., :1].expand(-1, -1, dim))
        tail = torch.gather(span_vecs, 1, pairs[..., 1:].expand(-1, -1, dim))
        head_span = torch.gather(spans, 1, pairs[..., :1].expand(-1, -1, 2))
        tail_span = torch.gather(spans, 1, pairs[..., 1:].expand(-1, -1, 2))
        between = torch.stack(
            [
                torch.minimum(head_span[..., 1], tail_span[..., 1]),
                torch.maximum(head_span[..., 0], tail_span[..., 0]),
            ],
            dim=-1,
        )
        context = _range_max(states.table, between)
        features = torch.cat([head, tail, context], dim=-1)
        return self.relation_classifier(self.dropout(features))

    def forward(
        self,
        inputs: EncoderInputs,
        spans: torch.Tensor,
        pairs: torch.Tensor,
        *,
        span_labels: torch.Tensor | None = None,
        pair_labels: torch.Tensor | None = None,
        pair_mask: torch.Tensor | None = None,
    ) -> ExtractorOutput:
        """Score given spans (B, S, 2) and span pairs (B, P, 2); loss when labels are given.

        ``span_labels`` (B, S) uses -100 for padding; ``pair_labels`` (B, P, R) is multi-hot
        and ``pair_mask`` (B, P) marks real pairs.
        """
        states = self.encode(inputs)
        span_vecs = self.span_vectors(states, spans)
        ent = self.entity_logits(states, span_vecs)
        rel = self.relation_logits(states, spans, span_vecs, pairs)
        if span_labels is None or pair_labels is None or pair_mask is None:
            return ExtractorOutput(ent, rel)
        ent_loss = nn.functional.cross_entropy(
            ent.reshape(-1, ent.shape[-1]), span_labels.reshape(-1), ignore_index=-100
        )
        mask = pair_mask.to(rel.dtype)
        per_pair = nn.functional.binary_cross_entropy_with_logits(
            rel, pair_labels, reduction="none"
        ).sum(-1)
        rel_loss = (per_pair * mask).sum() / mask.sum().clamp(min=1)
        return ExtractorOutput(ent, rel, ent_loss + rel_loss, ent_loss, rel_loss)


def _sparse_max_table(words: torch.Tensor) -> torch.Tensor:
    """Level j holds the max over words [i, i + 2**j): (L, B, W, D)."""
    levels = [words]
    n_words, step = words.shape[1], 1
    while step * 2 <= n_words:
        prev = levels[-1]
        shifted = torch.cat([prev[:, step:], prev[:, -step:]], dim=1)
        levels.append(torch.maximum(prev, shifted))
        step *= 2
    return torch.stack(levels)


def _range_max(table: torch.Tensor, ranges: torch.Tensor) -> torch.Tensor:
    """Max over words ``[start, end)`` for (B, S, 2) ranges; empty ranges give zeros."""
    n_levels, batch, n_words, dim = table.shape
    start, end = ranges[..., 0], ranges[..., 1]
    length = end - start
    empty = length <= 0
    length = length.clamp(min=1)
    level = torch.floor(torch.log2(length.to(torch.float32))).long().clamp(max=n_levels - 1)
    start = start.clamp(0, n_words - 1)
    second = (start + length - (1 << level)).clamp(0, n_words - 1)
    base = (level * batch + torch.arange(batch).unsqueeze(1)) * n_words
    flat = table.reshape(-1, dim)
    out = torch.maximum(flat[base + start], flat[base + second])
    return out.masked_fill(empty.unsqueeze(-1), 0.0)
