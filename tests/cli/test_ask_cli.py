"""`kgr ask` end to end through the real entry point: abstention in the output, batch mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_graph_cli import run
from tests.qa.toy_kb import BagOfWordsEmbedder


@pytest.fixture
def kg(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    """The conftest corpus built by `kgr build`; answering uses the bag-of-words embedder."""
    monkeypatch.setattr(
        "kg_reasoner.qa.zero_shot.QuestionEmbedder", lambda *a, **k: BagOfWordsEmbedder()
    )
    code, _, _ = run(capsys, "build", str(corpus), "--graph", str(tmp_path / "kg"), "-q")
    assert code == 0
    return tmp_path / "kg"


def test_ask_json_and_text_say_not_found_below_the_threshold(kg: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    question = "Where was Marie Curie born?"
    code, out, _ = run(capsys, "ask", "--graph", str(kg), "--json", question)
    answered = json.loads(out)
    assert code == 0 and not answered["abstained"] and answered["answers"][0]["selected"]
    args = ["ask", "--graph", str(kg), "--answer-threshold", "99"]
    code, out, _ = run(capsys, *args, "--json", question)
    withheld = json.loads(out)
    assert withheld["abstained"] and withheld["answer_threshold"] == 99.0
    assert withheld["answers"] and not any(a["selected"] for a in withheld["answers"])
    code, out, _ = run(capsys, *args, question)
    assert code == 0 and "not found in the graph" in out


def test_batch_mode_answers_every_line_and_scores_gold(kg: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    questions = tmp_path / "questions.tsv"
    questions.write_text(
        "Where was Marie Curie born?\tWarsaw\n"
        "# a comment\n\n"
        "Where was Alan Turing born?\tParis|Berlin\n"
        "\tan answer without a question\n"
        "Who founded Google?\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "ask", "--graph", str(kg), "--questions", str(questions))
    assert code == 0
    assert "Where was Marie Curie born? -> Warsaw" in out and "right" in out
    assert "Where was Alan Turing born? -> London" in out and "wrong" in out
    assert "line 5: no question before the TAB" in err
    assert "accuracy@1 0.500" in out and "3 questions" in out
    code, out, _ = run(capsys, "ask", "--graph", str(kg), "--questions", str(questions), "--json")
    data = json.loads(out)
    assert code == 0 and data["summary"]["accuracy_at_1"] == 0.5
    assert [q["line"] for q in data["questions"]] == [1, 4, 6]
    assert data["questions"][0]["correct"] is True and data["questions"][2]["correct"] is None
    assert "abstained" in data["questions"][0] and len(data["bad_lines"]) == 1


def test_ask_needs_a_question_or_a_file_but_not_both(kg: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "ask", "--graph", str(kg))
    assert code == 2 and "--questions" in err and "Traceback" not in err
    questions = tmp_path / "q.tsv"
    questions.write_text("Who founded Google?\n", encoding="utf-8")
    code, _, err = run(capsys, "ask", "--graph", str(kg), "--questions", str(questions), "Who?")
    assert code == 2 and "not both" in err
