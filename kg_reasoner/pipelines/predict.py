"""``predict``: the kinship relation a trained CLUTRR run reads between two people of a story."""

from __future__ import annotations

from pathlib import Path
from typing import Any


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


__all__ = ["predict"]
