"""TrainResult: one shape for every task, saved as result.json next to the checkpoint."""

from __future__ import annotations

import json
from pathlib import Path

from kg_reasoner.training.loop import FitResult
from kg_reasoner.training.result import RESULT_FILE, TrainResult


def _result(out: Path) -> TrainResult:
    return TrainResult(
        task="kgqa", output_dir=out, metrics={"threshold": 0.4, "hits_at_1": {"1": 90.0}},
        fit=FitResult(best_metrics={"accuracy": 0.9}, best_epoch=2, epochs_run=3,
                      stopped_early=True, train_seconds=1.5,
                      history=[{"epoch": 1, "train_loss": 0.5}]),
    )


def test_to_dict_is_json_ready_with_every_field(tmp_path: Path) -> None:
    data = _result(tmp_path).to_dict()
    assert list(data) == ["task", "output_dir", "metrics", "best_epoch", "epochs_run",
                          "stopped_early", "train_seconds", "history"]
    assert data["output_dir"] == str(tmp_path)
    assert json.loads(json.dumps(data)) == data


def test_save_to_directory_defaults_to_the_run_directory(tmp_path: Path) -> None:
    result = _result(tmp_path / "run")
    path = result.save_to_directory()
    assert path == tmp_path / "run" / RESULT_FILE
    assert json.loads(path.read_text()) == result.to_dict()
    elsewhere = result.save_to_directory(tmp_path / "copy")
    assert elsewhere.parent == tmp_path / "copy" and elsewhere.is_file()


def test_fit_fields_are_read_through_from_the_fit_result(tmp_path: Path) -> None:
    result = _result(tmp_path)
    assert (result.best_epoch, result.epochs_run, result.stopped_early, result.train_seconds) == (
        2, 3, True, 1.5)
    assert result.history is result.fit.history
    data = result.to_dict()
    assert data["metrics"] == {"threshold": 0.4, "hits_at_1": {"1": 90.0}}
    assert "best_metrics" not in data and "fit" not in data
    assert (data["best_epoch"], data["epochs_run"], data["history"]) == (
        2, 3, [{"epoch": 1, "train_loss": 0.5}])


def test_fit_result_dict_has_the_fit_result_json_keys() -> None:
    fitted = FitResult(best_metrics={"accuracy": 1.0}, best_epoch=1, epochs_run=1,
                       stopped_early=False, train_seconds=0.1)
    assert list(fitted.to_dict()) == ["best_metrics", "best_epoch", "epochs_run",
                                      "stopped_early", "train_seconds", "history"]
