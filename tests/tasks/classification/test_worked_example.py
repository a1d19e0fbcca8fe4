"""The worked example of the README: configs/sample_classifier.yaml on
kg_data/sample_labelled_texts.csv, tiny (a 2-layer BERT, one epoch). The LM-only variant runs
everywhere; the fused one builds kg_data/sample_corpus and needs
kg_reasoner.retrieval.grounding (skipped with a reason where it is missing)."""

from __future__ import annotations

import csv
import importlib.util
import re
from pathlib import Path

import pytest

from kg_reasoner.config import apply_overrides, read_yaml
from kg_reasoner.pipelines import predict_text
from kg_reasoner.pipelines.training import train
from tests.tiny_encoder import write_tiny_bert

ROOT = Path(__file__).resolve().parents[3]
TEXTS = ROOT / "kg_data" / "sample_labelled_texts.csv"
LABELS = {"arts", "business", "computing", "places", "science"}


def _tiny(tmp_path: Path, extra: list[str]) -> dict[str, object]:
    with TEXTS.open(encoding="utf-8") as handle:
        words = {w for row in csv.DictReader(handle)
                 for w in re.findall(r"[a-z]+", row["text"].lower())}
    encoder = write_tiny_bert(tmp_path / "encoder", sorted(words), seed=0)
    config = read_yaml(ROOT / "configs" / "sample_classifier.yaml")
    return apply_overrides(config, [
        f"output_dir={tmp_path / 'run'}", f"data.train={TEXTS}", f"encoder.name={encoder}",
        f"encoder.cache_dir={tmp_path / 'cache'}", "training.epochs=1", "progress=false",
        "model.graph_hidden=8", "model.hidden=16", *extra,
    ])


def test_the_labelled_texts_cover_every_topic_of_the_corpus() -> None:
    with TEXTS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert 60 <= len(rows) <= 120
    assert {r["label"] for r in rows} == LABELS
    assert len({r["text"] for r in rows}) == len(rows)


def test_the_sample_classifier_trains_without_the_graph(tmp_path: Path) -> None:
    result = train(_tiny(tmp_path, ["graph=null"]), resume=False, device="cpu")
    assert set(result.metrics["dev"]["report"]) >= LABELS
    assert result.metrics["examples"] == {"train": 70, "dev": 17}
    assert predict_text(result.output_dir, "Marie Curie discovered polonium.")["label"] in LABELS


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("kg_reasoner.retrieval.grounding") is None,
                    reason="needs kg_reasoner.retrieval.grounding (issue 12 parts 2-3)")
def test_the_sample_classifier_trains_with_the_built_graph(tmp_path: Path) -> None:
    from kg_reasoner.pipelines import build_graph

    build_graph(ROOT / "kg_data" / "sample_corpus", tmp_path / "graph")
    data = _tiny(tmp_path, [f"graph.source={tmp_path / 'graph'}",
                            f"graph.cache_dir={tmp_path / 'graph_cache'}"])
    result = train(data, resume=False, device="cpu")
    assert result.metrics["grounded_fraction"]["train"] > 0.5
    explained = predict_text(result.output_dir, "Marie Curie was born in Warsaw.")
    assert explained["label"] in LABELS and explained["explanation"]["nodes"]
