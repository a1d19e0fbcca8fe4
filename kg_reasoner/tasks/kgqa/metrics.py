"""KGQA metrics: Hits@1, answer-set F1 at a score threshold, and choosing that threshold."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import torch

DEFAULT_THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))


def predicted_sets(scores: torch.Tensor, threshold: float) -> list[set[int]]:
    """Entities scoring at least ``threshold`` (always including the top one) per row of (B, N)."""
    top = scores.argmax(dim=1)
    rows = []
    for b in range(scores.shape[0]):
        chosen = set(torch.nonzero(scores[b] >= threshold).flatten().tolist())
        chosen.add(int(top[b]))
        rows.append(chosen)
    return rows


def set_f1(predicted: set[int], gold: set[int]) -> float:
    if not predicted or not gold:
        return 0.0
    hits = len(predicted & gold)
    if hits == 0:
        return 0.0
    precision, recall = hits / len(predicted), hits / len(gold)
    return 2 * precision * recall / (precision + recall)


def batch_hits_and_f1(
    scores: torch.Tensor, gold: Sequence[set[int]], thresholds: Iterable[float]
) -> tuple[list[float], dict[float, list[float]]]:
    """Per-question Hits@1 and, per threshold, per-question F1."""
    top = scores.argmax(dim=1).tolist()
    hits = [1.0 if t in g else 0.0 for t, g in zip(top, gold, strict=True)]
    f1 = {
        th: [set_f1(p, g) for p, g in zip(predicted_sets(scores, th), gold, strict=True)]
        for th in thresholds
    }
    return hits, f1


def best_threshold(f1_by_threshold: dict[float, list[float]]) -> tuple[float, float]:
    """(threshold, mean F1) maximising mean F1; ties go to the higher threshold."""
    best = max(f1_by_threshold.items(), key=lambda kv: (sum(kv[1]) / max(len(kv[1]), 1), kv[0]))
    return best[0], sum(best[1]) / max(len(best[1]), 1)
