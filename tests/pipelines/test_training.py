"""kg_reasoner.pipelines.training: the errors a user can cause, named with their fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg_reasoner.errors import ConfigError, ModelLoadError
from kg_reasoner.pipelines.training import evaluate, load_run, train


def test_train_reads_a_yaml_path_and_applies_overrides(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("task: kgqa\noutput_dir: x\n")
    with pytest.raises(ConfigError, match="data"):  # kgqa needs its data block
        train(config)
    with pytest.raises(ConfigError, match="valid tasks"):
        train(config, ["task=nope"])


def test_load_run_and_evaluate_need_a_run_directory(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="kgr train"):
        load_run(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"name": "x"}))
    with pytest.raises(ModelLoadError, match="does not name its task"):
        evaluate(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"task": "nope"}))
    with pytest.raises(ConfigError, match="valid tasks"):
        load_run(tmp_path)
