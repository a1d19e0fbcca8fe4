"""Entity-pair candidates of labelled sentences (CoNLL04 format) for :class:`MarkedPairModel`.

Relation classification over given entities: every unordered pair of entities of a sentence is
one marked encoder pass (typed markers from the entity types), labelled in both directions with
the relation that holds (label 0: none; a pair holding several relations keeps the first, which
CoNLL04 never needs). Words are joined with single spaces, so each entity's characters follow
from its token span.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import torch

from kg_reasoner.extraction.supervised.data import Entity, Example
from kg_reasoner.extraction.supervised.markers import MarkedSpan, MarkerTokenizer, pad_batch


@dataclass(frozen=True)
class EntityPair:
    """Entities ``head`` (E1) and ``tail`` (E2) of ``example``; labels index ``relations``."""

    example: int
    head: Entity
    tail: Entity
    label: int
    reverse_label: int


def char_spans(tokens: Sequence[str]) -> list[tuple[int, int]]:
    """Character span of each token in ``" ".join(tokens)``."""
    spans, cursor = [], 0
    for token in tokens:
        spans.append((cursor, cursor + len(token)))
        cursor += len(token) + 1
    return spans


def argument_types(signatures: Iterable[tuple[str, str, str]]) -> frozenset[tuple[str, str]]:
    """The ``(head type, tail type)`` combinations some relation of ``signatures`` takes."""
    return frozenset((head, tail) for head, _, tail in signatures)


def entity_pairs(
    examples: Sequence[Example],
    relations: Sequence[str],
    *,
    allowed: Collection[tuple[str, str]] | None = None,
) -> list[EntityPair]:
    """Every unordered entity pair of each example (E1 = the earlier entity).

    With ``allowed`` (see :func:`argument_types`), a pair whose types no relation takes in
    either direction is left out: no relation could be predicted for it.
    """
    pairs = []
    for index, example in enumerate(examples):
        typed: dict[tuple[tuple[int, int], tuple[int, int]], int] = {}
        for relation in example.relations:
            typed.setdefault((relation.head, relation.tail), 1 + relations.index(relation.type))
        entities = sorted(example.entities, key=lambda e: e.span)
        for i, head in enumerate(entities):
            for tail in entities[i + 1 :]:
                if allowed is not None and not (
                    (head.type, tail.type) in allowed or (tail.type, head.type) in allowed
                ):
                    continue
                pairs.append(
                    EntityPair(
                        index,
                        head,
                        tail,
                        typed.get((head.span, tail.span), 0),
                        typed.get((tail.span, head.span), 0),
                    )
                )
    return pairs


def collate_entity_pairs(
    marker: MarkerTokenizer, examples: Sequence[Example], pairs: Sequence[EntityPair]
) -> dict[str, torch.Tensor]:
    """A padded batch for :class:`MarkedPairModel` (a truncated entity reads [CLS])."""
    rows, heads, tails = [], [], []
    for pair in pairs:
        tokens = examples[pair.example].tokens
        chars = char_spans(tokens)
        spans = [
            MarkedSpan(chars[e.start][0], chars[e.end - 1][1], role, e.type)
            for role, e in enumerate((pair.head, pair.tail))
        ]
        ids, (head, tail) = marker.mark(" ".join(tokens), spans)
        rows.append(ids)
        heads.append(head or 0)
        tails.append(tail or 0)
    input_ids, mask = pad_batch(rows, marker.pad_id)
    return {
        "input_ids": input_ids,
        "attention_mask": mask,
        "head_index": torch.tensor(heads),
        "tail_index": torch.tensor(tails),
        "labels": torch.tensor([p.label for p in pairs]),
        "reverse_labels": torch.tensor([p.reverse_label for p in pairs]),
    }
