"""Training batches of the extraction task: length-bucketed, with sampled negative spans/pairs."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from kg_reasoner.extraction.supervised.data import Example
from kg_reasoner.extraction.supervised.encoding import WordPieceAligner
from kg_reasoner.extraction.supervised.sampling import collate_targets, sample_targets
from kg_reasoner.extraction.supervised.vocab import LabelVocab
from kg_reasoner.tasks.extraction.config import ExtractionConfig


def bucketed_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar-length sentences (less padding, same randomness per epoch)."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = batch_size * 16
    result = []
    for first in range(0, len(order), pool):
        chunk = sorted(order[first : first + pool], key=lambda i: lengths[i])
        result.extend(chunk[k : k + batch_size] for k in range(0, len(chunk), batch_size))
    rng.shuffle(result)
    return result


def training_batch(
    examples: list[Example],
    tokenized: list,  # type: ignore[type-arg]
    idx: list[int],
    aligner: WordPieceAligner,
    vocab: LabelVocab,
    rng: random.Random,
    config: ExtractionConfig,
    *,
    relations: bool = True,
) -> dict[str, Any]:
    """One batch of sentences ``idx`` with sampled negatives; ``relations=False`` trains the
    entity head alone (no pairs: the relation loss is zero)."""
    targets = [
        sample_targets(
            examples[i],
            vocab,
            rng,
            max_span_width=config.model.max_span_width,
            neg_entities=config.training.neg_entities,
            neg_relations=config.training.neg_relations,
        )
        for i in idx
    ]
    if not relations:
        targets = [replace(t, pairs=[], pair_labels=[]) for t in targets]
    batch = collate_targets(
        aligner.collate([tokenized[i] for i in idx]), targets, len(vocab.relation_types)
    )
    return {
        "inputs": batch.inputs,
        "spans": batch.spans,
        "pairs": batch.pairs,
        "span_labels": batch.span_labels,
        "pair_labels": batch.pair_labels,
        "pair_mask": batch.pair_mask,
    }
