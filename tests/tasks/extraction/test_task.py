"""Training from a config, resuming, the saved checkpoint, evaluation and the Extractor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from kg_reasoner.config import validate_config
from kg_reasoner.errors import ConfigError, ModelLoadError
from kg_reasoner.extraction.base import Extractor
from kg_reasoner.extraction.supervised import SupervisedExtractor
from kg_reasoner.extraction.supervised.checkpoint import load_extractor
from kg_reasoner.tasks import extraction, get_task
from tests.extraction.supervised_fixtures import (
    RECORDS,
    build_toy_graph,
    tiny_config,
    train_tiny_run,
    write_tiny_encoder,
)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch.set_num_threads(1)
    return train_tiny_run(tmp_path_factory.mktemp("tiny"))


def test_task_is_registered_with_its_config() -> None:
    assert get_task("extraction").CONFIG_CLASS is extraction.ExtractionConfig


def test_unknown_config_key_lists_valid_keys(tmp_path: Path) -> None:
    data = tiny_config(tmp_path, tmp_path / "enc")
    data["training"]["learning_rate"] = 1.0
    with pytest.raises(ConfigError, match="valid keys here"):
        validate_config(extraction.CONFIG_CLASS, data)


def test_training_writes_a_self_contained_checkpoint(run_dir: Path) -> None:
    config = json.loads((run_dir / "config.json").read_text())
    assert config["task"] == "extraction"
    vocab = json.loads((run_dir / "vocab.json").read_text())
    assert vocab["entity_types"] == ["<none>", "Loc", "Org", "Peop"]
    assert ["Peop", "Work_For", "Org"] in vocab["signatures"]
    assert (run_dir / "model.safetensors").is_file()
    assert not list(run_dir.rglob("*.bin")) and not list(run_dir.rglob("*.pt"))
    assert (run_dir / "metrics.csv").read_text().count("\n") >= 2


def test_tiny_model_learns_the_toy_data(run_dir: Path) -> None:
    metrics = extraction.evaluate(run_dir, run_dir.parent / "dev.json")
    assert metrics["entity_f1"] >= 80.0
    assert metrics["relation_f1_micro"] >= 50.0
    assert set(metrics["relation"]["per_type"]) <= {
        "Work_For",
        "OrgBased_In",
        "Live_In",
        "Located_In",
    }


def test_evaluate_defaults_to_the_config_dev_file(run_dir: Path) -> None:
    assert extraction.evaluate(run_dir)["data"].endswith("dev.json")


def test_save_load_round_trip_predicts_identically(run_dir: Path, tmp_path: Path) -> None:
    from kg_reasoner.extraction.supervised.checkpoint import save_extractor

    model, aligner, vocab, config, _ = load_extractor(run_dir)
    save_extractor(tmp_path / "copy", model, aligner, vocab, config, {"name": "copy"})
    again, _, vocab2, config2, payload = load_extractor(tmp_path / "copy")
    assert vocab2 == vocab and config2 == config and payload["name"] == "copy"
    for key, value in model.state_dict().items():
        assert torch.equal(value, again.state_dict()[key]), key
    sentences = [r["tokens"] for r in RECORDS]
    first = SupervisedExtractor.from_directory(run_dir).predict_tokens(sentences)
    second = SupervisedExtractor.from_directory(tmp_path / "copy").predict_tokens(sentences)
    assert first == second


def test_resume_continues_from_the_last_epoch(tmp_path: Path) -> None:
    run = train_tiny_run(tmp_path, epochs=2)
    state = json.loads((run / "last" / "trainer_state.json").read_text())
    assert state["loop"]["epoch"] == 2
    encoder = tmp_path / "encoder"
    config = validate_config(extraction.CONFIG_CLASS, tiny_config(tmp_path, encoder, epochs=3))
    result = extraction.train(config, resume=True)
    assert result.epochs_run == 3 and result.metrics["epochs_run"] == 3
    history = json.loads((run / "fit_result.json").read_text())["history"]
    assert [row["epoch"] for row in history] == [1, 2, 3]


def test_loading_a_non_extractor_directory_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="kgr train"):
        SupervisedExtractor.from_directory(tmp_path)
    write_tiny_encoder(tmp_path / "enc")
    (tmp_path / "model.safetensors").write_bytes((tmp_path / "enc/model.safetensors").read_bytes())
    (tmp_path / "config.json").write_text(json.dumps({"task": "clutrr"}))
    with pytest.raises(ModelLoadError, match="not an extractor"):
        SupervisedExtractor.from_directory(tmp_path)


def test_supervised_extractor_on_spacy_docs(run_dir: Path) -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    extractor = SupervisedExtractor.from_directory(run_dir)
    assert isinstance(extractor, Extractor)
    assert extractor.name == f"tiny@{run_dir.name}"
    docs = [
        nlp("Mary lives in Paris. John Smith works for IBM in New York."),
        nlp("  "),
        nlp("London is located in England."),
    ]
    results = extractor.extract(docs)
    assert len(results) == 3 and results[1].mentions == []
    first = results[0]
    texts = {(m.text, m.sentence) for m in first.mentions}
    assert ("Paris", 0) in texts and ("IBM", 1) in texts
    for m in first.mentions:
        assert docs[0].text[m.start : m.end] == m.text
        assert m.label in {"Peop", "Org", "Loc"} and 0 < m.confidence <= 1
    for r in first.relations:
        head, tail = first.mentions[r.head], first.mentions[r.tail]
        assert head.sentence == tail.sentence == r.sentence
    labels = {
        (first.mentions[r.head].text, r.label, first.mentions[r.tail].text) for r in first.relations
    }
    assert ("Mary", "Live_In", "Paris") in labels


def test_kgr_build_with_a_trained_extractor_stores_typed_relations(
    run_dir: Path, tmp_path: Path
) -> None:
    from kg_reasoner.graph import KnowledgeGraph
    from kg_reasoner.pipelines import build_graph

    report = build_toy_graph(run_dir, tmp_path)
    assert report.counts["added"] == 1 and report.extractor == f"tiny@{run_dir.name}"
    with KnowledgeGraph.open(tmp_path / "kg", read_only=True) as kg:
        live = [t for t in kg.triples(predicate="Live_In")]
        assert live and kg.entity(live[0].subject).label == "Mary"
        assert kg.entity(live[0].object).type == "PLACE"  # CoNLL04 Loc -> coarse PLACE
        prov = kg.provenance(live[0])[0]
        assert prov.extractor == f"tiny@{run_dir.name}" and prov.sentence == "Mary lives in Paris."
    # the rule extractor has another fingerprint: the same document is extracted again
    assert build_graph(tmp_path / "docs", tmp_path / "kg").counts["updated"] == 1
