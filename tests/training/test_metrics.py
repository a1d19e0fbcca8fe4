"""Classification metrics checked against hand-computed cases."""

from __future__ import annotations

import pytest
import torch

from kg_reasoner.training.metrics import (
    accuracy,
    accuracy_by_group,
    classification_metrics,
    predictions_from_logits,
    set_f1,
)


def test_predictions_take_argmax_over_classes_not_a_third_axis() -> None:
    logits = torch.tensor([[0.1, 2.0, 0.3], [5.0, 0.0, 1.0]])
    assert predictions_from_logits(logits) == [1, 0]
    with pytest.raises(ValueError, match="batch, classes"):
        predictions_from_logits(torch.zeros(2, 3, 4))


def test_per_class_precision_recall_f1_by_hand() -> None:
    gold = [0, 0, 1, 1, 2]
    pred = [0, 1, 1, 1, 0]
    metrics = classification_metrics(gold, pred, ["a", "b", "c"])
    assert metrics["accuracy"] == pytest.approx(3 / 5)
    # class a: tp 1, fp 1 (last), fn 1 -> P = R = F1 = 0.5
    assert metrics["per_class"]["a"]["precision"] == pytest.approx(0.5)
    assert metrics["per_class"]["a"]["recall"] == pytest.approx(0.5)
    # class b: tp 2, fp 1 -> P 2/3, R 1, F1 0.8
    assert metrics["per_class"]["b"]["precision"] == pytest.approx(2 / 3)
    assert metrics["per_class"]["b"]["f1-score"] == pytest.approx(0.8)
    # class c: never predicted -> 0
    assert metrics["per_class"]["c"]["recall"] == 0.0
    assert metrics["macro_f1"] == pytest.approx((0.5 + 0.8 + 0.0) / 3)


def test_accuracy_by_group_and_empty_input() -> None:
    groups = [2, 2, 10, 10, 10]
    assert accuracy_by_group([1, 1, 0, 0, 0], [1, 0, 0, 0, 1], groups) == {
        "10": pytest.approx(2 / 3), "2": 0.5}
    assert accuracy([], []) == 0.0
    with pytest.raises(ValueError, match="length"):
        accuracy([1], [])


def test_set_f1_micro_over_stories() -> None:
    gold = [{("a", "father", "b"), ("b", "son", "a")}, {("c", "wife", "d")}]
    pred = [{("a", "father", "b")}, {("c", "wife", "d"), ("d", "husband", "c")}]
    scores = set_f1(gold, pred)
    assert scores["precision"] == pytest.approx(2 / 3)
    assert scores["recall"] == pytest.approx(2 / 3)
    assert scores["f1"] == pytest.approx(2 / 3)
