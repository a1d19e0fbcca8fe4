"""kg_reasoner: build knowledge graphs from text, reason over them with GNNs fused with LMs.

The public API (imported lazily, so ``import kg_reasoner`` and the CLI start fast):

- :func:`build_graph`, :class:`KnowledgeGraph`, :class:`BuildConfig`: graphs from documents;
- :func:`train`: train any task from a YAML config (``task:`` extraction, clutrr or kgqa);
- :func:`load_qa`: answer questions over a graph and/or a trained KGQA run;
- :class:`SupervisedExtractor`: a trained entity/relation extractor;
- :class:`FusedReasoner`: the graph encoder + language model reasoner.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "build_graph": "kg_reasoner.graph",
    "KnowledgeGraph": "kg_reasoner.graph",
    "BuildConfig": "kg_reasoner.graph",
    "load_qa": "kg_reasoner.qa.loading",
    "SupervisedExtractor": "kg_reasoner.extraction.supervised",
    "FusedReasoner": "kg_reasoner.models.reasoner",
}

__all__ = [*sorted(_LAZY), "train"]


def train(
    config: str | Path, overrides: list[str] | None = None, *, resume: bool = True
) -> dict[str, Any]:
    """Train the task named by the config's ``task:`` key; returns its final metrics.

    ``overrides`` are dotted ``key=value`` strings, as with ``kgr train --set``.
    """
    from kg_reasoner.config import apply_overrides, read_yaml, validate_config
    from kg_reasoner.errors import ConfigError
    from kg_reasoner.tasks import get_task

    data = apply_overrides(read_yaml(config), overrides)
    if not data.get("task"):
        raise ConfigError(f"{config}: missing the `task:` key (e.g. task: clutrr)")
    task = get_task(str(data["task"]))
    return task.train(validate_config(task.CONFIG_CLASS, data, source=str(config)), resume=resume)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kg_reasoner' has no attribute {name!r}")
