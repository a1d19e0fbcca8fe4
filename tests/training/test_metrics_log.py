"""The metrics log: CSV always, TensorBoard only when its optional extra is installed."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from kg_reasoner.training.metrics_log import TENSORBOARD_MISSING, MetricsLogger


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_without_tensorboard_the_csv_is_written_and_one_warning_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "torch.utils.tensorboard", None)  # import raises
    with pytest.warns(UserWarning) as caught:
        logger = MetricsLogger(tmp_path)
    logger.log(1, {"loss": 0.5})
    logger.log(2, {"loss": 0.25, "accuracy": 1.0})
    logger.close()
    assert [str(w.message) for w in caught] == [TENSORBOARD_MISSING]
    assert 'pip install "kg-reasoner[tensorboard]"' in TENSORBOARD_MISSING
    assert not (tmp_path / "tensorboard").exists()
    assert _rows(tmp_path / "metrics.csv") == [
        {"step": "1", "loss": "0.5", "accuracy": ""},
        {"step": "2", "loss": "0.25", "accuracy": "1.0"},
    ]


def test_with_tensorboard_the_scalars_are_mirrored(tmp_path: Path) -> None:
    pytest.importorskip("tensorboard")
    logger = MetricsLogger(tmp_path)
    logger.log(1, {"loss": 0.5, "note": "text is not a scalar"})
    logger.close()
    assert any((tmp_path / "tensorboard").iterdir())
    assert _rows(tmp_path / "metrics.csv") == [
        {"step": "1", "loss": "0.5", "note": "text is not a scalar"}
    ]
