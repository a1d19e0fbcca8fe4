"""WordNet database files -> synset and lemma nodes, pointer-symbol relations, aliases."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_reasoner.errors import DataFormatError
from kg_reasoner.graph.wordnet import DEFAULT_WORDNET_DIR, is_wordnet_dir, read_wordnet
from tests.graph.tiny_wordnet import LICENSE, write_tiny_wordnet


def _edges(directory: Path) -> set[tuple[str, str, str]]:
    g = read_wordnet(directory)
    return {
        (g.node_ids[h], g.relations[r], g.node_ids[t])
        for h, r, t in zip(g.heads.tolist(), g.edge_types.tolist(), g.tails.tolist(), strict=True)
    }


def test_synsets_are_named_like_nltk_and_labelled_with_their_lemmas(tmp_path: Path) -> None:
    g = read_wordnet(write_tiny_wordnet(tmp_path / "wn"))
    assert g.node_ids[:8] == [
        "wn:dog.n.01", "wn:cat.n.01", "wn:carnivore.n.01", "wn:flag.n.01",
        "wn:dog.v.01", "wn:hot.a.01", "wn:cold.a.01", "wn:warm.s.01",
    ]  # fmt: skip
    assert g.node_labels[0] == "dog, domestic dog"
    assert g.node_descriptions[0].startswith("a domesticated carnivore")
    lemmas = g.node_ids[8:]
    assert "lemma:domestic_dog" in lemmas and "lemma:warm" in lemmas  # marker (a) dropped
    assert len(lemmas) == len(set(lemmas)) == 8  # dog is one lemma node for noun and verb


def test_semantic_pointers_link_synsets_and_lexical_ones_link_lemmas(tmp_path: Path) -> None:
    edges = _edges(write_tiny_wordnet(tmp_path / "wn"))
    assert ("wn:dog.n.01", "hypernym", "wn:carnivore.n.01") in edges
    assert ("wn:carnivore.n.01", "hyponym", "wn:cat.n.01") in edges
    assert ("wn:dog.n.01", "part_meronym", "wn:flag.n.01") in edges
    assert ("wn:flag.n.01", "part_holonym", "wn:dog.n.01") in edges
    assert ("wn:warm.s.01", "similar_to", "wn:hot.a.01") in edges
    assert ("lemma:hot", "antonym", "lemma:cold") in edges  # lexical: word 1 -> word 1
    assert ("lemma:dog", "derivation", "lemma:dog") in edges
    assert ("lemma:dog", "sense", "wn:dog.n.01") in edges
    assert ("lemma:dog", "sense", "wn:dog.v.01") in edges
    assert ("lemma:domestic_dog", "sense", "wn:dog.n.01") in edges
    assert not any(r == "antonym" and h.startswith("wn:") for h, r, _ in edges)


def test_aliases_give_the_lemma_node_then_its_senses(tmp_path: Path) -> None:
    g = read_wordnet(write_tiny_wordnet(tmp_path / "wn"))
    assert [g.node_ids[i] for i in g.aliases["dog"]] == ["lemma:dog", "wn:dog.n.01", "wn:dog.v.01"]
    assert [g.node_ids[i] for i in g.aliases["domestic dog"]] == [
        "lemma:domestic_dog",
        "wn:dog.n.01",
    ]


def test_a_malformed_data_line_is_a_one_line_error(tmp_path: Path) -> None:
    directory = write_tiny_wordnet(tmp_path / "wn")
    (directory / "data.noun").write_text(LICENSE + "00000100 05 n zz dog\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"data\.noun"):
        read_wordnet(directory)


def test_a_directory_without_wordnet_is_refused(tmp_path: Path) -> None:
    assert not is_wordnet_dir(tmp_path)
    with pytest.raises(DataFormatError, match="make wordnet"):
        read_wordnet(tmp_path)


@pytest.mark.slow
@pytest.mark.skipif(not is_wordnet_dir(DEFAULT_WORDNET_DIR), reason="make wordnet not run")
def test_debians_wordnet_3_converts_with_its_relations() -> None:
    g = read_wordnet()
    index = {node: i for i, node in enumerate(g.node_ids)}
    assert sum(n.startswith("wn:") for n in g.node_ids) == 117659  # WordNet 3.0's synsets
    dog, canine = index["wn:dog.n.01"], index["wn:canine.n.02"]
    hypernym = g.relations.index("hypernym")
    assert ((g.heads == dog) & (g.edge_types == hypernym) & (g.tails == canine)).any()
