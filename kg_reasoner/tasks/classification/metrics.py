"""Classification scores: accuracy and macro F1 (percent) and scikit-learn's per-class
``classification_report``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def classification_scores(
    gold: Sequence[int], predicted: Sequence[int], labels: Sequence[str], *, report: bool
) -> dict[str, Any]:
    """``accuracy``, ``macro_f1`` and, when ``report``, the per-class report (precision,
    recall, F1, support per label; plus its text form)."""
    from sklearn.metrics import classification_report, f1_score

    ids = list(range(len(labels)))
    correct = sum(int(g == p) for g, p in zip(gold, predicted, strict=True))
    scores: dict[str, Any] = {
        "accuracy": round(100.0 * correct / max(len(gold), 1), 2),
        "macro_f1": round(100.0 * float(f1_score(gold, predicted, labels=ids, average="macro",
                                                 zero_division=0)), 2),
        "examples": len(gold),
    }
    if report:
        names = [str(label) for label in labels]
        scores["report"] = classification_report(
            gold, predicted, labels=ids, target_names=names, output_dict=True, zero_division=0)
        scores["report_text"] = classification_report(
            gold, predicted, labels=ids, target_names=names, zero_division=0)
    return scores
