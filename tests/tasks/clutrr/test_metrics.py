"""CLUTRR validation score and per-k metrics."""

from __future__ import annotations

import pytest
import torch

from kg_reasoner.tasks.clutrr.kinship import RELATIONS
from kg_reasoner.tasks.clutrr.metrics import relation_metrics, validation_scores


def test_validation_score_prefers_the_more_confident_model_at_equal_accuracy() -> None:
    gold = torch.tensor([0, 1])
    sure = torch.tensor([[0.9, 0.1], [0.2, 0.8]])
    unsure = torch.tensor([[0.6, 0.4], [0.4, 0.6]])
    a, b = validation_scores(sure, gold), validation_scores(unsure, gold)
    assert a["accuracy"] == b["accuracy"] == 1.0
    assert a["nll"] == pytest.approx(-(torch.tensor([0.9, 0.8]).log().mean().item()))
    assert a["score"] > b["score"]
    assert a["score"] == pytest.approx(a["accuracy"] - 0.01 * a["nll"])


def test_relation_metrics_group_accuracy_by_k() -> None:
    gold = [0, 1, 2, 3]
    out = relation_metrics(gold, [0, 1, 2, 0], [2, 2, 3, 3])
    assert out["accuracy_by_k"] == {"2": 1.0, "3": 0.5}
    assert out["n"] == 4 and out["accuracy"] == 0.75
    assert set(out["per_class"]) <= set(RELATIONS)


def test_accuracy_on_stories_whose_text_agrees_with_the_gold_facts() -> None:
    out = relation_metrics([0, 1, 2, 3], [0, 0, 2, 0], [2, 2, 3, 3],
                           reversed_text=[False, True, False, True])  # fmt: skip
    assert out["reversed_stories_by_k"] == {"2": 1, "3": 1}
    assert out["stories_by_k"] == {"2": 2, "3": 2}
    assert out["accuracy_by_k_text_consistent"] == {"2": 1.0, "3": 1.0}
    assert out["accuracy_by_k"] == {"2": 0.5, "3": 0.5}
