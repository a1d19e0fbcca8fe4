"""Training from Python in one call: :func:`train`, :func:`load_run`, :func:`evaluate`.

``train("configs/metaqa.yaml")`` trains whichever task the config's ``task:`` key names (through
the one runner, :func:`kg_reasoner.training.task.run_task`) and returns a :class:`TrainResult`;
``load_run`` gives back a run's config and model; ``evaluate`` scores a run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from torch import nn

from kg_reasoner.config import apply_overrides, read_yaml, validate_config
from kg_reasoner.errors import ConfigError, ModelLoadError
from kg_reasoner.tasks import get_task
from kg_reasoner.training.checkpoint import CONFIG_FILE
from kg_reasoner.training.result import RESULT_FILE, TrainResult
from kg_reasoner.training.task import run_task

__all__ = ["Run", "TrainResult", "evaluate", "load_run", "train"]


@dataclass
class Run:
    """A trained run directory: its task, validated config, model and recorded metrics."""

    task: str
    config: Any
    model: nn.Module
    metrics: dict[str, Any] = field(default_factory=dict)
    directory: Path | None = None


def train(
    config: str | Path | Mapping[str, Any],
    overrides: list[str] | None = None,
    *,
    resume: bool = True,
    device: str | None = None,
) -> TrainResult:
    """Train the task named by the config's ``task:`` key (a YAML path or a mapping).

    ``overrides`` are dotted ``key=value`` strings, as with ``kgr train --set``; ``resume``
    continues an interrupted run in ``output_dir``; ``device`` ("auto", "cpu" or "cuda")
    overrides the config's ``training.device``. Under ``torchrun`` this process is one rank of a
    DistributedDataParallel run (see :mod:`kg_reasoner.training.distributed`).
    """
    if isinstance(config, Mapping):
        source, data = "config", apply_overrides(dict(config), overrides)
    else:
        source, data = str(config), apply_overrides(read_yaml(config), overrides)
    if not data.get("task"):
        raise ConfigError(f"{source}: missing the `task:` key (e.g. task: clutrr)")
    module = get_task(str(data["task"]))
    validated = validate_config(module.CONFIG_CLASS, data, source=source)
    return run_task(module.TASK(), validated, resume=resume, device=device)


def task_of(run_dir: Path) -> str:
    """The task a run directory was trained for (its ``config.json``)."""
    path = run_dir / CONFIG_FILE
    if not path.is_file():
        raise ModelLoadError(
            f"{run_dir} has no {CONFIG_FILE}: is it a run directory of `kgr train`?"
        )
    try:
        task = json.loads(path.read_text(encoding="utf-8")).get("task")
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"{path} is unreadable: {exc}") from exc
    if not task:
        raise ModelLoadError(f"{path} does not name its task")
    return str(task)


def load_run(directory: str | Path) -> Run:
    """The task, config, model and metrics (``result.json``, when present) of a run."""
    directory = Path(directory)
    name = task_of(directory)
    config, model = get_task(name).load(directory)
    result = directory / RESULT_FILE
    metrics = {}
    if result.is_file():
        metrics = json.loads(result.read_text(encoding="utf-8")).get("metrics", {})
    return Run(task=name, config=config, model=model, metrics=metrics, directory=directory)


def evaluate(
    run_dir: str | Path, data: str | Path | None = None, *, split: str = "validation"
) -> dict[str, Any]:
    """Score a run on ``data`` (a file or folder) or on its config's ``split``."""
    run_dir = Path(run_dir)
    return get_task(task_of(run_dir)).evaluate(run_dir, data, split=split)
