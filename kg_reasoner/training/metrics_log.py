"""Per-epoch metrics written to CSV and (with the ``tensorboard`` extra) to TensorBoard."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path
from typing import Any

TENSORBOARD_MISSING = (
    "tensorboard is not installed, so metrics go to metrics.csv only; "
    'pip install "kg-reasoner[tensorboard]" to mirror them to TensorBoard'
)


class MetricsLogger:
    """Appends one row per call to ``metrics.csv`` and mirrors scalars to TensorBoard.

    TensorBoard is an optional extra: without it the mirror is skipped with one warning, as the
    CSV already holds every value.
    """

    def __init__(self, directory: str | Path, *, tensorboard: bool = True) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.csv_path = self.directory / "metrics.csv"
        self._writer = None
        if tensorboard:
            try:
                from torch.utils.tensorboard import SummaryWriter
            except ImportError:
                warnings.warn(TENSORBOARD_MISSING, stacklevel=2)
            else:
                self._writer = SummaryWriter(log_dir=str(self.directory / "tensorboard"))

    def log(self, step: int, metrics: dict[str, Any]) -> None:
        row = {"step": step, **metrics}
        exists = self.csv_path.is_file()
        fieldnames = list(row)
        if exists:
            with self.csv_path.open(encoding="utf-8") as handle:
                header = next(csv.reader(handle), [])
            fieldnames = header + [k for k in row if k not in header]
        rows = []
        if exists and fieldnames != header:
            with self.csv_path.open(encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
        mode = "w" if (not exists or rows) else "a"
        with self.csv_path.open(mode, newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fieldnames)
            if mode == "w":
                writer.writeheader()
                writer.writerows(rows)
            writer.writerow(row)
        if self._writer is not None:
            for key, value in metrics.items():
                if isinstance(value, (int, float)):
                    self._writer.add_scalar(key, value, step)
            self._writer.flush()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
