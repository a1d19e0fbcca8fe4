"""Held-out-fold graphs for the training stories and the evidence-gated fused run that starts
from a trained graph-only run (tiny configs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from safetensors.torch import load_file

from kg_reasoner.config import validate_config
from kg_reasoner.errors import ConfigError
from kg_reasoner.tasks.clutrr import ClutrrConfig, train
from kg_reasoner.tasks.clutrr.heldout_graphs import fold_of_stories
from tests.tasks.clutrr.fixture import tiny_config


def test_folds_cover_every_story_once_with_balanced_sizes() -> None:
    fold = fold_of_stories(11, 3, seed=5)
    assert len(fold) == 11 and set(fold) == {0, 1, 2}
    sizes = sorted(fold.count(j) for j in range(3))
    assert sizes[-1] - sizes[0] <= 1
    assert fold == fold_of_stories(11, 3, seed=5) != fold_of_stories(11, 3, seed=6)


def test_evidence_gate_config_needs_path_composition_and_text(tmp_path: Path) -> None:
    raw = tiny_config(tmp_path, fusion="evidence_gate", use_text=False)
    with pytest.raises(ConfigError, match="evidence_gate"):
        validate_config(ClutrrConfig, raw)


@pytest.mark.slow
def test_fused_run_on_heldout_graphs_keeps_the_graph_run_frozen(tmp_path: Path) -> None:
    graph_cfg = tiny_config(tmp_path, use_text=False)
    graph_cfg["output_dir"] = str(tmp_path / "gnn")
    graph_cfg["graph"] = {"source": "gold"}  # the tiny extractor may find no edge at all
    train(validate_config(ClutrrConfig, graph_cfg), resume=False)

    fused_cfg = tiny_config(tmp_path, fusion="evidence_gate",
                            graph_checkpoint=str(tmp_path / "gnn"))
    fused_cfg["output_dir"] = str(tmp_path / "fused")
    fused_cfg["graph"] = {"source": "extracted", "train_graphs": "heldout_folds", "folds": 2}
    metrics = train(validate_config(ClutrrConfig, fused_cfg), resume=False).metrics
    report = metrics["heldout_graphs"]
    assert report["folds"] == 2 and len(report["fold_extractors"]) == 2
    assert sum(f["heldout_stories"] for f in report["fold_extractors"]) == \
        metrics["validation_split"]["train_stories"]
    assert 0.0 <= report["heldout_edge_f1"]["f1"] <= 1.0
    assert set(metrics["test"]["accuracy_by_k"]) == {"2", "3"}
    assert metrics["test"]["accuracy_by_noise"].keys() == {"clean"}
    # the fused model's graph part is the graph-only run's, unchanged by fused training
    theirs = load_file(str(tmp_path / "gnn" / "model.safetensors"))
    mine = load_file(str(tmp_path / "fused" / "model.safetensors"))
    graph_keys = [k for k in theirs if k.startswith("reasoner.graph.")]
    assert graph_keys and all((theirs[k] == mine[k]).all() for k in graph_keys)
    assert any(k.startswith("gate.") for k in mine)
    # a second run reads the cached held-out graphs instead of training fold extractors again
    fused_cfg["output_dir"] = str(tmp_path / "fused2")
    again = train(validate_config(ClutrrConfig, fused_cfg), resume=False).metrics
    assert again["heldout_graphs"].get("cached") is True
    assert json.loads((tmp_path / "fused2" / "results.json").read_text())["test"]["n"] == 16
