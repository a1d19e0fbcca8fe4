"""Many questions in one process (`kgr ask --questions FILE`): read them, answer, score.

The file holds one question a line, optionally followed by a TAB and the gold answer(s),
several separated by ``|``. Blank lines and lines starting with ``#`` are skipped; a line
that cannot be read as a question is reported and skipped, never fatal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg_reasoner.errors import CorpusError
from kg_reasoner.qa.answer import QAResult
from kg_reasoner.qa.gold import matches


@dataclass(frozen=True)
class BatchQuestion:
    """A question of the file, its line number and its gold answers (empty = none given)."""

    line: int
    question: str
    gold: tuple[str, ...] = ()


def read_questions(path: str | Path) -> tuple[list[BatchQuestion], list[str]]:
    """``(questions, problems)``: each problem names its line and what is wrong with it."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path} is not UTF-8 text ({exc.reason}); save it as UTF-8") from exc
    except OSError as exc:
        raise CorpusError(f"cannot read {path}: {exc.strerror}; check the path") from exc
    questions: list[BatchQuestion] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        question = fields[0].strip()
        if len(fields) > 2:
            problems.append(f"line {number}: more than one TAB; write QUESTION<TAB>GOLD|GOLD")
        elif not question:
            problems.append(f"line {number}: no question before the TAB")
        else:
            gold = tuple(g.strip() for g in fields[1].split("|") if g.strip()) if fields[1:] else ()
            questions.append(BatchQuestion(number, question, gold))
    return questions, problems


@dataclass
class BatchRow:
    """One answered question of the file, scored when it has gold answers."""

    item: BatchQuestion
    result: QAResult

    @property
    def top(self) -> str:
        return self.result.answers[0].label if self.result.answers else ""

    @property
    def correct(self) -> bool | None:
        """Rank-1 candidate matches a gold answer (None without gold)."""
        if not self.item.gold:
            return None
        return bool(self.top) and matches(self.top, list(self.item.gold))

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.item.line,
            "gold": list(self.item.gold),
            "correct": self.correct,
            **self.result.to_dict(),
        }


def summary(rows: list[BatchRow], problems: list[str]) -> dict[str, Any]:
    """Counts, and over the questions with gold: accuracy at rank 1 (rank-1 candidate), and
    answered-and-correct (the answer was given, not withheld as "not found in the graph")."""
    scored = [r for r in rows if r.correct is not None]
    out: dict[str, Any] = {
        "questions": len(rows),
        "answered": sum(not r.result.abstained for r in rows),
        "bad_lines": len(problems),
        "with_gold": len(scored),
    }
    if scored:
        out["accuracy_at_1"] = round(sum(bool(r.correct) for r in scored) / len(scored), 4)
        out["answered_correct"] = round(
            sum(bool(r.correct) and not r.result.abstained for r in scored) / len(scored), 4
        )
    return out


def summary_line(figures: dict[str, Any]) -> str:
    text = f"{figures['questions']} questions, {figures['answered']} answered"
    if figures["bad_lines"]:
        text += f", {figures['bad_lines']} bad lines skipped"
    if "accuracy_at_1" in figures:
        text += (
            f"; with gold ({figures['with_gold']}): accuracy@1 {figures['accuracy_at_1']:.3f}, "
            f"answered and correct {figures['answered_correct']:.3f}"
        )
    return text


def row_line(row: BatchRow) -> str:
    """``12. Where was X born? -> Warsaw (1.274)  [gold Warsaw: right]``."""
    selected = row.result.selected
    if selected:
        answer = " | ".join(f"{a.label} ({a.score:.3f})" for a in selected)
    elif row.result.answers:
        best = row.result.answers[0]
        answer = f"not found in the graph (best candidate {best.label}, {best.score:.3f})"
    else:
        answer = "not found in the graph"
    text = f"{row.item.line:>4}. {row.item.question} -> {answer}"
    if row.result.ambiguous:
        text += "  AMBIGUOUS"
    if row.correct is not None:
        text += f"  [gold {' | '.join(row.item.gold)}: {'right' if row.correct else 'wrong'}]"
    return text
