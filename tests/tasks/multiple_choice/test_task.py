"""The multiple-choice task end to end on tiny data: LM only and fused (an s|r|o file),
resume, eval on a file, `kgr predict --question --choices` with the chosen answer's subgraph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg_reasoner.cli import app
from kg_reasoner.config import apply_overrides
from kg_reasoner.errors import ConfigError
from kg_reasoner.pipelines import predict_choice
from kg_reasoner.pipelines.training import evaluate, train
from tests.tasks.text_graph_fixture import multiple_choice_config, write_questions


def test_lm_only_trains_evaluates_and_predicts(tmp_path: Path) -> None:
    result = train(multiple_choice_config(tmp_path), resume=False, device="cpu")
    assert result.task == "multiple_choice" and result.metrics["dev"]["questions"] == 6
    assert result.metrics["accuracy"] == result.history[result.best_epoch - 1]["val_accuracy"]
    csqa = write_questions(tmp_path / "csqa.jsonl", csqa=True)
    assert evaluate(result.output_dir, csqa)["accuracy"] == result.metrics["accuracy"]
    answer = predict_choice(result.output_dir, "what is a cat", ["animal", "bus", "fuel", "x"])
    assert answer["answer"] in {"animal", "bus", "fuel", "x"}
    assert len(answer["probabilities"]) == 4  # any number of choices at prediction time


@pytest.mark.parametrize("fusion", ["qagnn_context_node", "greaselm_interaction"])
def test_fused_training_resumes_and_explains_the_chosen_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fusion: str
) -> None:
    data = apply_overrides(multiple_choice_config(tmp_path, graph=True),
                           [f"model.fusion={fusion}", "model.graph_encoder=gat",
                            "model.graph_encoder_options.heads=2"])
    train(apply_overrides(data, ["training.epochs=1"]), device="cpu")
    result = train(data, device="cpu")
    rows = (tmp_path / "run" / "metrics.csv").read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[1] for r in rows[1:]] == ["1", "2"]
    assert result.metrics["grounded_fraction"] == {"train": 1.0, "dev": 1.0}
    evaluated = evaluate(tmp_path / "run")
    assert evaluated["accuracy"] == result.metrics["accuracy"]
    answer = predict_choice(tmp_path / "run", "what does a dog eat", ["bone", "fuel"])
    explanation = answer["explanation"]
    labels = {n["label"] for n in explanation["nodes"]}
    assert answer["answer"] in labels or "dog" in labels
    shown = CliRunner().invoke(app, ["predict", str(tmp_path / "run"), "--question",
                                     "what does a dog eat", "--choices", "bone,fuel", "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["choices"] == ["bone", "fuel"]


def test_prediction_needs_two_choices(tmp_path: Path) -> None:
    result = train(apply_overrides(multiple_choice_config(tmp_path), ["training.epochs=1"]),
                   resume=False, device="cpu")
    with pytest.raises(ConfigError, match="at least 2"):
        predict_choice(result.output_dir, "what is a cat", ["animal"])
