"""A tiny end-to-end CLUTRR run: train (extractor + fused reasoner), resume, eval, predict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
import yaml

from kg_reasoner.cli import main
from kg_reasoner.config import validate_config
from kg_reasoner.errors import ConfigError
from kg_reasoner.tasks.clutrr import ClutrrConfig, evaluate, predict
from kg_reasoner.tasks.clutrr.kinship import RELATIONS
from tests.tasks.clutrr.fixture import write_csv, write_tiny_encoder


def _config(tmp_path: Path, **model: object) -> Path:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    write_csv(data / "train.csv", 40, k=2, seed=1)
    write_csv(data / "1.2_test.csv", 8, k=2, seed=2)
    write_csv(data / "1.3_test.csv", 8, k=3, seed=3)
    config = {
        "task": "clutrr",
        "output_dir": str(tmp_path / "run"),
        "data": {"root": str(data), "train_file": "train.csv",
                 "test_files": ["1.2_test.csv", "1.3_test.csv"], "validation_fraction": 0.2},
        "encoder": {"name": str(write_tiny_encoder(tmp_path / "enc")), "max_length": 48,
                    "cache_dir": str(tmp_path / "cache")},
        "graph": {"source": "extracted"},
        "extractor": {"hidden": 16, "heads": 2,
                      "training": {"epochs": 1, "batch_size": 16, "lr": 0.003}},
        "model": {"graph_encoder": "path_composition", "use_text": True, "fusion": "gated",
                  "hidden": 16, **model},
        "training": {"epochs": 2, "batch_size": 8, "lr": 0.03, "num_threads": 1},
        "progress": False,
    }
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_train_resume_eval_predict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path)
    main(["train", str(config)])
    run = tmp_path / "run"
    results = json.loads((run / "results.json").read_text())
    assert set(results["test"]["accuracy_by_k"]) == {"2", "3"}
    assert 0.0 <= results["extraction_edge_f1"] <= 1.0
    assert {"precision", "recall", "f1-score"} <= set(
        next(iter(results["test"]["per_class"].values())))
    for name in ("model.safetensors", "config.json", "vocab.json", "metrics.csv",
                 "extractor/model.safetensors", "last/state.safetensors"):
        assert (run / name).is_file(), name
    assert (run / "tensorboard").is_dir()
    assert not [p for p in run.rglob("*") if p.suffix in {".pt", ".bin", ".pkl", ".pickle"}]

    # resuming with more epochs continues at epoch 3 instead of starting over
    main(["train", str(config), "--set", "training.epochs=3"])
    history = json.loads((run / "fit_result.json").read_text())["history"]
    assert [row["epoch"] for row in history] == [1, 2, 3]

    scored = evaluate(run, tmp_path / "data" / "1.3_test.csv")
    assert scored["n"] == 8 and set(scored["accuracy_by_k"]) == {"3"}
    main(["eval", str(run), str(tmp_path / "data"), "-o", str(tmp_path / "m.json")])
    assert json.loads((tmp_path / "m.json").read_text())["n"] == 16

    result = predict(run, "[Amy] went fishing with her father [Bill]. [Bill] drove his son "
                     "[Carl] to school.", "Amy", "Carl")
    assert result["relation"] in RELATIONS and result["path"] is not None
    assert 0.0 <= result["probability"] <= 1.0
    capsys.readouterr()
    main(["predict", str(run), "--story", "[Amy] called her brother [Bill].", "--query",
          "Amy", "Bill"])
    assert "Bill" in capsys.readouterr().out


def test_unknown_person_in_query_is_a_clear_error(tmp_path: Path) -> None:
    config = _config(tmp_path)
    main(["train", str(config), "--set", "training.epochs=1", "--set", "evaluate_tests=false"])
    from kg_reasoner.errors import EntityNotFoundError

    with pytest.raises(EntityNotFoundError, match="people found"):
        predict(tmp_path / "run", "[Amy] called her brother [Bill].", "Amy", "Zoe")


def test_config_errors_are_clear() -> None:
    with pytest.raises(ConfigError, match="graph_encoder"):
        validate_config(ClutrrConfig, {"output_dir": "x", "graph": {"source": "none"}})
    with pytest.raises(ConfigError, match="gcnn"):
        validate_config(ClutrrConfig, {"output_dir": "x", "model": {"graph_encoder": "gcnn"}})
    with pytest.raises(ConfigError, match="policy"):
        validate_config(ClutrrConfig,
                        {"output_dir": "x", "encoder": {"freeze": {"policy": "none"}}})
    with pytest.raises(ConfigError, match="did you mean 'epochs'"):
        validate_config(ClutrrConfig, {"output_dir": "x", "training": {"epoch": 3}})


def test_extractor_fine_tunes_the_top_block_and_reloads(tmp_path: Path) -> None:
    """freeze: top_k trains a copy of the LM's last block on cached states of the blocks below;
    the run reloads with that block and reads the same graphs."""
    config = _config(tmp_path)
    main(["train", str(config), "--set", "training.epochs=1", "--set", "evaluate_tests=false",
          "--set", "extractor.freeze.policy=top_k", "--set", "extractor.freeze.top_k=1",
          "--set", "extractor.training.encoder_lr=0.001"])
    from safetensors.torch import load_file

    from kg_reasoner.tasks.clutrr.task import load_run
    from kg_reasoner.training.freezing import encoder_layers

    run = tmp_path / "run"
    state = load_file(str(run / "extractor" / "model.safetensors"))
    tuned = {k: v for k, v in state.items() if k.startswith("top.layers.0.")}
    assert tuned
    _, _, extractor, encoder = load_run(run)
    assert extractor is not None and extractor.top is not None
    original = encoder_layers(encoder.model)[-1].state_dict()
    assert any(not torch.equal(v, original[k.removeprefix("top.layers.0.")])
               for k, v in tuned.items())  # the block was trained, the frozen LM was not
    first = predict(run, "[Amy] went fishing with her father [Bill].", "Amy", "Bill")
    again = predict(run, "[Amy] went fishing with her father [Bill].", "Amy", "Bill")
    assert first == again and first["edges"] is not None

    # reusing it in a run that caches another layer's states is refused, with the fix
    from kg_reasoner.config import load_config
    from kg_reasoner.errors import ModelLoadError
    from kg_reasoner.tasks.clutrr import CONFIG_CLASS, train

    reuse = load_config(CONFIG_CLASS, config, [
        "training.epochs=1", "evaluate_tests=false", f"output_dir={tmp_path / 'reuse'}",
        f"extractor.checkpoint={run}"])
    with pytest.raises(ModelLoadError, match=r"extractor\.freeze"):
        train(reuse)


def test_extractor_freezing_policy_is_checked() -> None:
    with pytest.raises(ConfigError, match="top_k >= 1"):
        validate_config(ClutrrConfig, {"output_dir": "x", "extractor": {
            "freeze": {"policy": "top_k", "top_k": 0}}})
    with pytest.raises(ConfigError, match="top_k >= 1"):
        validate_config(ClutrrConfig, {"output_dir": "x", "extractor": {
            "freeze": {"policy": "none"}}})
