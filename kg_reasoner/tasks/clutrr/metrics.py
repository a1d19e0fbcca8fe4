"""CLUTRR scores: validation selection score, accuracy per class and per chain length k."""

from __future__ import annotations

from typing import Any

import torch

from kg_reasoner.tasks.clutrr.kinship import RELATIONS
from kg_reasoner.training.metrics import accuracy_by_group, classification_metrics


def validation_scores(probs: torch.Tensor, gold: torch.Tensor) -> dict[str, float]:
    """Accuracy, NLL and ``score`` = accuracy - 0.01 * NLL of (B, C) probabilities.

    Validation accuracy saturates early on k=2,3; the score sends ties to the more confident
    model.
    """
    acc = float((probs.argmax(-1) == gold).float().mean())
    nll = float(-probs[torch.arange(len(gold)), gold].clamp(min=1e-9).log().mean())
    return {"accuracy": acc, "nll": nll, "score": acc - 0.01 * nll}


def relation_metrics(
    gold: list[int], predicted: list[int], ks: list[int],
    noise: list[str | None] | None = None, reversed_text: list[bool] | None = None,
) -> dict[str, Any]:
    """Overall and per-relation classification metrics plus ``accuracy_by_k`` and, where the
    task names give it (``task_1.k`` clean .. ``task_4.k`` disconnected), ``accuracy_by_noise``
    and ``accuracy_by_noise_k`` (keys ``"<noise>/<k>"``); ``stories_by_k`` counts the stories.

    ``reversed_text`` flags the stories whose text states a gold fact the other way round
    (:mod:`~kg_reasoner.tasks.clutrr.consistency`): ``reversed_stories_by_k`` counts them and
    ``accuracy_by_k_text_consistent`` is the accuracy on the others.
    """
    metrics = classification_metrics(gold, predicted, RELATIONS)
    metrics["accuracy_by_k"] = accuracy_by_group(gold, predicted, ks)
    metrics["stories_by_k"] = {str(k): ks.count(k) for k in sorted(set(ks))}
    if reversed_text is not None:
        metrics["reversed_stories_by_k"] = {
            str(k): sum(f for f, k2 in zip(reversed_text, ks, strict=True) if k2 == k)
            for k in sorted(set(ks))
        }
        keep = [i for i, flagged in enumerate(reversed_text) if not flagged]
        metrics["accuracy_by_k_text_consistent"] = accuracy_by_group(
            *_pick(keep, gold, predicted), [ks[i] for i in keep])
    if noise is not None:
        known = [i for i, n in enumerate(noise) if n is not None]
        if known:
            pick = _pick(known, gold, predicted)
            metrics["accuracy_by_noise"] = accuracy_by_group(*pick, [noise[i] for i in known])
            metrics["accuracy_by_noise_k"] = accuracy_by_group(
                *pick, [f"{noise[i]}/{ks[i]}" for i in known])
    return metrics


def _pick(rows: list[int], gold: list[int], predicted: list[int]) -> tuple[list[int], list[int]]:
    """The gold and predicted labels of the chosen examples."""
    return [gold[i] for i in rows], [predicted[i] for i in rows]
