"""``ask``: one call from a question to ranked answers, the answerer loaded once and kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg_reasoner.errors import ConfigError
from kg_reasoner.graph.generation import bump_generation
from kg_reasoner.pipelines import ask, close_answerers, load_answerer
from kg_reasoner.qa import loading
from kg_reasoner.qa.answer import QAResult
from tests.qa.toy_kb import BagOfWordsEmbedder, people_graph

KB = (
    "Marie Curie|born_in|Warsaw\n"
    "Warsaw|capital_of|Poland\n"
    "Pierre Curie|spouse_of|Marie Curie\n"
)
OPEN = float("-inf")  # the calibrated threshold is for the packaged model, not bag-of-words


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every load_qa call (the graphs it was given), with a bag-of-words question embedder."""
    monkeypatch.setattr(
        "kg_reasoner.qa.zero_shot.QuestionEmbedder", lambda *a, **k: BagOfWordsEmbedder()
    )
    calls: list[Any] = []
    real = loading.load_qa

    def counting(**kwargs: Any) -> loading.LoadedQA:
        calls.append(kwargs["graph"])
        return real(**kwargs)

    monkeypatch.setattr(loading, "load_qa", counting)
    yield calls
    close_answerers()


def _kb(tmp_path: Path) -> Path:
    path = tmp_path / "kb.txt"
    path.write_text(KB, encoding="utf-8")
    return path


def test_ask_over_a_kb_file_answers_and_loads_once(tmp_path: Path, loads: list[Any]) -> None:
    kb = _kb(tmp_path)
    first = ask("Where was Marie Curie born?", graph=kb, answer_threshold=OPEN)
    assert isinstance(first, QAResult)
    assert first.answers[0].label == "Warsaw"
    assert first.answers[0].paths[0].text() == "[Marie Curie] -born_in-> Warsaw"
    again = ask("Whom did Pierre Curie marry?", graph=str(kb), answer_threshold=OPEN, top_k=1)
    assert [a.label for a in again.answers] == ["Marie Curie"]
    assert len(loads) == 1  # the same file (as a str or a Path): the kept answerer
    ask("Where was Marie Curie born?", graph=kb)  # another threshold: another answerer
    assert len(loads) == 2


def test_ask_over_an_open_graph_keeps_it_open(loads: list[Any]) -> None:
    graph = people_graph()
    result = ask("Where was Marie Curie born?", graph=graph, answer_threshold=OPEN)
    assert result.answers[0].label == "Warsaw"
    ask("Who married Marie Curie?", graph=graph, answer_threshold=OPEN)
    assert loads == [graph]  # loaded once, over the graph given
    close_answerers()
    assert graph.entity("Warsaw").label == "Warsaw"  # not closed: the caller owns it


def test_a_rebuilt_graph_folder_is_loaded_again(tmp_path: Path, loads: list[Any]) -> None:
    from kg_reasoner.pipelines import build_graph
    from tests.conftest import write_corpus

    corpus = write_corpus(tmp_path / "c", {"a.txt": "Marie Curie was born in Warsaw."})
    build_graph(corpus, tmp_path / "kg")
    assert ask("Where was Marie Curie born?", graph=tmp_path / "kg", answer_threshold=OPEN)
    assert ask("Where was Curie born?", graph=tmp_path / "kg", answer_threshold=OPEN)
    assert len(loads) == 1
    bump_generation(tmp_path / "kg")  # what a newer build of the folder does
    result = ask("Where was Marie Curie born?", graph=tmp_path / "kg", answer_threshold=OPEN)
    assert len(loads) == 2 and result.answers[0].label == "Warsaw"


def test_load_answerer_needs_a_graph_or_a_model() -> None:
    with pytest.raises(ConfigError, match="--graph DIR"):
        load_answerer()
    with pytest.raises(ConfigError, match="--graph DIR"):
        ask("Where was Marie Curie born?")
