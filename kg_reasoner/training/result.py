"""What training any task returns: :class:`TrainResult`, the same shape for every task."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kg_reasoner.training.checkpoint import write_json

RESULT_FILE = "result.json"


@dataclass
class TrainResult:
    """The outcome of one training run.

    ``metrics`` holds the task's final figures (validation scores at the best epoch plus what the
    task reports besides, e.g. kgqa's answer threshold or clutrr's test accuracy per k);
    ``history`` has one row per epoch (``epoch``, ``train_loss``, ``lr``, ``val_*``).
    """

    task: str
    output_dir: Path
    metrics: dict[str, Any]
    best_epoch: int
    epochs_run: int
    stopped_early: bool
    train_seconds: float
    history: list[dict[str, float]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``output_dir`` as a string)."""
        data = asdict(self)
        data["output_dir"] = str(self.output_dir)
        return data

    def save_to_directory(self, directory: str | Path | None = None) -> Path:
        """Write ``result.json`` into ``directory`` (default: the run's ``output_dir``, which
        already holds the checkpoint); returns the file written."""
        path = Path(directory if directory is not None else self.output_dir) / RESULT_FILE
        write_json(path, self.to_dict())
        return path
