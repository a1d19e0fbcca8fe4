"""Multiple-choice questions from JSONL, in CommonsenseQA's layout or a generic one.

CommonsenseQA: ``{"id", "question": {"stem", "choices": [{"label": "A", "text": ...}, ...]},
"answerKey": "A"}``. Generic: ``{"question": "...", "choices": ["...", ...], "answer": 2}``
(``answer`` a 0-based index or the text of a choice; ``id`` optional; no ``answer`` in an
unlabelled file). Every question of a file has the same number of choices (at least 2). A
malformed line raises :class:`DataFormatError` naming ``file:line``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg_reasoner.errors import DataFormatError
from kg_reasoner.tasks.text_graph.jsonl_rows import jsonl_objects


@dataclass(frozen=True)
class ChoiceQuestion:
    """A question, its choices and the index of the right one (None when unlabelled)."""

    question: str
    choices: tuple[str, ...]
    answer: int | None
    id: str = ""
    source: str = ""


def read_choice_questions(
    path: str | Path, *, fmt: str = "auto", limit: int | None = None
) -> list[ChoiceQuestion]:
    """Read a questions file (``fmt``: auto, csqa or generic)."""
    path = Path(path)
    if not path.is_file():
        raise DataFormatError(f"questions file not found: {path}")
    questions: list[ChoiceQuestion] = []
    for number, row in jsonl_objects(path):
        where = f"{path}:{number}"
        kind = fmt if fmt != "auto" else ("csqa" if isinstance(row.get("question"), dict)
                                          else "generic")
        record = _csqa(row, where) if kind == "csqa" else _generic(row, where)
        if questions and len(record.choices) != len(questions[0].choices):
            raise DataFormatError(
                f"{where}: {len(record.choices)} choices, but {questions[0].source} has "
                f"{len(questions[0].choices)}: every question of a file needs the same number"
            )
        questions.append(record)
        if limit is not None and len(questions) >= limit:
            break
    if not questions:
        raise DataFormatError(f"{path}: no questions")
    return questions


def _text(value: Any, what: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataFormatError(f"{where}: {what} must be a non-empty string")
    return value.strip()


def _checked(choices: list[str], where: str) -> tuple[str, ...]:
    if len(choices) < 2:
        raise DataFormatError(f"{where}: a question needs at least 2 choices, got {len(choices)}")
    return tuple(choices)


def _csqa(row: dict[str, Any], where: str) -> ChoiceQuestion:
    body = row.get("question")
    if not isinstance(body, dict):
        raise DataFormatError(f"{where}: CommonsenseQA records need a 'question' object with "
                              "'stem' and 'choices'")
    stem = _text(body.get("stem"), "question.stem", where)
    raw = body.get("choices")
    if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
        raise DataFormatError(f"{where}: question.choices must be a list of "
                              "{\"label\", \"text\"} objects")
    labels = [str(c.get("label", "")) for c in raw]
    choices = _checked([_text(c.get("text"), "a choice's text", where) for c in raw], where)
    key = row.get("answerKey")
    answer = None
    if key is not None:
        if str(key) not in labels:
            raise DataFormatError(f"{where}: answerKey {key!r} is not a choice label "
                                  f"({', '.join(labels)})")
        answer = labels.index(str(key))
    return ChoiceQuestion(stem, choices, answer, str(row.get("id", "")), where)


def _generic(row: dict[str, Any], where: str) -> ChoiceQuestion:
    question = _text(row.get("question"), "'question'", where)
    raw = row.get("choices")
    if not isinstance(raw, list):
        raise DataFormatError(f"{where}: 'choices' must be a list of strings")
    choices = _checked([_text(c, "every choice", where) for c in raw], where)
    answer = row.get("answer")
    index = None
    if isinstance(answer, bool):
        raise DataFormatError(f"{where}: 'answer' must be a choice index or a choice's text")
    if isinstance(answer, int):
        if not 0 <= answer < len(choices):
            raise DataFormatError(
                f"{where}: answer index {answer} is outside 0..{len(choices) - 1}")
        index = answer
    elif isinstance(answer, str):
        if answer.strip() not in choices:
            raise DataFormatError(f"{where}: answer {answer!r} is not one of the choices")
        index = choices.index(answer.strip())
    elif answer is not None:
        raise DataFormatError(f"{where}: 'answer' must be a choice index or a choice's text")
    return ChoiceQuestion(question, choices, index, str(row.get("id", "")), where)
