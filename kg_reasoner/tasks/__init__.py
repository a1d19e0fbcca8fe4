"""Trainable tasks, chosen by the ``task:`` key of a YAML config.

Each entry maps a task name to its package ``tasks/<name>/`` (``config``, ``data``, ``collate``,
``metrics``, ``task`` modules), which exposes:

- ``CONFIG_CLASS``: its pydantic config (a :class:`kg_reasoner.config.StrictModel`);
- ``TASK``: its class under the :class:`kg_reasoner.training.task.Task` protocol;
- ``train(config, *, resume=True, device=None) -> TrainResult``: ``run_task(TASK(), config)``;
- ``evaluate(checkpoint_dir, data_path, **options) -> dict``: scores a run on a file or split;
- ``load(checkpoint_dir) -> (config, model)``: a trained run's config and model.

Modules are imported only when used, so ``import kg_reasoner`` stays light.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from kg_reasoner.errors import ConfigError

TASKS: dict[str, str] = {
    "extraction": "kg_reasoner.tasks.extraction",
    "clutrr": "kg_reasoner.tasks.clutrr",
    "kgqa": "kg_reasoner.tasks.kgqa",
    "classification": "kg_reasoner.tasks.classification",
    "multiple_choice": "kg_reasoner.tasks.multiple_choice",
}


def get_task(name: str) -> ModuleType:
    """Import the module of task ``name``; unknown names list the valid ones."""
    if name not in TASKS:
        raise ConfigError(f"unknown task {name!r}; valid tasks: {', '.join(sorted(TASKS))}")
    return importlib.import_module(TASKS[name])
