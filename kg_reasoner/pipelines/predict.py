"""``predict``: what a trained run says about new input.

- :func:`predict`: the kinship relation a CLUTRR run reads between two people of a story;
- :func:`predict_text`: the label a classification run gives a text;
- :func:`predict_choice`: the choice a multiple-choice run picks for a question.

The last two also return, when the run has a graph, the subgraph nodes with the highest
read-out attention and the paths from the question's nodes to them, each edge with its source.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg_reasoner.errors import ConfigError


def predict(
    run_dir: str | Path,
    story: str,
    head: str,
    tail: str,
    *,
    genders: dict[str, str] | None = None,
    top: int = 3,
) -> dict[str, Any]:
    """What is ``tail`` to ``head`` in ``story`` (people as ``[Name]``, else spaCy PERSONs)?

    The relation, its probability, the graph path supporting it and the ``top`` alternatives,
    from a run directory of a clutrr training (what `kgr predict` prints).
    """
    from kg_reasoner.tasks.clutrr import predict as predict_kinship

    return predict_kinship(run_dir, story, head, tail, genders=genders, top=top)


def _run_task(run_dir: str | Path, expected: str, option: str) -> None:
    from kg_reasoner.pipelines.training import task_of

    found = task_of(Path(run_dir))
    if found != expected:
        raise ConfigError(f"{run_dir} is a {found} run; {option} needs a {expected} run")


def predict_text(run_dir: str | Path, text: str, *, top: int = 5) -> dict[str, Any]:
    """The label of ``text`` by a classification run: ``label``, ``probability``, every class's
    ``probabilities`` and, with a graph, ``explanation`` (``nodes``, ``paths``)."""
    from kg_reasoner.tasks.classification import predict_texts

    _run_task(run_dir, "classification", "--text")
    if not text.strip():
        raise ConfigError("--text is empty")
    return predict_texts(run_dir, [text], top=top)[0]


def predict_choice(
    run_dir: str | Path, question: str, choices: Sequence[str], *, top: int = 5
) -> dict[str, Any]:
    """The answer to ``question`` among ``choices`` by a multiple-choice run: ``answer``,
    ``probability``, every choice's ``probabilities`` and, with a graph, ``explanation``."""
    from kg_reasoner.tasks.multiple_choice import predict_choice as choose

    _run_task(run_dir, "multiple_choice", "--question/--choices")
    cleaned = [c.strip() for c in choices if c.strip()]
    if not question.strip() or len(cleaned) < 2:
        raise ConfigError("give a --question and at least 2 --choices (comma-separated)")
    return choose(run_dir, question, cleaned, top=top)


__all__ = ["predict", "predict_choice", "predict_text"]
