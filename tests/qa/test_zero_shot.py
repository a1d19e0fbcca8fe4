from __future__ import annotations

from pathlib import Path

import pytest

from kg_reasoner.qa.verbalise import relation_words, verbalise_path
from kg_reasoner.qa.zero_shot import (
    ZeroShotAnswerer,
    ZeroShotSettings,
    enumerate_paths,
    expected_types,
)
from tests.qa.toy_kb import BagOfWordsEmbedder, people_graph


def _answerer(**settings: object) -> ZeroShotAnswerer:
    graph = people_graph()
    return ZeroShotAnswerer(
        graph.index,
        graph=graph,
        embedder=BagOfWordsEmbedder(),  # type: ignore[arg-type]
        settings=ZeroShotSettings(**settings),  # type: ignore[arg-type]
    )


def test_relation_labels_and_paths_are_verbalised() -> None:
    assert relation_words("born_in") == "born in"
    assert relation_words("OrgBased_In") == "org based in"
    assert relation_words("http://example.org/rel/capital_of") == "capital of"
    assert verbalise_path([("born_in", False)], "ENTITY") == "ENTITY born in"
    assert verbalise_path([("spouse_of", True)], "ENTITY") == "spouse of ENTITY"
    assert verbalise_path([("born_in", False), ("capital_of", False)], "E") == (
        "E born in, which capital of"
    )


def test_question_words_map_to_entity_types() -> None:
    assert "PERSON" in expected_types("Who married Marie Curie?")
    assert "GPE" in expected_types("Where was she born?")
    assert "ORG" in expected_types("Which company did she work for?")
    assert expected_types("Name the capital of Poland") == frozenset()


def test_paths_are_simple_and_bounded() -> None:
    index = people_graph().index
    start = index.entity_to_id["http://example.org/entity/Marie_Curie"]
    paths = enumerate_paths(index, start, max_hops=2, limit=1000)
    assert paths and all(1 <= len(p) <= 2 for p in paths)
    for path in paths:
        nodes = [path[0][0], *(step[1] for step in path)]
        assert len(nodes) == len(set(nodes))
    assert len(enumerate_paths(index, start, max_hops=2, limit=3)) == 3


def test_one_hop_question_ranks_the_matching_relation_first() -> None:
    result = _answerer().answer("Where was Marie Curie born?")
    top = result.answers[0]
    assert top.label == "Warsaw" and top.selected
    assert top.paths[0].text() == "[Marie Curie] -born_in-> Warsaw"
    assert top.paths[0].hops[0].sentences == ("Marie Curie was born in Warsaw.",)


def test_two_hop_question_follows_a_two_relation_path() -> None:
    result = _answerer().answer("Marie Curie was born in the capital of which country?")
    assert result.answers[0].label == "Poland"
    assert result.answers[0].paths[0].text() == (
        "[Marie Curie] -born_in-> Warsaw -capital_of-> Poland"
    )


def test_inverse_relations_answer_who_questions() -> None:
    result = _answerer().answer("Who was the spouse of Marie Curie?")
    assert result.answers[0].label == "Pierre Curie"
    assert result.answers[0].paths[0].hops[0].inverse


def test_topic_entity_is_not_an_answer_unless_allowed() -> None:
    question = "Who was the spouse of the spouse of Pierre Curie?"
    labels = [a.label for a in _answerer().answer(question).answers]
    assert "Pierre Curie" not in labels
    allowed = [a.label for a in _answerer(topic_can_be_answer=True).answer(question).answers]
    assert "Pierre Curie" in allowed


def test_unlinked_question_says_how_to_fix_it() -> None:
    result = _answerer().answer("Where was Ada Lovelace born?")
    assert result.answers == []
    assert any("brackets" in note for note in result.notes)


@pytest.mark.slow
def test_sample_corpus_graph_answers_with_the_packaged_model(tmp_path: Path) -> None:
    from kg_reasoner.graph import KnowledgeGraph
    from kg_reasoner.pipelines import build_graph
    from kg_reasoner.retrieval.kb_readers import index_from_graph

    corpus = Path(__file__).resolve().parents[2] / "kg_data" / "sample_corpus"
    build_graph(corpus, tmp_path / "kg")
    with KnowledgeGraph.open(tmp_path / "kg", read_only=True) as kg:
        answerer = ZeroShotAnswerer(index_from_graph(kg), graph=kg)
        born = answerer.answer("Where was Marie Curie born?")
        assert born.answers[0].label == "Warsaw"
        assert any("Warsaw" in s for h in born.answers[0].paths[0].hops for s in h.sentences)
        capital = answerer.answer("What is Warsaw the capital of?")
        assert capital.answers[0].label == "Poland"
        spouse = answerer.answer("Who married Pierre Curie?")
        assert spouse.answers[0].label == "Marie Curie"
