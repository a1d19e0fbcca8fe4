"""Multiple-choice scores: accuracy in percent (and the number of questions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def choice_accuracy(gold: Sequence[int], predicted: Sequence[int]) -> dict[str, Any]:
    correct = sum(int(g == p) for g, p in zip(gold, predicted, strict=True))
    return {"accuracy": round(100.0 * correct / max(len(gold), 1), 2), "questions": len(gold)}
