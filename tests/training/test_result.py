"""TrainResult: one shape for every task, saved as result.json next to the checkpoint."""

from __future__ import annotations

import json
from pathlib import Path

from kg_reasoner.training.result import RESULT_FILE, TrainResult


def _result(out: Path) -> TrainResult:
    return TrainResult(
        task="kgqa", output_dir=out, metrics={"threshold": 0.4, "hits_at_1": {"1": 90.0}},
        best_epoch=2, epochs_run=3, stopped_early=True, train_seconds=1.5,
        history=[{"epoch": 1, "train_loss": 0.5}],
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
