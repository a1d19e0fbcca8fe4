"""The classification task end to end on tiny data: the LM-only fine-tuning recipe with its
per-class reports, the fused model over a tiny KG (an s|r|o file), resume, eval, FGM,
`kgr predict --text` with attended nodes and paths, and clear errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg_reasoner.cli import app
from kg_reasoner.config import apply_overrides
from kg_reasoner.errors import ConfigError
from kg_reasoner.pipelines import predict_text
from kg_reasoner.pipelines.training import evaluate, load_run, train
from tests.tasks.text_graph_fixture import classification_config


def test_lm_only_is_the_classic_fine_tuning_recipe(tmp_path: Path) -> None:
    result = train(classification_config(tmp_path), resume=False, device="cpu")
    metrics = result.metrics
    assert result.task == "classification" and result.epochs_run == 2
    for split in ("dev", "test"):
        report = metrics[split]["report"]
        assert set(report) >= {"animal", "vehicle", "macro avg"}
        assert "precision" in metrics[split]["report_text"]
    assert metrics["accuracy"] == metrics["dev"]["accuracy"]
    run = load_run(result.output_dir)
    assert run.model.uses_graph is False  # type: ignore[union-attr]
    assert evaluate(result.output_dir)["accuracy"] == metrics["dev"]["accuracy"]
    predicted = predict_text(result.output_dir, "the dog eats")
    assert predicted["label"] in {"animal", "vehicle"} and "explanation" not in predicted
    assert abs(sum(predicted["probabilities"]) - 1) < 1e-3


def test_fused_training_resumes_and_explains(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    data = classification_config(tmp_path, graph=True)
    first = train(apply_overrides(data, ["training.epochs=1"]), device="cpu")
    assert first.epochs_run == 1
    resumed = train(data, device="cpu")
    rows = (tmp_path / "run" / "metrics.csv").read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[1] for r in rows[1:]] == ["1", "2"] and resumed.epochs_run == 2
    metrics = resumed.metrics
    assert metrics["grounded_fraction"]["train"] == 1.0 and metrics["nodes_per_subgraph"] > 1
    assert metrics["retrieval_seconds"] >= 0
    saved = json.loads((tmp_path / "run" / "config.json").read_text(encoding="utf-8"))
    assert saved["num_relations"] == 3 and saved["labels"] == ["animal", "vehicle"]
    result = predict_text(tmp_path / "run", "my dog eats a bone")
    nodes = result["explanation"]["nodes"]
    assert {n["label"] for n in nodes} >= {"dog", "bone"}
    weights = [n["attention"] for n in nodes]
    assert sorted(weights, reverse=True) == weights
    paths = result["explanation"]["paths"]
    assert paths and all(step["source"] for p in paths for step in p["steps"])
    steps = [s for p in paths for s in p["steps"]]
    source = "kg.txt: dog|is_a|animal"
    stated = {"from": "dog", "relation": "is_a", "to": "animal", "source": source}
    assert stated in steps
    shown = CliRunner().invoke(app, ["predict", str(tmp_path / "run"), "--text",
                                     "my dog eats a bone"])
    assert shown.exit_code == 0, shown.output
    assert "label:" in shown.output and "kg.txt: dog|is_a|animal" in shown.output


def test_fgm_trains_with_and_without_the_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    for graph in (False, True):
        root = tmp_path / str(graph)
        data = apply_overrides(classification_config(root, graph=graph),
                               ["training.epochs=1", "training.adversarial.epsilon=0.5"])
        result = train(data, resume=False, device="cpu")
        assert result.history[0]["train_loss"] > 0
        assert load_run(root / "run").model.adversarial_epsilon == 0.5  # type: ignore[union-attr]


def test_a_graph_without_the_grounding_module_is_one_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg_reasoner.retrieval as retrieval

    monkeypatch.setitem(sys.modules, "kg_reasoner.retrieval.grounding", None)
    monkeypatch.delattr(retrieval, "grounding", raising=False)
    with pytest.raises(ConfigError, match="set graph: null"):
        train(classification_config(tmp_path, graph=True), resume=False, device="cpu")


def test_bad_configs_and_inputs_are_clear(tmp_path: Path) -> None:
    data = classification_config(tmp_path)
    with pytest.raises(ConfigError, match="fusion"):
        train(apply_overrides(data, ["model.fusion=sum"]), device="cpu")
    with pytest.raises(ConfigError, match="valid keys here"):
        train(apply_overrides(data, ["training.adversarial.eps=1"]), device="cpu")
    result = train(apply_overrides(data, ["training.epochs=1"]), resume=False, device="cpu")
    runner = CliRunner()
    shown = runner.invoke(app, ["predict", str(result.output_dir), "--question", "q",
                                "--choices", "a,b"])
    assert shown.exit_code != 0
    assert "classification run" in str(shown.exception) or "classification" in shown.output
    evaluated = runner.invoke(app, ["eval", str(result.output_dir), str(tmp_path / "texts.csv")])
    assert evaluated.exit_code == 0, evaluated.output
    assert json.loads(evaluated.output)["examples"] == 8


@pytest.mark.slow
def test_the_freezing_policy_decides_what_of_the_lm_trains(tmp_path: Path) -> None:
    from kg_reasoner.config import validate_config
    from kg_reasoner.tasks.classification import CONFIG_CLASS
    from kg_reasoner.tasks.text_graph.task_base import build_scorer

    data = classification_config(tmp_path)
    for policy, top_k, expect in (("all", 0, 0), ("top_k", 1, 1), ("none", 0, 2)):
        config = validate_config(CONFIG_CLASS, apply_overrides(
            data, [f"encoder.freeze.policy={policy}", f"encoder.freeze.top_k={top_k}"]))
        model = build_scorer(config, {}, 2)
        layers = model.lm.blocks()
        trainable = [any(p.requires_grad for p in layer.parameters()) for layer in layers]
        assert sum(trainable) == expect and trainable[len(layers) - expect :] == [True] * expect
        assert all(p.requires_grad for p in model.head.parameters())
    frozen = apply_overrides(data, ["encoder.freeze.policy=all", "training.epochs=1"])
    assert train(frozen, resume=False, device="cpu").history[0]["train_loss"] > 0
