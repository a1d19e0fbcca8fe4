"""``score_extractor``: strict entity and relation scores of a trained extractor on labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def score_extractor(
    run_dir: str | Path,
    data: str | Path | None = None,
    *,
    batch_size: int = 32,
    relation_threshold: float | None = None,
) -> dict[str, Any]:
    """P/R/F1 (boundaries and types must match) per type, micro and macro, of the extraction run
    ``run_dir`` on ``data`` (CoNLL04-format JSON/JSONL; default: the run config's dev file);
    ``relation_threshold`` overrides the model's probability cut-off."""
    from kg_reasoner.tasks.extraction import evaluate

    return evaluate(run_dir, data, batch_size=batch_size, relation_threshold=relation_threshold)


__all__ = ["score_extractor"]
