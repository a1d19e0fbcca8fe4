"""Tiny fixtures for the supervised-extractor tests: a 2-layer BERT, toy data, a trained run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.tiny_encoder import write_tiny_bert

_TEXT = "john smith works for ibm in new york . mary lives paris the a london is located england"
WORDS = _TEXT.split(" ")

RECORDS: list[dict[str, Any]] = [
    {
        "tokens": ["John", "Smith", "works", "for", "IBM", "in", "New", "York", "."],
        "entities": [[0, 2, "Peop"], [4, 5, "Org"], [6, 8, "Loc"]],
        "relations": [[0, 2, 4, 5, "Work_For"], [4, 5, 6, 8, "OrgBased_In"]],
    },
    {
        "tokens": ["Mary", "lives", "in", "Paris", "."],
        "entities": [[0, 1, "Peop"], [3, 4, "Loc"]],
        "relations": [[0, 1, 3, 4, "Live_In"]],
    },
    {
        "tokens": ["London", "is", "located", "in", "England", "."],
        "entities": [[0, 1, "Loc"], [4, 5, "Loc"]],
        "relations": [[0, 1, 4, 5, "Located_In"]],
    },
]


def write_tiny_encoder(directory: Path) -> Path:
    """A randomly initialised 2-layer BERT (hidden 32) with a toy WordPiece vocabulary."""
    return write_tiny_bert(directory, [*WORDS, "##s", "##a", "##n"])


def write_data(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def tiny_config(root: Path, encoder: Path, **training: Any) -> dict[str, Any]:
    """A config mapping for ``task: extraction`` on the toy data (written under ``root``)."""
    train = write_data(root / "train.json", RECORDS * 8)
    dev = write_data(root / "dev.json", RECORDS)
    return {
        "task": "extraction",
        "name": "tiny",
        "output_dir": str(root / "run"),
        "data": {"train": str(train), "dev": str(dev)},
        "model": {"encoder": str(encoder), "max_length": 16, "shape_dim": 4, "width_dim": 4},
        "training": {
            "epochs": 10,
            "batch_size": 4,
            "lr": 1e-2,
            "encoder_lr": 2e-3,
            "warmup_ratio": 0.0,
            "patience": 0,
            "num_threads": 1,
            **training,
        },
        "freeze": {"policy": "none", "embeddings": False},
    }


def train_tiny_run(root: Path, **training: Any) -> Path:
    """Train the tiny extractor on the toy data; returns its run directory."""
    from kg_reasoner.config import validate_config
    from kg_reasoner.tasks import extraction

    encoder = write_tiny_encoder(root / "encoder")
    config = validate_config(extraction.CONFIG_CLASS, tiny_config(root, encoder, **training))
    extraction.train(config, resume=False)
    return Path(config.output_dir)


def markers_config(root: Path, encoder: Path, **stage_training: Any) -> dict[str, Any]:
    """The tiny config with ``model.relation_model: markers`` (a second tiny BERT reads pairs)."""
    config = tiny_config(root, encoder)
    config["output_dir"] = str(root / "markers_run")
    config["model"].update(
        relation_model="markers", markers={"max_length": 32, "hidden": 16, "dropout": 0.0}
    )
    config["relation_stage"] = {
        "training": {
            "epochs": 12,
            "batch_size": 4,
            "lr": 1e-2,
            "encoder_lr": 2e-3,
            "warmup_ratio": 0.0,
            "patience": 0,
            **stage_training,
        }
    }
    return config


def train_tiny_markers_run(root: Path, **stage_training: Any) -> Path:
    """Train the tiny span model, then its tiny marker relation model; returns the run."""
    from kg_reasoner.config import validate_config
    from kg_reasoner.tasks import extraction

    encoder = write_tiny_encoder(root / "encoder")
    data = markers_config(root, encoder, **stage_training)
    config = validate_config(extraction.CONFIG_CLASS, data)
    extraction.train(config, resume=False)
    return Path(config.output_dir)


def build_toy_graph(run_dir: Path, root: Path) -> Any:
    """``build_graph`` of a two-sentence document with the extractor in ``run_dir``; the graph
    is written to ``root / "kg"``. Returns the build report."""
    from kg_reasoner.building import BuildConfig
    from kg_reasoner.pipelines import build_graph

    docs = root / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Mary lives in Paris. John Smith works for IBM in New York.")
    config = BuildConfig()
    config.extraction.spacy_model = "blank:en"
    config.extraction.extractor = str(run_dir)
    return build_graph(docs, root / "kg", config=config)
