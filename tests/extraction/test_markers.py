"""Typed entity markers: insertion, subword alignment, embeddings, and the pair model."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from transformers import BertConfig, BertModel, BertTokenizer

from kg_reasoner.extraction.supervised.markers import (
    MarkedSpan,
    MarkerEmbeddings,
    MarkerTokenizer,
    insert_markers,
    marker_tokens,
)
from kg_reasoner.extraction.supervised.pair_model import MarkedPairModel

WORDS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "ben", "##ny", "went", "to", "see",
         "his", "mother", "ann", "##abel", "##le", ".", "[", "]", "e", "##1", "##2", "/",
         "male", "female", "unknown", "1", "2", "e1", "e2"]


@pytest.fixture
def tokenizer(tmp_path: Path) -> BertTokenizer:
    """A fresh WordPiece tokenizer per test (markers are added to it)."""
    tokenizer = BertTokenizer(vocab={w: i for i, w in enumerate(WORDS)}, do_lower_case=True)
    assert tokenizer.is_fast and len(tokenizer) == len(WORDS)
    return tokenizer


def test_marker_tokens_cover_both_roles_and_every_type() -> None:
    assert marker_tokens(["male", "female"]) == [
        "[E1:male]", "[/E1:male]", "[E1:female]", "[/E1:female]",
        "[E2:male]", "[/E2:male]", "[E2:female]", "[/E2:female]",
    ]


def test_markers_are_single_new_tokens(tokenizer: BertTokenizer) -> None:
    marker = MarkerTokenizer(tokenizer, ["male", "female"])
    assert marker.vocab.base == len(WORDS)
    assert tokenizer.tokenize("[E1:male] benny [/E1:male]") == ["[E1:male]", "ben", "##ny",
                                                                 "[/E1:male]"]
    assert marker.vocab.end_id(1, "female") == len(WORDS) + 7


def test_a_word_of_several_pieces_is_marked_as_a_whole(tokenizer: BertTokenizer) -> None:
    marker = MarkerTokenizer(tokenizer, ["male", "female"])
    text = "his mother annabelle went to see benny."
    head = text.index("annabelle")
    ids, first = marker.mark(text, [MarkedSpan(head, head + 9, 0, "female"),
                                    MarkedSpan(text.index("benny"), text.index("benny") + 5, 1,
                                               "male")])
    tokens = tokenizer.convert_ids_to_tokens(ids)
    assert tokens == ["[CLS]", "his", "mother", "[E1:female]", "ann", "##abel", "##le",
                      "[/E1:female]", "went", "to", "see", "[E2:male]", "ben", "##ny",
                      "[/E2:male]", ".", "[SEP]"]
    assert first == [3, 11]


def test_markers_at_the_text_edges_stay_inside_cls_and_sep(tokenizer: BertTokenizer) -> None:
    marker = MarkerTokenizer(tokenizer, ["male"])
    text = "benny went to see benny"
    ids, first = marker.mark(text, [MarkedSpan(0, 5, 0, "male"), MarkedSpan(18, 23, 1, "male")])
    tokens = tokenizer.convert_ids_to_tokens(ids)
    assert tokens[:5] == ["[CLS]", "[E1:male]", "ben", "##ny", "[/E1:male]"]
    assert tokens[-5:] == ["[E2:male]", "ben", "##ny", "[/E2:male]", "[SEP]"]
    assert first == [1, len(tokens) - 5]


def test_every_mention_of_a_role_is_marked_and_the_first_one_is_read() -> None:
    from kg_reasoner.extraction.supervised.markers import MarkerVocab

    vocab = MarkerVocab(("t",), 100)
    ids = [1, 10, 11, 12, 2]
    offsets = [(0, 0), (0, 3), (4, 7), (8, 11), (0, 0)]
    out, first = insert_markers(ids, offsets, [MarkedSpan(8, 11, 0, "t"),
                                               MarkedSpan(0, 3, 0, "t")], vocab)
    assert out == [1, 100, 10, 101, 11, 100, 12, 101, 2]
    assert first == [1, None]  # the earliest E1 marker; no E2 mention


def test_a_truncated_mention_gets_no_marker(tokenizer: BertTokenizer) -> None:
    marker = MarkerTokenizer(tokenizer, ["male"], max_length=4)  # [CLS] his mother [SEP]
    text = "his mother went to see benny"
    ids, first = marker.mark(text, [MarkedSpan(0, 3, 0, "male"), MarkedSpan(23, 28, 1, "male")])
    assert first[1] is None and len(ids) == 6


def test_marker_embeddings_start_from_the_pieces_of_their_text(
    tokenizer: BertTokenizer,
) -> None:
    marker = MarkerTokenizer(tokenizer, ["male"])
    words = torch.nn.Embedding(len(WORDS), 8)
    embed = MarkerEmbeddings(words, marker.vocab, marker.init_pieces)
    pieces = tokenizer("[ e1 male ]", add_special_tokens=False)["input_ids"]
    assert marker.init_pieces[0] == pieces
    expected = words.weight[torch.tensor(pieces)].mean(0)
    out = embed(torch.tensor([[marker.vocab.start_id(0, "male"), 5]]))
    assert torch.allclose(out[0, 0], expected)
    assert torch.allclose(out[0, 1], words.weight[5])


def _tiny_bert(vocab_size: int) -> BertModel:
    torch.manual_seed(0)
    return BertModel(BertConfig(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2,
                                num_attention_heads=2, intermediate_size=64))


def test_pair_model_reads_both_directions_and_learns(tokenizer: BertTokenizer) -> None:
    marker = MarkerTokenizer(tokenizer, ["male", "female"])
    model = MarkedPairModel(_tiny_bert(len(WORDS)), marker, num_labels=3, hidden=16,
                            dropout=0.0)
    text = "his mother annabelle went to see benny."
    a, b = text.index("annabelle"), text.index("benny")
    rows, heads, tails = [], [], []
    for first, second in (("female", "male"), ("male", "female")):
        ids, (h, t) = marker.mark(text, [MarkedSpan(a, a + 9, 0, first),
                                         MarkedSpan(b, b + 5, 1, second)])
        rows.append(ids)
        heads.append(h)
        tails.append(t)
    batch = {"input_ids": torch.tensor(rows), "attention_mask": torch.ones(2, len(rows[0]),
                                                                           dtype=torch.long),
             "head_index": torch.tensor(heads), "tail_index": torch.tensor(tails),
             "labels": torch.tensor([1, 2]), "reverse_labels": torch.tensor([0, 1])}
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    before = model.markers.markers.detach().clone()
    losses = []
    for _ in range(30):
        out = model(**batch)
        assert out.logits.shape == (2, 2, 3) and out.loss is not None
        optimizer.zero_grad()
        out.loss.backward()
        optimizer.step()
        losses.append(float(out.loss))
    assert losses[-1] < 0.3 * losses[0]
    assert not torch.equal(before, model.markers.markers)  # freeze none: the markers train
    pred = model(**batch).logits.argmax(-1)
    assert pred.tolist() == [[1, 0], [2, 1]]


def test_top_k_freezing_keeps_the_bottom_and_the_markers(tokenizer: BertTokenizer) -> None:
    marker = MarkerTokenizer(tokenizer, ["male"])
    model = MarkedPairModel(_tiny_bert(len(WORDS)), marker, num_labels=2, freeze="top_k",
                            top_k=1)
    assert not model.markers.markers.requires_grad
    assert not any(p.requires_grad for p in model.encoder.encoder.layer[0].parameters())
    assert all(p.requires_grad for p in model.encoder.encoder.layer[1].parameters())


def test_conll04_style_entity_pairs_train_the_same_pair_model(
    tokenizer: BertTokenizer,
) -> None:
    """The CoNLL04 side of the family: typed markers from entity types, relation
    classification over the entity pairs of a sentence, both directions per pass."""
    from kg_reasoner.extraction.supervised.data import Entity, Example, Relation
    from kg_reasoner.extraction.supervised.pair_data import collate_entity_pairs, entity_pairs

    relations = ["Live_In", "Work_For"]
    benny, annabelle = Entity(0, 1, "Peop"), Entity(4, 5, "Loc")
    examples = [Example(("benny", "went", "to", "see", "annabelle", "."), (benny, annabelle),
                        (Relation(benny.span, annabelle.span, "Live_In"),)),
                Example(("annabelle", "went", "to", "see", "benny", "."),
                        (Entity(0, 1, "Loc"), Entity(4, 5, "Peop")),
                        (Relation((4, 5), (0, 1), "Work_For"),))]
    pairs = entity_pairs(examples, relations)
    assert [(p.label, p.reverse_label) for p in pairs] == [(1, 0), (0, 2)]
    marker = MarkerTokenizer(tokenizer, ["Peop", "Loc"])
    batch = collate_entity_pairs(marker, examples, pairs)
    tokens = tokenizer.convert_ids_to_tokens(batch["input_ids"][0].tolist())
    assert tokens[:5] == ["[CLS]", "[E1:Peop]", "ben", "##ny", "[/E1:Peop]"]
    assert tokens[int(batch["tail_index"][0])] == "[E2:Loc]"
    model = MarkedPairModel(_tiny_bert(len(WORDS)), marker, num_labels=3, hidden=16,
                            dropout=0.0)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    for _ in range(30):
        loss = model(**batch).loss
        assert loss is not None
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert model(**batch).logits.argmax(-1).tolist() == [[1, 0], [0, 2]]
