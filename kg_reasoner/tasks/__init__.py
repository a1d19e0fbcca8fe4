"""Trainable tasks, chosen by the ``task:`` key of a YAML config.

Each entry maps a task name to the module that implements it. A task module exposes:

- ``CONFIG_CLASS``: its pydantic config (a :class:`kg_reasoner.config.StrictModel`);
- ``train(config, *, resume: bool = True) -> dict``: trains, saves to ``config.output_dir``,
  returns the final metrics;
- ``evaluate(checkpoint_dir, data_path, **options) -> dict``: scores a checkpoint on a file.

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
}


def get_task(name: str) -> ModuleType:
    """Import the module of task ``name``; unknown names list the valid ones."""
    if name not in TASKS:
        raise ConfigError(f"unknown task {name!r}; valid tasks: {', '.join(sorted(TASKS))}")
    return importlib.import_module(TASKS[name])
