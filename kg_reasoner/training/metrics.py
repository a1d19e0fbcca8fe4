"""Classification metrics: accuracy, per-class precision/recall/F1, per-group accuracy, set F1.

Predictions of a sequence classifier come from ``logits.argmax(-1)`` over (B, C) logits; the
snippet this project grew from took ``argmax(dim=2)``, which is wrong for (B, C) outputs:
:func:`predictions_from_logits` checks the shape.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import torch
from sklearn.metrics import classification_report


def predictions_from_logits(logits: torch.Tensor) -> list[int]:
    """(B, C) logits -> B predicted class ids."""
    if logits.ndim != 2:
        raise ValueError(f"expected (batch, classes) logits, got shape {tuple(logits.shape)}")
    return logits.argmax(-1).tolist()


def accuracy(y_true: Sequence[int], y_pred: Sequence[int]) -> float:
    """Fraction of exact matches (0.0 for no examples)."""
    _check_lengths(y_true, y_pred)
    if not y_true:
        return 0.0
    return sum(int(t == p) for t, p in zip(y_true, y_pred, strict=True)) / len(y_true)


def classification_metrics(
    y_true: Sequence[int], y_pred: Sequence[int], label_names: Sequence[str]
) -> dict[str, Any]:
    """Accuracy, macro/weighted F1 and a per-class report (scikit-learn), over classes present
    in the gold labels or the predictions."""
    _check_lengths(y_true, y_pred)
    present = sorted(set(y_true) | set(y_pred))
    report = classification_report(
        list(y_true), list(y_pred), labels=present,
        target_names=[label_names[i] for i in present], output_dict=True, zero_division=0,
    ) if present else {}
    per_class = {
        label_names[i]: {k: float(v) for k, v in report[label_names[i]].items()} for i in present
    }
    return {
        "accuracy": accuracy(y_true, y_pred),
        "macro_f1": float(report.get("macro avg", {}).get("f1-score", 0.0)),
        "weighted_f1": float(report.get("weighted avg", {}).get("f1-score", 0.0)),
        "per_class": per_class,
        "n": len(y_true),
    }


def accuracy_by_group(
    y_true: Sequence[int], y_pred: Sequence[int], groups: Sequence[Hashable]
) -> dict[str, float]:
    """Accuracy within each group (e.g. CLUTRR's chain length k), keys as strings, sorted."""
    _check_lengths(y_true, y_pred)
    _check_lengths(y_true, groups)
    hits: dict[Hashable, list[int]] = defaultdict(list)
    for t, p, g in zip(y_true, y_pred, groups, strict=True):
        hits[g].append(int(t == p))
    return {str(g): sum(v) / len(v) for g, v in sorted(hits.items(), key=lambda kv: str(kv[0]))}


def set_f1(gold: Iterable[set[Hashable]], predicted: Iterable[set[Hashable]]) -> dict[str, float]:
    """Micro precision/recall/F1 of predicted item sets against gold sets (e.g. typed edges)."""
    tp = fp = fn = 0
    for g, p in zip(gold, predicted, strict=True):
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _check_lengths(a: Sequence[Any], b: Sequence[Any]) -> None:
    if len(a) != len(b):
        raise ValueError(f"length mismatch: {len(a)} gold labels vs {len(b)} predictions")
