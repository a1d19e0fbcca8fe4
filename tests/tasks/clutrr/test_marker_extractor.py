"""The entity-marker extractor on CLUTRR: pairs, batches, a tiny training run and its reload."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
import yaml

from kg_reasoner.cli import main
from kg_reasoner.config import validate_config
from kg_reasoner.errors import ConfigError
from kg_reasoner.extraction.supervised.markers import MarkerTokenizer
from kg_reasoner.extraction.supervised.pair_model import MarkedPairModel
from kg_reasoner.tasks.clutrr import ClutrrConfig, predict
from kg_reasoner.tasks.clutrr.extractor import (
    PairInstance,
    collate_marked,
    marked_pairs,
)
from kg_reasoner.tasks.clutrr.kinship import GENDERS, RELATIONS
from kg_reasoner.tasks.clutrr.story_graph import parse_markup
from tests.tasks.clutrr.fixture import tiny_config, write_tiny_encoder


def test_marked_pairs_join_both_directions_with_the_first_named_as_e1() -> None:
    window = parse_markup("[Amy] went fishing with her father [Bill].")
    father, daughter = 1 + RELATIONS.index("father"), 1 + RELATIONS.index("daughter")
    instances = [PairInstance(0, 0, "Bill", "Amy", 1, 2, daughter),
                 PairInstance(0, 0, "Amy", "Bill", 2, 1, father)]
    (pair,) = marked_pairs(instances, [window])
    assert (pair.forward.head, pair.forward.tail) == ("Amy", "Bill")
    assert (pair.forward.label, pair.reverse.label) == (father, daughter)


def test_collate_marked_puts_typed_markers_around_each_person(tmp_path: Path) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(write_tiny_encoder(tmp_path / "enc")))
    marker = MarkerTokenizer(tokenizer, GENDERS)
    window = parse_markup("[Amy] went fishing with her father [Bill].")
    pairs = marked_pairs([PairInstance(0, 0, "Amy", "Bill", 2, 1, 1),
                          PairInstance(0, 0, "Bill", "Amy", 1, 2, 4)], [window])
    batch = collate_marked(marker, pairs, [window])
    tokens = tokenizer.convert_ids_to_tokens(batch["input_ids"][0].tolist())
    assert tokens[0] == "[CLS]" and tokens[1] == "[E1:female]" and tokens[3] == "[/E1:female]"
    tail = int(batch["tail_index"][0])
    assert tokens[tail] == "[E2:male]" and tokens[tail + 2] == "[/E2:male]"
    assert int(batch["head_index"][0]) == 1 and tokens[-1] == "[SEP]"
    assert batch["labels"].tolist() == [1] and batch["reverse_labels"].tolist() == [4]


def _config(tmp_path: Path) -> Path:
    config = tiny_config(tmp_path)
    config["extractor"] = {"kind": "markers", "hidden": 16, "freeze": {"policy": "none"},
                           "training": {"epochs": 2, "batch_size": 8, "lr": 0.003,
                                        "encoder_lr": 0.001}}
    config["training"]["epochs"] = 1
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.mark.slow
def test_tiny_marker_extractor_run_trains_scores_and_reloads(tmp_path: Path) -> None:
    main(["train", str(_config(tmp_path))])
    run = tmp_path / "run"
    results = json.loads((run / "results.json").read_text())
    assert 0.0 <= results["extraction_edge_f1"] <= 1.0
    assert "extraction_edge" in results["test"]
    from safetensors.torch import load_file

    from kg_reasoner.tasks.clutrr.task import load_run

    state = load_file(str(run / "extractor" / "model.safetensors"))
    assert "markers.markers" in state
    _, _, extractor, encoder = load_run(run)
    assert isinstance(extractor, MarkedPairModel)
    assert torch.equal(extractor.markers.markers.detach(), state["markers.markers"])
    # the reasoner's LM is not the extractor's fine-tuned copy
    assert extractor.encoder is not encoder.model
    first = predict(run, "[Amy] went fishing with her father [Bill].", "Amy", "Bill")
    assert first == predict(run, "[Amy] went fishing with her father [Bill].", "Amy", "Bill")


def test_marker_extractor_needs_a_trainable_encoder() -> None:
    with pytest.raises(ConfigError, match="fine-tunes the LM"):
        validate_config(ClutrrConfig, {"output_dir": "x", "extractor": {
            "kind": "markers", "freeze": {"policy": "all"}}})
    validate_config(ClutrrConfig, {"output_dir": "x", "extractor": {
        "kind": "markers", "freeze": {"policy": "top_k", "top_k": 1}}})
