"""The multiple-choice reader: CommonsenseQA records and the generic format; malformed input is
one DataFormatError naming file:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg_reasoner.errors import DataFormatError
from kg_reasoner.tasks.multiple_choice.collate import to_example
from kg_reasoner.tasks.multiple_choice.data import read_choice_questions
from tests.tasks.text_graph_fixture import QUESTIONS, write_questions


def _lines(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("csqa", [True, False])
def test_both_formats_read_to_the_same_questions(tmp_path: Path, csqa: bool) -> None:
    questions = read_choice_questions(write_questions(tmp_path / "q.jsonl", csqa=csqa))
    assert [(q.question, list(q.choices), q.answer) for q in questions] == [
        (q, c, a) for q, c, a in QUESTIONS]
    example = to_example(questions[0])
    assert example.texts[1] == (QUESTIONS[0][0], QUESTIONS[0][1][1])
    assert example.item == (QUESTIONS[0][0], QUESTIONS[0][1]) and example.gold == 0


def test_generic_answers_by_text_and_unlabelled(tmp_path: Path) -> None:
    path = _lines(tmp_path / "g.jsonl", [
        {"question": "q1", "choices": ["a", "b"], "answer": "b", "id": "x"},
        {"question": "q2", "choices": ["a", "b"]},
    ])
    first, second = read_choice_questions(path, fmt="generic")
    assert (first.answer, first.id, second.answer) == (1, "x", None)


def test_the_real_commonsenseqa_layout(tmp_path: Path) -> None:
    row = {"answerKey": "B", "id": "1", "question": {"question_concept": "door", "choices": [
        {"label": "A", "text": "bank"}, {"label": "B", "text": "mall"},
        {"label": "C", "text": "mall"}], "stem": "Where is a revolving door?"}}
    (q,) = read_choice_questions(_lines(tmp_path / "c.jsonl", [row]))
    assert q.answer == 1 and q.choices == ("bank", "mall", "mall")  # repeats occur in CSQA


GOOD = {"question": "q", "choices": ["a", "b", "c"], "answer": 0}


@pytest.mark.parametrize(("rows", "message"), [
    ([GOOD, "{not json"], r":2: not valid JSON"),
    ([{**GOOD, "answer": 3}], r":1: answer index 3 is outside 0\.\.2"),
    ([{**GOOD, "answer": "d"}], r":1: answer 'd' is not one of the choices"),
    ([{**GOOD, "choices": ["a"]}], r":1: a question needs at least 2 choices"),
    ([{**GOOD, "choices": "a,b"}], r":1: 'choices' must be a list"),
    ([{**GOOD, "question": ""}], r":1: 'question' must be a non-empty string"),
    ([GOOD, {**GOOD, "choices": ["a", "b"], "answer": 1}], r":2: 2 choices, but .*:1 has 3"),
    ([{"answerKey": "E", "question": {"stem": "s", "choices": [
        {"label": "A", "text": "x"}, {"label": "B", "text": "y"}]}}],
     r":1: answerKey 'E' is not a choice label \(A, B\)"),
    ([{"question": {"stem": "s"}}], r":1: question\.choices must be a list"),
])
def test_malformed_input_names_the_line(tmp_path: Path, rows: list[object], message: str) -> None:
    with pytest.raises(DataFormatError, match=message):
        read_choice_questions(_lines(tmp_path / "bad.jsonl", rows))


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="questions file not found"):
        read_choice_questions(tmp_path / "none.jsonl")
    with pytest.raises(DataFormatError, match="no questions"):
        read_choice_questions(_lines(tmp_path / "e.jsonl", [""]))
