"""``data.format: webnlg`` end to end on the fixture: train, reload, score, build a graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from kg_reasoner.config import validate_config
from kg_reasoner.extraction.supervised import SupervisedExtractor
from kg_reasoner.tasks import extraction
from kg_reasoner.tasks.extraction.webnlg.data import read_webnlg
from kg_reasoner.tasks.extraction.webnlg.extractor_scores import score_extractor
from tests.tasks.extraction.webnlg_fixture import WORDS, write_webnlg_split
from tests.tiny_encoder import write_tiny_bert


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("webnlg_run")
    split = write_webnlg_split(root / "data")
    encoder = write_tiny_bert(root / "encoder", [*WORDS, "##s"], seed=0)
    config = {
        "task": "extraction",
        "name": "tiny-webnlg",
        "output_dir": str(root / "run"),
        "data": {"format": "webnlg", "train": str(split), "dev": str(split)},
        "model": {
            "encoder": str(encoder), "max_length": 32, "shape_dim": 4, "width_dim": 4,
            "max_span_width": 4, "unit": "text", "value_types": ["VALUE", "STRING"],
        },
        "training": {
            "epochs": 30, "batch_size": 1, "lr": 1e-2, "encoder_lr": 2e-3, "warmup_ratio": 0.0,
            "patience": 0, "num_threads": 1, "neg_entities": 20, "neg_relations": 10,
        },
        "freeze": {"policy": "none", "embeddings": False},
    }  # fmt: skip
    extraction.train(validate_config(extraction.CONFIG_CLASS, config), resume=False)
    return root / "run"


def test_training_records_alignment_and_time_for_the_bench(run_dir: Path) -> None:
    result = json.loads((run_dir / "train_result.json").read_text())
    assert result["wall_seconds"] >= result["train_seconds"] > 0
    assert result["alignment"]["train"]["ceiling"] == 0.9
    assert "dev.triple_f1" in result
    vocab = json.loads((run_dir / "vocab.json").read_text())
    assert vocab["entity_types"] == ["<none>", "ENTITY", "STRING", "VALUE"]
    assert vocab["names"]["american"] == "United States"
    assert {"country", "birthDate", "elevationAboveTheSeaLevel"} <= set(vocab["relation_types"])


def test_reloaded_extractor_scores_typed_triples(run_dir: Path) -> None:
    extractor = SupervisedExtractor.from_directory(run_dir)
    corpus = read_webnlg(run_dir.parent / "data")
    summary = score_extractor(extractor, corpus).summary()
    triple = summary["triple"]["overall"]  # type: ignore[index]
    assert triple["gold"] == 10 and triple["f1"] >= 0.5  # the tiny model learns its 3 texts
    metrics = extraction.evaluate(run_dir)
    assert metrics["webnlg"]["triple"]["overall"]["tp"] == triple["tp"]


def test_kgr_build_stores_dbpedia_relations_and_literals(run_dir: Path, tmp_path: Path) -> None:
    from kg_reasoner.building import BuildConfig
    from kg_reasoner.graph import KnowledgeGraph
    from kg_reasoner.pipelines import build_graph

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bean.txt").write_text(
        "Alan Bean, an American, was born on March 15, 1932 and is retired."
    )
    config = BuildConfig()
    config.extraction.spacy_model = "blank:en"
    config.extraction.extractor = str(run_dir)
    build_graph(docs, tmp_path / "kg", config=config)
    with KnowledgeGraph.open(tmp_path / "kg", read_only=True) as kg:
        triples = {t.predicate: t for t in kg.triples()}
        assert str(triples["birthDate"].object) == "1932-03-15"  # a typed literal, not a node
        assert kg.entity(triples["birthDate"].subject).label == "Alan Bean"
        # "American" is stored under the name training linked it to
        assert kg.entity(triples["nationality"].object).label == "United States"
