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
from tests.tasks.clutrr.fixture import tiny_config


def _config(tmp_path: Path, **model: object) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(tiny_config(tmp_path, **model)))
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One tiny run trained through the CLI: (tmp dir, run dir)."""
    root = tmp_path_factory.mktemp("clutrr")
    main(["train", str(_config(root))])
    return root, root / "run"


def test_training_writes_a_pickle_free_checkpoint(trained: tuple[Path, Path]) -> None:
    _, run = trained
    for name in ("model.safetensors", "config.json", "vocab.json", "metrics.csv",
                 "extractor/model.safetensors", "last/state.safetensors", "result.json"):
        assert (run / name).is_file(), name
    assert (run / "tensorboard").is_dir()
    assert not [p for p in run.rglob("*") if p.suffix in {".pt", ".bin", ".pkl", ".pickle"}]
    assert json.loads((run / "vocab.json").read_text())["relations"] == list(RELATIONS)


def test_training_scores_every_test_file_per_k(trained: tuple[Path, Path]) -> None:
    root, run = trained
    results = json.loads((run / "results.json").read_text())
    test = results["test"]
    assert test["n"] == 16
    assert set(test["accuracy_by_k"]) == {"2", "3"}
    assert {"precision", "recall", "f1-score"} <= set(next(iter(test["per_class"].values())))
    # the k=3 figure is the accuracy on the k=3 file, as a fresh evaluation of it finds
    scored = evaluate(run, root / "data" / "1.3_test.csv")
    assert scored["n"] == 8 and set(scored["accuracy_by_k"]) == {"3"}
    assert scored["accuracy_by_k"]["3"] == test["accuracy_by_k"]["3"]
    assert scored["accuracy"] == test["accuracy_by_k"]["3"]


def test_training_reports_the_validation_edge_f1_it_reached(trained: tuple[Path, Path]) -> None:
    _, run = trained
    results = json.loads((run / "results.json").read_text())
    again = evaluate(run, split="validation")
    assert again["extraction_edge"]["f1"] == pytest.approx(results["extraction_edge_f1"])
    assert again["accuracy"] == pytest.approx(results["validation"]["accuracy"])


def test_eval_command_scores_a_folder_of_test_files(trained: tuple[Path, Path]) -> None:
    root, run = trained
    main(["eval", str(run), str(root / "data"), "-o", str(root / "m.json")])
    scored = json.loads((root / "m.json").read_text())
    assert scored["n"] == 16 and set(scored["accuracy_by_k"]) == {"2", "3"}


def test_predict_ranks_relations_and_walks_from_head_to_tail(trained: tuple[Path, Path]) -> None:
    _, run = trained
    result = predict(run, "[Amy] went fishing with her father [Bill]. [Bill] drove his son "
                     "[Carl] to school.", "Amy", "Carl")
    ranked = [result["probability"]] + [a["probability"] for a in result["alternatives"]]
    assert len(ranked) == 3 and ranked == sorted(ranked, reverse=True)
    assert sum(ranked) <= 1.0 + 1e-6
    assert result["relation"] in RELATIONS
    assert result["relation"] not in {a["relation"] for a in result["alternatives"]}
    path = result["path"]
    if path:  # the walk the reasoner composed runs from the head to the tail
        assert path[0]["from"] == "Amy" and path[-1]["to"] == "Carl"


def test_predict_command_prints_the_answer(
    trained: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, run = trained
    capsys.readouterr()
    main(["predict", str(run), "--story", "[Amy] called her brother [Bill].", "--query",
          "Amy", "Bill"])
    assert "Bill" in capsys.readouterr().out


def test_resuming_with_more_epochs_continues_at_the_next_epoch(tmp_path: Path) -> None:
    config = _config(tmp_path)
    main(["train", str(config), "--set", "training.epochs=1", "--set", "evaluate_tests=false"])
    run = tmp_path / "run"
    first = json.loads((run / "fit_result.json").read_text())["history"]
    main(["train", str(config), "--set", "training.epochs=2", "--set", "evaluate_tests=false"])
    history = json.loads((run / "fit_result.json").read_text())["history"]
    assert [row["epoch"] for row in history] == [1, 2]
    assert history[0] == first[0]  # epoch 1 was restored, not trained again


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

    from kg_reasoner.models.freezing import encoder_layers
    from kg_reasoner.tasks.clutrr.task import load_run

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
