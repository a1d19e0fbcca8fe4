"""/info (what the page shows before a question), "no answer" candidates and the favicon, all
through real HTTP to a server started by the test."""

from __future__ import annotations

import httpx

from kg_reasoner.qa.loading import LoadedQA
from kg_reasoner.qa.zero_shot import ZeroShotAnswerer
from kg_reasoner.retrieval.kb_readers import index_from_graph
from tests.qa.text_graph import Fact, text_graph
from tests.qa.toy_kb import BagOfWordsEmbedder
from tests.serve.live_server import live_server, people_qa


def text_qa() -> LoadedQA:
    """A graph built from two documents of text (hand-written extractions, no spaCy)."""
    kg = text_graph(
        {
            "curie.txt": [
                ("Marie Curie was born in Warsaw.", [Fact("Marie Curie", "born_in", "Warsaw")]),
                (
                    "Marie Curie worked for the Sorbonne.",
                    [Fact("Marie Curie", "work_for", "Sorbonne", tail_type="ORG")],
                ),
            ],
            "warsaw.txt": [
                (
                    "Warsaw is the capital of Poland.",
                    [Fact("Warsaw", "capital_of", "Poland", head_type="GPE")],
                ),
            ],
        }
    )
    answerer = ZeroShotAnswerer(index_from_graph(kg), graph=kg, embedder=BagOfWordsEmbedder())  # type: ignore[arg-type]
    return LoadedQA(answerer, kg)


def _top_answer(base: str, question: str) -> str:
    answers = httpx.get(f"{base}/ask", params={"q": question}, timeout=60).json()["answers"]
    return str(answers[0]["label"]) if answers else ""


def test_info_on_a_text_graph_counts_documents_and_asks_about_its_own_statements() -> None:
    with live_server(text_qa()) as base:
        info = httpx.get(f"{base}/info", timeout=10).json()
        assert info["kind"] == "text graph" and info["documents"] == 2
        assert info["entities"] == 4 and info["triples"] == 3 and info["relations"] == 3
        assert set(info["examples"]) == {
            "Where was Marie Curie born?",
            "What is Warsaw the capital of?",
            "What did Marie Curie work for?",
        }
        answers = {q: _top_answer(base, q) for q in info["examples"]}
        assert answers == {
            "Where was Marie Curie born?": "Warsaw",
            "What is Warsaw the capital of?": "Poland",
            "What did Marie Curie work for?": "Sorbonne",
        }
        assert "Krasinski" not in httpx.get(f"{base}/", timeout=10).text


def test_info_on_a_knowledge_base_brackets_its_entities_in_the_metaqa_style() -> None:
    with live_server(people_qa()) as base:
        info = httpx.get(f"{base}/info", timeout=10).json()
        assert info["kind"] == "knowledge base" and info["documents"] is None
        assert info["examples"] == [
            "Where was [Alan Turing] born?",
            "What is [London] the capital of?",
            "What did [Marie Curie] work for?",
        ]
        assert [_top_answer(base, q) for q in info["examples"]] == [
            "London",
            "United Kingdom",
            "University of Paris",
        ]
        assert info["build"]["generation"] is None


def test_a_question_without_answers_lists_candidate_entities() -> None:
    with live_server(people_qa()) as base:
        data = httpx.get(
            f"{base}/ask", params={"q": "Where was [Pierre Currie Junior] born?"}, timeout=60
        ).json()
        assert data["answers"] == []
        assert [c["label"] for c in data["candidates"]][:2] == ["Pierre Curie", "Marie Curie"]
        nothing = httpx.get(f"{base}/ask", params={"q": "What is the meaning of life?"}).json()
        assert nothing["answers"] == [] and nothing["candidates"] == []
        answered = httpx.get(f"{base}/ask", params={"q": "Where was Marie Curie born?"}).json()
        assert answered["answers"] and answered["candidates"] == []


def test_the_favicon_is_served() -> None:
    with live_server(people_qa()) as base:
        icon = httpx.get(f"{base}/favicon.ico", timeout=10)
        linked = httpx.get(f"{base}/static/favicon.svg", timeout=10)
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.content.startswith(b"<svg") and linked.content == icon.content
