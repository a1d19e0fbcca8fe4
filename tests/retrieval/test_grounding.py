"""Grounder: longest n-gram first, lemmas and surface forms, stop words never alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from kg_reasoner.retrieval import Grounder, load_concept_graph
from kg_reasoner.retrieval.concept_graph import ConceptGraph
from tests.graph.tiny_wordnet import write_tiny_wordnet


@pytest.fixture
def city_graph(tmp_path: Path) -> ConceptGraph:
    path = tmp_path / "kb.txt"
    path.write_text(
        "New_York|is_a|city\nYork|is_a|city\nnew|opposite|old\nthe|is_a|article\n"
        "revolving_door|part_of|building\n"
    )
    return load_concept_graph(path)


def _names(graph: ConceptGraph, nodes: list[int]) -> list[str]:
    return [graph.node_ids[n] for n in nodes]


def test_the_longest_n_gram_wins_and_order_is_first_mention(city_graph: ConceptGraph) -> None:
    grounder = Grounder(city_graph, nlp=spacy.blank("en"))
    assert _names(city_graph, grounder.ground("A city: New York, not York.")) == [
        "city",
        "New_York",
        "York",
    ]
    assert _names(city_graph, grounder.ground("the old revolving door")) == [
        "old",
        "revolving_door",
    ]


def test_stop_words_are_not_grounded_alone(city_graph: ConceptGraph) -> None:
    grounder = Grounder(city_graph, nlp=spacy.blank("en"))
    assert grounder.ground("The the THE") == []
    assert grounder.ground("") == []


def test_max_ngram_limits_the_span(city_graph: ConceptGraph) -> None:
    grounder = Grounder(city_graph, nlp=spacy.blank("en"), max_ngram=1)
    assert _names(city_graph, grounder.ground("New York")) == ["new", "York"]


def test_punctuation_stops_an_n_gram(city_graph: ConceptGraph) -> None:
    grounder = Grounder(city_graph, nlp=spacy.blank("en"))
    assert _names(city_graph, grounder.ground("new. York")) == ["new", "York"]


def test_ground_many_equals_ground_one_by_one(city_graph: ConceptGraph) -> None:
    grounder = Grounder(city_graph, nlp=spacy.blank("en"), batch_size=2)
    texts = ["New York", "old city", "nothing here", "York door"]
    assert grounder.ground_many(texts) == [grounder.ground(t) for t in texts]


def test_max_per_span_keeps_the_best_aliases(tmp_path: Path) -> None:
    graph = load_concept_graph(write_tiny_wordnet(tmp_path / "wn"), cache_dir=tmp_path / "c")
    grounder = Grounder(graph, nlp=spacy.blank("en"), max_per_span=2)
    assert _names(graph, grounder.ground("dog")) == ["lemma:dog", "wn:dog.n.01"]
    everything = Grounder(graph, nlp=spacy.blank("en"), max_per_span=None)
    assert _names(graph, everything.ground("dog")) == ["lemma:dog", "wn:dog.n.01", "wn:dog.v.01"]


@pytest.mark.slow
def test_inflected_words_ground_through_their_lemma(tmp_path: Path) -> None:
    graph = load_concept_graph(write_tiny_wordnet(tmp_path / "wn"), cache_dir=tmp_path / "c")
    grounder = Grounder(graph, max_per_span=1)  # the packaged spaCy model
    assert _names(graph, grounder.ground("Two domestic dogs chased the cats.")) == [
        "lemma:domestic_dog",
        "lemma:cat",
    ]


def test_bad_grounder_options_are_config_errors(city_graph: ConceptGraph) -> None:
    from kg_reasoner.errors import ConfigError

    with pytest.raises(ConfigError, match="max_ngram"):
        Grounder(city_graph, nlp=spacy.blank("en"), max_ngram=0)
    with pytest.raises(ConfigError, match="max_per_span"):
        Grounder(city_graph, nlp=spacy.blank("en"), max_per_span=0)
