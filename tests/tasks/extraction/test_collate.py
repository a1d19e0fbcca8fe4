"""Length-bucketed training batches of the extraction task."""

from __future__ import annotations

import random
from pathlib import Path

from kg_reasoner.tasks.extraction.collate import bucketed_batches, training_batch


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


def test_an_entities_only_batch_has_no_pairs(tmp_path: Path) -> None:
    """The span stage of ``relation_model: markers`` trains the entity head alone."""
    from kg_reasoner.config import validate_config
    from kg_reasoner.extraction.supervised.data import parse_record
    from kg_reasoner.extraction.supervised.encoding import WordPieceAligner
    from kg_reasoner.extraction.supervised.vocab import LabelVocab
    from kg_reasoner.models.text_encoder import load_tokenizer_and_model
    from kg_reasoner.tasks.extraction.config import ExtractionConfig
    from tests.extraction.supervised_fixtures import RECORDS, tiny_config, write_tiny_encoder

    examples = [parse_record(r) for r in RECORDS]
    encoder = write_tiny_encoder(tmp_path / "enc")
    config = validate_config(ExtractionConfig, tiny_config(tmp_path, encoder))
    aligner = WordPieceAligner(load_tokenizer_and_model(str(encoder))[0], max_length=16)
    tokenized = aligner.tokenize([ex.tokens for ex in examples])
    vocab = LabelVocab.from_examples(examples)
    args = (examples, tokenized, [0, 1, 2], aligner, vocab)
    joint = training_batch(*args, random.Random(0), config)
    alone = training_batch(*args, random.Random(0), config, relations=False)
    assert bool(joint["pair_mask"].any()) and not bool(alone["pair_mask"].any())
    assert alone["span_labels"].equal(joint["span_labels"])
