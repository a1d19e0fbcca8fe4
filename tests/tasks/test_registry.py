"""Every registered task: same package shape, the Task protocol, one tiny epoch through the one
runner returning a TrainResult of the same shape, and a loadable run."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch

from kg_reasoner.config import apply_overrides, validate_config
from kg_reasoner.errors import ConfigError
from kg_reasoner.pipelines.training import evaluate, load_run, train
from kg_reasoner.tasks import TASKS, get_task
from kg_reasoner.training import device as device_module
from kg_reasoner.training.result import TrainResult
from kg_reasoner.training.task import Task, run_task
from tests.extraction import supervised_fixtures
from tests.tasks.clutrr import fixture as clutrr_fixture
from tests.tasks.kgqa import fixture as kgqa_fixture


def _kgqa(root: Path) -> dict[str, Any]:
    return kgqa_fixture.tiny_config(root, kgqa_fixture.write_tiny_encoder(root / "encoder"))


def _extraction(root: Path) -> dict[str, Any]:
    encoder = supervised_fixtures.write_tiny_encoder(root / "encoder")
    return supervised_fixtures.tiny_config(root, encoder)


def _clutrr(root: Path) -> dict[str, Any]:
    return {**clutrr_fixture.tiny_config(root), "evaluate_tests": False}


TINY: dict[str, Callable[[Path], dict[str, Any]]] = {
    "kgqa": _kgqa, "extraction": _extraction, "clutrr": _clutrr,
}
SHAPE = ("config", "data", "collate", "metrics", "task")
# Where each task's evaluation and prediction move their batches to the model's device.
EVALUATION_MOVES = {
    "clutrr": {"kg_reasoner.tasks.clutrr.task", "kg_reasoner.tasks.clutrr.extractor"},
    "kgqa": {"kg_reasoner.tasks.kgqa.metrics"},
    "extraction": {"kg_reasoner.extraction.supervised.predictor"},
}
PREDICTION_MOVES = {
    "clutrr": {"kg_reasoner.tasks.clutrr.task"},
    "kgqa": {"kg_reasoner.tasks.kgqa.task"},
    "extraction": {"kg_reasoner.extraction.supervised.predictor"},
}


def test_every_registered_task_has_a_tiny_config_here() -> None:
    assert set(TINY) == set(TASKS)


@pytest.mark.parametrize("name", sorted(TASKS))
def test_task_package_has_the_common_shape(name: str) -> None:
    for part in SHAPE:
        importlib.import_module(f"{TASKS[name]}.{part}")
    module = get_task(name)
    task = module.TASK()
    assert isinstance(task, Task)
    assert task.name == name and task.config_class is module.CONFIG_CLASS


@pytest.mark.parametrize("name", sorted(TASKS))
def test_task_trains_one_epoch_through_the_runner(name: str, tmp_path: Path) -> None:
    result = train(TINY[name](tmp_path), ["training.epochs=1"], resume=False, device="cpu")
    assert isinstance(result, TrainResult)
    assert result.task == name and result.epochs_run == 1 and result.best_epoch == 1
    assert result.output_dir == Path(result.to_dict()["output_dir"])
    assert [row["epoch"] for row in result.history] == [1]
    assert {"epoch", "train_loss", "lr"} <= set(result.history[0])
    assert isinstance(result.metrics, dict) and result.metrics
    assert (result.output_dir / "result.json").is_file()
    run = load_run(result.output_dir)
    assert run.task == name and isinstance(run.config, get_task(name).CONFIG_CLASS)
    assert sum(p.numel() for p in run.model.parameters()) > 0
    assert run.metrics == json.loads(json.dumps(result.metrics, default=str))
    assert isinstance(evaluate(result.output_dir), dict)


def _spy_on_moves(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, torch.device]]:
    """Record (module, device) for every move_to_device call of the evaluation paths."""
    seen: list[tuple[str, torch.device]] = []
    for name in set().union(*EVALUATION_MOVES.values(), *PREDICTION_MOVES.values()):

        def moved(value: Any, device: torch.device, _module: str = name) -> Any:
            seen.append((_module, device))
            return device_module.move_to_device(value, device)

        monkeypatch.setattr(importlib.import_module(name), "move_to_device", moved)
    return seen


def _prediction_inputs(name: str, task: Any) -> list[Any]:
    if name == "clutrr":
        return list(task.validation_examples[:2])
    if name == "kgqa":
        return list(task.validation_split.records[:2])
    return [["Alice", "works", "for", "Acme", "."]]


@pytest.mark.parametrize("name", sorted(TASKS))
def test_task_evaluates_and_predicts_on_the_model_device(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = get_task(name)
    config = validate_config(
        module.CONFIG_CLASS, apply_overrides(TINY[name](tmp_path), ["training.epochs=1"])
    )
    seen = _spy_on_moves(monkeypatch)
    task = module.TASK()
    run_task(task, config, resume=False, device="cpu")
    assert EVALUATION_MOVES[name] <= {module_name for module_name, _ in seen}
    assert {device for _, device in seen} == {torch.device("cpu")}
    seen.clear()
    inputs = _prediction_inputs(name, task)
    assert inputs
    predictions = task.predict(load_run(config.output_dir).model, inputs)
    assert len(predictions) == len(inputs)
    assert PREDICTION_MOVES[name] <= {module_name for module_name, _ in seen}
    assert {device for _, device in seen} == {torch.device("cpu")}


def test_unknown_task_lists_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="valid tasks: clutrr, extraction, kgqa"):
        train({"task": "nope", "output_dir": str(tmp_path)})
    with pytest.raises(ConfigError, match="task"):
        train({"output_dir": str(tmp_path)})
