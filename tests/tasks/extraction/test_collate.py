"""Length-bucketed training batches of the extraction task."""

from __future__ import annotations

import random

from kg_reasoner.tasks.extraction.collate import bucketed_batches


def test_bucketed_batches_cover_every_sentence_once() -> None:
    lengths = [random.Random(0).randint(1, 40) for _ in range(50)]
    batches = bucketed_batches(lengths, 4, random.Random(1))
    flat = sorted(i for batch in batches for i in batch)
    assert flat == list(range(50))
    assert all(1 <= len(b) <= 4 for b in batches)


def test_bucketed_batches_are_fixed_by_the_rng_seed() -> None:
    lengths = list(range(30, 0, -1))
    first = bucketed_batches(lengths, 3, random.Random(5))
    assert first == bucketed_batches(lengths, 3, random.Random(5))
    assert first != bucketed_batches(lengths, 3, random.Random(6))


def test_sentences_in_a_batch_have_similar_lengths() -> None:
    lengths = [1, 100] * 8  # one pool of 16: sorting separates short from long
    for batch in bucketed_batches(lengths, 8, random.Random(0)):
        assert len({lengths[i] for i in batch}) == 1
