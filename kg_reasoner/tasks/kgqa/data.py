"""KGQA questions: ``question TAB answer1|answer2`` lines with the topic entity in [brackets]."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kg_reasoner.errors import DataFormatError
from kg_reasoner.qa.kgqa_config import KGQAConfig

_BRACKET = re.compile(r"\[([^\[\]]+)\]")


@dataclass(frozen=True)
class QuestionRecord:
    """One question; ``group`` is its file's name in the config (e.g. the hop count "2")."""

    question: str
    topics: tuple[str, ...]
    answers: tuple[str, ...]
    group: str
    qtype: str = ""
    source: str = ""


def bracketed_entities(question: str) -> list[tuple[str, int, int]]:
    """``(name, start, end)`` of every ``[name]`` in the question (span includes brackets)."""
    return [(m.group(1).strip(), m.start(), m.end()) for m in _BRACKET.finditer(question)]


def read_questions(
    path: str | Path, *, group: str, qtype_path: str | Path | None = None
) -> list[QuestionRecord]:
    """Read a questions file; a malformed line raises :class:`DataFormatError` naming it."""
    path = Path(path)
    if not path.is_file():
        raise DataFormatError(f"questions file not found: {path}")
    qtypes: list[str] = []
    if qtype_path is not None:
        qtype_path = Path(qtype_path)
        if not qtype_path.is_file():
            raise DataFormatError(f"question-type file not found: {qtype_path}")
        qtypes = qtype_path.read_text(encoding="utf-8").splitlines()
    records = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = line.split("\t")
        where = f"{path}:{number}"
        if len(parts) != 2:
            raise DataFormatError(
                f"{where}: expected 'question<TAB>answer1|answer2', got {line[:120]!r}"
            )
        question, answer_text = parts[0].strip(), parts[1].strip()
        topics = tuple(name for name, _, _ in bracketed_entities(question))
        if not topics:
            raise DataFormatError(f"{where}: the question has no [topic entity] in brackets")
        answers = tuple(a.strip() for a in answer_text.split("|") if a.strip())
        if not answers:
            raise DataFormatError(f"{where}: no answers after the TAB")
        qtype = qtypes[number - 1].strip() if number - 1 < len(qtypes) else ""
        records.append(QuestionRecord(question, topics, answers, group, qtype, where))
    if qtypes and len(qtypes) != len(lines):
        raise DataFormatError(
            f"{qtype_path} has {len(qtypes)} lines but {path} has {len(lines)}: they must align"
        )
    return records


def split_validation(
    records: list[QuestionRecord], *, fraction: float, seed: int
) -> tuple[list[QuestionRecord], list[QuestionRecord]]:
    """A fixed random ``fraction`` of the records as validation, the rest as training."""
    if not records:
        return [], []
    order = np.random.default_rng(seed).permutation(len(records))
    n_val = round(len(records) * fraction)
    val_ids = set(order[:n_val].tolist())
    train = [r for i, r in enumerate(records) if i not in val_ids]
    val = [r for i, r in enumerate(records) if i in val_ids]
    return train, val


def load_splits(config: KGQAConfig) -> dict[str, list[QuestionRecord]]:
    """``train`` and ``validation`` records: a fixed slice of every questions file."""
    splits: dict[str, list[QuestionRecord]] = {"train": [], "validation": []}
    for qfile in config.data.questions:
        qtypes = config.data.resolve(qfile.qtypes) if qfile.qtypes else None
        records = read_questions(
            config.data.resolve(qfile.path), group=qfile.name, qtype_path=qtypes
        )
        train, val = split_validation(
            records, fraction=config.data.validation_fraction, seed=config.data.split_seed
        )
        splits["train"] += train
        splits["validation"] += val
    return splits
