"""load_concept_graph: WordNet (converted once, cached), a `kgr build` graph, a s|r|o file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

from kg_reasoner.errors import DataFormatError, KGReasonerError, StoreError
from kg_reasoner.retrieval import concept_graph
from kg_reasoner.retrieval.concept_graph import ConceptGraph, load_concept_graph, normalise_surface
from tests.conftest import write_corpus
from tests.graph.tiny_wordnet import write_tiny_wordnet


def _triples(graph: ConceptGraph) -> set[tuple[str, str, str]]:
    ids, rels = graph.node_ids, graph.relations
    return {
        (ids[h], rels[r], ids[t])
        for (h, t), r in zip(graph.edge_index.t().tolist(), graph.edge_type.tolist(), strict=True)
    }


def test_a_triples_file_gives_nodes_aliases_and_statements_as_sources(tmp_path: Path) -> None:
    path = tmp_path / "kb.txt"
    path.write_text("dog|is_a|animal\ncat|is_a|animal\n\nNew_York|located_in|USA\n")
    graph = load_concept_graph(path)
    assert graph.num_nodes == 5 and graph.relations == ["is_a", "located_in"]
    assert ("New_York", "located_in", "USA") in _triples(graph)
    assert graph.node_labels[graph.node_ids.index("New_York")] == "New York"
    assert graph.aliases["new york"] == [graph.node_ids.index("New_York")]
    ids, rels = graph.node_ids, graph.relations
    for e, ((h, t), r) in enumerate(zip(graph.edge_index.t().tolist(), graph.edge_type.tolist(),
                                        strict=True)):
        assert graph.edge_sources[e] == f"kb.txt: {ids[h]}|{rels[r]}|{ids[t]}"
    assert graph.edge_index.dtype == torch.long and graph.edge_index.shape == (2, 3)


def test_the_fingerprint_changes_with_the_graph(tmp_path: Path) -> None:
    path = tmp_path / "kb.txt"
    path.write_text("dog|is_a|animal\n")
    first = load_concept_graph(path).fingerprint
    assert load_concept_graph(path).fingerprint == first
    path.write_text("dog|is_a|animal\ncat|is_a|animal\n")
    assert load_concept_graph(path).fingerprint != first


@pytest.mark.parametrize(
    ("text", "match"),
    [("dog|is_a\n", "kb.txt:1"), ("", "no triples"), (b"\xff\xfe\x00dog", "UTF-8")],
)
def test_a_malformed_triples_file_is_a_one_line_error(
    tmp_path: Path, text: str | bytes, match: str
) -> None:
    path = tmp_path / "kb.txt"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(DataFormatError, match=match):
        load_concept_graph(path)


def test_a_missing_source_names_the_three_kinds(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="wordnet"):
        load_concept_graph(tmp_path / "nothing")
    with pytest.raises(DataFormatError, match="make wordnet"):
        load_concept_graph(f"wordnet:{tmp_path}")


def test_a_directory_that_is_no_graph_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(StoreError, match="kgr build"):
        load_concept_graph(tmp_path)


def test_wordnet_is_converted_once_and_then_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wn = write_tiny_wordnet(tmp_path / "wn")
    cache = tmp_path / "cache"
    graph = load_concept_graph(f"wordnet:{wn}", cache_dir=cache)
    assert ("wn:dog.n.01", "hypernym", "wn:carnivore.n.01") in _triples(graph)
    assert graph.edge_sources[0] == f"wordnet:{graph.relations[int(graph.edge_type[0])]}"
    assert graph.aliases["domestic dog"] == [
        graph.node_ids.index("lemma:domestic_dog"),
        graph.node_ids.index("wn:dog.n.01"),
    ]
    assert sorted(p.suffix for p in cache.iterdir()) == [".json", ".npz"]

    def no_conversion(directory: Path) -> None:
        raise AssertionError("converted again")

    monkeypatch.setattr(concept_graph, "read_wordnet", no_conversion)
    cached = load_concept_graph(wn, cache_dir=cache)  # a WordNet directory works as well
    assert cached.node_ids == graph.node_ids and cached.aliases == graph.aliases
    assert torch.equal(cached.edge_index, graph.edge_index)
    assert cached.fingerprint == graph.fingerprint
    assert cached.node_descriptions == graph.node_descriptions
    monkeypatch.undo()

    data = wn / "data.noun"
    data.write_text(data.read_text() + "00000900 05 n 01 wolf 0 001 @ 00000300 n 0000 | wild  \n")
    os.utime(data, ns=(1, 1))
    changed = load_concept_graph(wn, cache_dir=cache)
    assert "wn:wolf.n.00000900" in changed.node_ids  # not in index.noun: named by offset
    assert changed.fingerprint != graph.fingerprint


@pytest.mark.slow
def test_a_built_graph_gives_its_entities_and_the_sentences_as_edge_sources(
    tmp_path: Path,
) -> None:
    from kg_reasoner.pipelines import build_graph

    corpus = write_corpus(
        tmp_path / "corpus",
        {"curie.txt": "Marie Curie was born in Warsaw. Marie Curie worked for the Sorbonne."},
    )
    build_graph(corpus, tmp_path / "kg")
    graph = load_concept_graph(tmp_path / "kg")
    assert graph.num_edges >= 1
    curie = graph.aliases[normalise_surface("Marie Curie")]
    assert len(curie) == 1 and graph.node_ids[curie[0]].startswith("http")
    assert graph.node_labels[curie[0]] == "Marie Curie"
    sources = {
        (graph.node_labels[h], graph.relations[r]): graph.edge_sources[e]
        for e, ((h, _), r) in enumerate(
            zip(graph.edge_index.t().tolist(), graph.edge_type.tolist(), strict=True)
        )
    }
    assert sources[("Marie Curie", "born_in")] == "Marie Curie was born in Warsaw."
    assert all(isinstance(s, str) for s in graph.edge_sources)


def test_normalised_surface_forms_ignore_case_accents_and_punctuation() -> None:
    assert normalise_surface("Canis_familiaris") == "canis familiaris"
    assert normalise_surface("  Café-Society! ") == "cafe society"
    assert normalise_surface("?!") == ""
    assert issubclass(DataFormatError, KGReasonerError)
