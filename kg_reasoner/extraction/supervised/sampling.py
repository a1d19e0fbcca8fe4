"""Training targets with negative sampling (as in SpERT), and padded tensor batches.

For each sentence the entity head sees every gold span plus a random sample of other spans
(label 0, "not an entity"); the relation head sees every related ordered pair of gold entities
plus a random sample of unrelated ordered pairs. Negatives are redrawn each epoch.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from kg_reasoner.extraction.supervised.data import Example, Span
from kg_reasoner.extraction.supervised.encoding import EncoderInputs
from kg_reasoner.extraction.supervised.vocab import LabelVocab


@dataclass
class Targets:
    """Spans and pairs to score for one sentence, with their labels."""

    spans: list[Span]
    span_labels: list[int]
    pairs: list[tuple[int, int]]
    pair_labels: list[list[int]]  # relation indices of each pair (empty for negatives)


@dataclass
class TrainingBatch:
    """Tensors for :meth:`SpanRelationModel.forward`."""

    inputs: EncoderInputs
    spans: torch.Tensor  # (B, S, 2)
    span_labels: torch.Tensor  # (B, S), -100 for padding
    pairs: torch.Tensor  # (B, P, 2)
    pair_labels: torch.Tensor  # (B, P, R) multi-hot
    pair_mask: torch.Tensor  # (B, P)


def candidate_spans(n_words: int, max_width: int) -> list[Span]:
    """Every span of at most ``max_width`` words, in (start, end) order."""
    return [
        (i, j) for i in range(n_words) for j in range(i + 1, min(i + max_width, n_words) + 1)
    ]


def sample_targets(
    example: Example,
    vocab: LabelVocab,
    rng: random.Random,
    *,
    max_span_width: int,
    neg_entities: int,
    neg_relations: int,
) -> Targets:
    """Gold spans and pairs plus sampled negatives for one sentence."""
    ent_index, rel_index = vocab.entity_index, vocab.relation_index
    spans = [e.span for e in example.entities]
    labels = [ent_index.get(e.type, 0) for e in example.entities]
    gold = set(spans)
    negatives = [s for s in candidate_spans(len(example.tokens), max_span_width) if s not in gold]
    for span in rng.sample(negatives, min(neg_entities, len(negatives))):
        spans.append(span)
        labels.append(0)
    position = {e.span: i for i, e in enumerate(example.entities)}
    related: dict[tuple[int, int], list[int]] = {}
    for rel in example.relations:
        if rel.type in rel_index:
            key = (position[rel.head], position[rel.tail])
            related.setdefault(key, []).append(rel_index[rel.type])
    n_ent = len(example.entities)
    unrelated = [
        (h, t) for h in range(n_ent) for t in range(n_ent) if h != t and (h, t) not in related
    ]
    pairs = list(related)
    pair_labels = [related[p] for p in pairs]
    for pair in rng.sample(unrelated, min(neg_relations, len(unrelated))):
        pairs.append(pair)
        pair_labels.append([])
    return Targets(spans, labels, pairs, pair_labels)


def collate_targets(
    inputs: EncoderInputs, targets: Sequence[Targets], num_relations: int
) -> TrainingBatch:
    """Pad per-sentence targets into tensors (at least one span and one pair per row)."""
    batch = len(targets)
    n_spans = max([1, *(len(t.spans) for t in targets)])
    n_pairs = max([1, *(len(t.pairs) for t in targets)])
    spans = torch.zeros((batch, n_spans, 2), dtype=torch.long)
    span_labels = torch.full((batch, n_spans), -100, dtype=torch.long)
    pairs = torch.zeros((batch, n_pairs, 2), dtype=torch.long)
    pair_labels = torch.zeros((batch, n_pairs, num_relations))
    pair_mask = torch.zeros((batch, n_pairs), dtype=torch.bool)
    for b, t in enumerate(targets):
        if t.spans:
            spans[b, : len(t.spans)] = torch.tensor(t.spans)
            span_labels[b, : len(t.spans)] = torch.tensor(t.span_labels)
        if t.pairs:
            pairs[b, : len(t.pairs)] = torch.tensor(t.pairs)
            pair_mask[b, : len(t.pairs)] = True
            for p, rels in enumerate(t.pair_labels):
                pair_labels[b, p, rels] = 1.0
    return TrainingBatch(inputs, spans, span_labels, pairs, pair_labels, pair_mask)
