"""The Task protocol and run_task: a toy task trains through the one runner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch
from pydantic import Field
from torch import nn

from kg_reasoner.config import StrictModel
from kg_reasoner.errors import ConfigError
from kg_reasoner.training.config import OptimConfig
from kg_reasoner.training.loop import FitResult
from kg_reasoner.training.result import TrainResult
from kg_reasoner.training.task import FitPlan, Task, run_task
from tests.training.test_loop import TinyClassifier, _batches, _evaluate


class ToyConfig(StrictModel):
    output_dir: str
    training: OptimConfig = Field(default_factory=lambda: OptimConfig(
        lr=0.05, epochs=2, patience=0, warmup_ratio=0.1))


class ToyTask:
    name = "toy"
    config_class = ToyConfig

    def __init__(self) -> None:
        self.calls: list[str] = []

    def prepare(self, config: ToyConfig, *, resume: bool) -> None:
        self.calls.append("prepare")

    def build_model(self) -> nn.Module:
        self.calls.append("build_model")
        return TinyClassifier()

    def train_data(self) -> Any:
        return _batches

    def fit_plan(self, model: nn.Module) -> FitPlan:
        return FitPlan(select="accuracy", checkpoint_config={"task": "toy"},
                       vocab={"labels": ["a", "b", "c"]}, progress=False)

    def evaluate(self, model: nn.Module) -> dict[str, float]:
        return _evaluate(model)

    def predict(self, model: nn.Module, inputs: Any) -> list[Any]:
        with torch.no_grad():
            return model(inputs).logits.argmax(-1).tolist()

    def post_fit(self, model: nn.Module, fit_result: FitResult) -> dict[str, Any]:
        self.calls.append("post_fit")
        return {**fit_result.best_metrics, "extra": 1.0}


def test_toy_task_satisfies_the_protocol() -> None:
    assert isinstance(ToyTask(), Task)


def test_run_task_returns_a_saved_train_result(tmp_path: Path) -> None:
    task = ToyTask()
    config = ToyConfig(output_dir=str(tmp_path / "run"))
    result = run_task(task, config, resume=False, device="cpu")
    assert isinstance(result, TrainResult)
    assert task.calls == ["prepare", "build_model", "post_fit"]
    assert result.task == "toy" and result.epochs_run == 2
    assert [row["epoch"] for row in result.history] == [1, 2]
    assert result.best_epoch in (1, 2) and result.metrics["extra"] == 1.0
    assert result.metrics["accuracy"] == max(r["val_accuracy"] for r in result.history)
    saved = json.loads((tmp_path / "run" / "result.json").read_text())
    assert saved == result.to_dict()
    assert (tmp_path / "run" / "model.safetensors").is_file()


def test_run_task_is_deterministic(tmp_path: Path) -> None:
    first = run_task(ToyTask(), ToyConfig(output_dir=str(tmp_path / "a")), resume=False)
    second = run_task(ToyTask(), ToyConfig(output_dir=str(tmp_path / "b")), resume=False)
    assert [r["train_loss"] for r in first.history] == [r["train_loss"] for r in second.history]


def test_unknown_device_stops_before_training(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown device"):
        run_task(ToyTask(), ToyConfig(output_dir=str(tmp_path / "run")), device="tpu!")
    assert not (tmp_path / "run" / "model.safetensors").exists()
