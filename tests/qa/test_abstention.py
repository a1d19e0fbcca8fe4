"""Honest answers: below the answer threshold the result says "not found in the graph" and
lists candidates only; an ambiguous name is reported with the reading each answer is for."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from kg_reasoner.qa.loading import LoadedQA
from kg_reasoner.qa.text_report import format_result
from kg_reasoner.qa.zero_shot import ZeroShotAnswerer, ZeroShotSettings
from kg_reasoner.retrieval.kb_graph import kb_graph
from kg_reasoner.retrieval.kb_index import KBIndex
from tests.qa.toy_kb import BagOfWordsEmbedder, people_graph
from tests.serve.live_server import live_server

ROOT = Path(__file__).resolve().parents[2]
E = "http://example.org/entity/"


def _people(threshold: float) -> ZeroShotAnswerer:
    graph = people_graph()
    return ZeroShotAnswerer(
        graph.index,
        graph=graph,
        embedder=BagOfWordsEmbedder(),  # type: ignore[arg-type]
        settings=ZeroShotSettings(answer_threshold=threshold),
    )


def curie_index() -> KBIndex:
    """"Curie" is a node of its own (as in "Curie won the prize") beside two people named Curie."""
    triples = [
        (E + "Marie_Curie", "born_in", E + "Warsaw"),
        (E + "Pierre_Curie", "born_in", E + "Paris"),
        (E + "Curie", "win", E + "Nobel_Prize"),
    ]
    types = {"Marie_Curie": "PERSON", "Pierre_Curie": "PERSON", "Curie": "MISC"}
    types |= {"Warsaw": "GPE", "Paris": "GPE", "Nobel_Prize": "MISC"}
    return KBIndex.from_triples(
        triples,
        labels={E + n: n.replace("_", " ") for n in types},
        types={E + n: t for n, t in types.items()},
    )


def _curie(threshold: float = float("-inf")) -> LoadedQA:
    index = curie_index()
    graph = kb_graph(index)
    answerer = ZeroShotAnswerer(
        index,
        graph=graph,
        embedder=BagOfWordsEmbedder(),  # type: ignore[arg-type]
        settings=ZeroShotSettings(answer_threshold=threshold),
    )
    return LoadedQA(answerer, graph)


def test_below_the_threshold_the_best_answers_are_candidates_not_answers() -> None:
    question = "Where did Alan Turing work?"
    best = _people(float("-inf")).answer(question).answers[0]
    assert best.selected
    result = _people(best.score + 0.01).answer(question)
    assert result.abstained and not result.selected
    assert [a.label for a in result.answers][:1] == [best.label]
    assert any(n.startswith("not found in the graph") for n in result.notes)
    assert result.to_dict()["abstained"] is True
    assert "no answer: not found in the graph" in format_result(result)
    assert not _people(best.score - 0.01).answer(question).abstained


def test_a_surname_node_shared_by_two_people_is_ambiguous_and_answers_name_their_reading() -> None:
    result = _curie().answerer.answer("Where was Curie born?")
    (mention,) = result.mentions
    assert mention.ambiguous
    assert {e["label"] for e in mention.entities} == {"Marie Curie", "Pierre Curie", "Curie"}
    chosen = {a.label: a.reading for a in result.selected}
    assert chosen == {"Warsaw": E + "Marie_Curie", "Paris": E + "Pierre_Curie"}
    notes = " ".join(result.notes)
    assert "Warsaw for Marie Curie" in notes and "Paris for Pierre Curie" in notes
    assert "(for Marie Curie)" in format_result(result)


def test_a_surname_with_one_namesake_is_not_ambiguous() -> None:
    result = _people(float("-inf")).answer("Where was Turing born?")
    assert not result.ambiguous and result.answers[0].reading == ""


def test_the_default_threshold_is_the_calibrated_one() -> None:
    calibrated = json.loads((ROOT / "benchmarks/results/answer_threshold.json").read_text())
    assert ZeroShotSettings().answer_threshold == calibrated["answer_threshold"]
    assert calibrated["at_threshold"]["accuracy"] > calibrated["without_threshold"]["accuracy"]


def test_ask_over_http_carries_abstention_and_readings() -> None:
    with live_server(_curie()) as url, httpx.Client(base_url=url, timeout=30) as http:
        ambiguous = http.post("/ask", json={"question": "Where was Curie born?"}).json()
    assert ambiguous["ambiguous"] and not ambiguous["abstained"]
    readings = {a["label"]: a["reading"] for a in ambiguous["answers"] if a["selected"]}
    assert readings == {"Warsaw": E + "Marie_Curie", "Paris": E + "Pierre_Curie"}
    with live_server(_curie(threshold=5.0)) as url, httpx.Client(base_url=url, timeout=30) as http:
        withheld = http.post("/ask", json={"question": "Where was Marie Curie born?"}).json()
    assert withheld["abstained"] and withheld["answer_threshold"] == 5.0
    assert withheld["answers"] and not any(a["selected"] for a in withheld["answers"])


@pytest.mark.slow
def test_sample_corpus_abstains_and_reports_curie_as_ambiguous(tmp_path: Path) -> None:
    from kg_reasoner.pipelines import build_graph
    from kg_reasoner.qa.loading import load_qa

    build_graph(ROOT / "kg_data" / "sample_corpus", tmp_path / "kg")
    loaded = load_qa(graph=tmp_path / "kg")
    try:
        curie = loaded.answerer.answer("Where was Curie born?")
        jobs = loaded.answerer.answer("Where was Steve Jobs born?")
        marie = loaded.answerer.answer("Where was Marie Curie born?")
    finally:
        loaded.close()
    assert curie.ambiguous and {a.label for a in curie.selected} == {"Warsaw", "Paris"}
    assert jobs.abstained and jobs.answers
    assert [a.label for a in marie.selected] == ["Warsaw"]
