"""What training any task returns: :class:`TrainResult`, the same shape for every task."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg_reasoner.training.checkpoint import write_json
from kg_reasoner.training.loop import FitResult

RESULT_FILE = "result.json"


@dataclass
class TrainResult:
    """The outcome of one training run: the task's final figures around :func:`fit`'s result.

    ``metrics`` holds the task's final figures (validation scores at the best epoch plus what the
    task reports besides, e.g. kgqa's answer threshold or clutrr's test accuracy per k); ``fit``
    is how the loop went (best epoch, epochs run, early stop, time, and ``history``: one row per
    epoch with ``epoch``, ``train_loss``, ``lr``, ``val_*``), also readable as attributes here.
    """

    task: str
    output_dir: Path
    metrics: dict[str, Any]
    fit: FitResult

    @property
    def best_epoch(self) -> int:
        return self.fit.best_epoch

    @property
    def epochs_run(self) -> int:
        return self.fit.epochs_run

    @property
    def stopped_early(self) -> bool:
        return self.fit.stopped_early

    @property
    def train_seconds(self) -> float:
        return self.fit.train_seconds

    @property
    def history(self) -> list[dict[str, float]]:
        return self.fit.history

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``output_dir`` as a string; the fit's fields at the top level,
        its ``best_metrics`` replaced by the task's ``metrics``)."""
        fitted = self.fit.to_dict()
        del fitted["best_metrics"]
        return {"task": self.task, "output_dir": str(self.output_dir), "metrics": self.metrics,
                **fitted}

    def save_to_directory(self, directory: str | Path | None = None) -> Path:
        """Write ``result.json`` into ``directory`` (default: the run's ``output_dir``, which
        already holds the checkpoint); returns the file written."""
        path = Path(directory if directory is not None else self.output_dir) / RESULT_FILE
        write_json(path, self.to_dict())
        return path
