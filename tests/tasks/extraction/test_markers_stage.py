"""``model.relation_model: markers``: the span model for entities, then the typed-marker relation
model on its predicted entities (training, checkpoint, end-to-end scoring, kgr build)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch

from kg_reasoner.errors import ModelLoadError
from kg_reasoner.extraction.supervised import SupervisedExtractor
from kg_reasoner.extraction.supervised.checkpoint import load_extractor, save_extractor
from kg_reasoner.extraction.supervised.data import parse_record
from kg_reasoner.extraction.supervised.pair_predictor import MarkedRelationPredictor
from kg_reasoner.extraction.supervised.predictor import PredictedEntity
from kg_reasoner.extraction.supervised.vocab import LabelVocab
from kg_reasoner.tasks import extraction
from kg_reasoner.tasks.extraction.metrics import score_predictions
from tests.extraction.supervised_fixtures import (
    RECORDS,
    build_toy_graph,
    markers_config,
    train_tiny_markers_run,
)

EXAMPLES = [parse_record(r) for r in RECORDS]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch.set_num_threads(1)
    return train_tiny_markers_run(tmp_path_factory.mktemp("tiny_markers"))


def _gold_entities(drop: str = "") -> list[tuple[PredictedEntity, ...]]:
    return [
        tuple(
            PredictedEntity(e.start, e.end, e.type, 1.0)
            for e in ex.entities
            if " ".join(ex.tokens[e.start : e.end]) != drop
        )
        for ex in EXAMPLES
    ]


def test_training_saves_both_stages(run_dir: Path) -> None:
    config = json.loads((run_dir / "config.json").read_text())
    assert config["model"]["relation_model"] == "markers"
    relation = json.loads((run_dir / "relation" / "config.json").read_text())
    assert relation["kind"] == "marked_pair_relations" and relation["markers"]["hidden"] == 16
    markers = json.loads((run_dir / "relation" / "vocab.json").read_text())["markers"]
    assert "[E1:Peop]" in markers and "[/E2:Loc]" in markers
    result = json.loads((run_dir / "train_result.json").read_text())
    # 5 typed pairs per copy of the toy data (all three sentences' pairs can hold a relation)
    assert result["relation_stage"]["train_pairs"] == 40
    assert result["relation_stage"]["epochs_run"] == 12
    assert result["train_seconds"] >= result["span_stage"]["train_seconds"]
    assert (run_dir / "relation" / "metrics.csv").read_text().count("\n") == 13


def test_the_span_stage_learns_and_is_selected_on_entities_alone(run_dir: Path) -> None:
    import csv

    with (run_dir / "metrics.csv").open() as rows:
        for row in csv.DictReader(rows):
            assert row["val_selection"] == row["val_entity_f1"]
            assert float(row["val_relation_f1_micro"]) == 0.0  # no span-head relations


def test_kgr_eval_extractor_scores_a_markers_run_end_to_end(run_dir: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kg_reasoner.cli import app

    out = tmp_path / "scores.json"
    shown = CliRunner().invoke(
        app, ["eval-extractor", str(run_dir), str(run_dir.parent / "dev.json"), "-o", str(out)]
    )
    assert shown.exit_code == 0, shown.output
    metrics = json.loads(out.read_text())
    assert metrics["entity_f1"] >= 80.0
    assert metrics["relation_f1_micro"] >= 80.0
    assert metrics == extraction.evaluate(run_dir, run_dir.parent / "dev.json")


def test_reload_and_copy_predict_identically(run_dir: Path, tmp_path: Path) -> None:
    extractor = SupervisedExtractor.from_directory(run_dir)
    stage = extractor.predictor.relation_stage
    assert isinstance(stage, MarkedRelationPredictor)
    model, aligner, vocab, config, payload = load_extractor(run_dir)
    save_extractor(tmp_path / "copy", model, aligner, vocab, config, payload, stage.model)
    copy = SupervisedExtractor.from_directory(tmp_path / "copy")
    sentences = [r["tokens"] for r in RECORDS]
    first = extractor.predict_tokens(sentences)
    assert first == copy.predict_tokens(sentences)
    work = first[0]
    named = {(work.entities[r.head].start, r.type, work.entities[r.tail].start)
             for r in work.relations}  # fmt: skip
    assert (0, "Work_For", 4) in named


def test_a_missed_entity_loses_its_relations(
    run_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scores are end-to-end: the relation stage reads the span model's entities, so a gold
    entity the span model misses takes its relations with it."""
    predictor = SupervisedExtractor.from_directory(run_dir).predictor
    monkeypatch.setattr(predictor, "predict_entities", lambda sentences: _gold_entities())
    full = score_predictions(predictor, EXAMPLES)["relation"]
    assert full["micro"]["recall"] == 100.0
    monkeypatch.setattr(predictor, "predict_entities", lambda sentences: _gold_entities("IBM"))
    missed = score_predictions(predictor, EXAMPLES)["relation"]
    assert missed["correct"] == 2 and missed["micro"]["recall"] == 50.0
    assert missed["per_type"]["Work_For"]["recall"] == 0.0
    assert missed["per_type"]["Live_In"]["recall"] == 100.0


def test_signatures_keep_only_relations_the_types_allow() -> None:
    signatures = frozenset({("Peop", "Live_In", "Loc"), ("Peop", "Kill", "Peop")})
    vocab = LabelVocab(("<none>", "Loc", "Peop"), ("Kill", "Live_In"), signatures)
    stage = MarkedRelationPredictor(None, vocab, threshold=0.5)  # type: ignore[arg-type]
    probs = torch.tensor([0.2, 0.5, 0.3])  # none, Kill, Live_In
    assert stage.decode(probs, "Peop", "Loc") == ("Live_In", pytest.approx(0.6))
    assert stage.decode(probs, "Loc", "Peop") is None  # no relation goes Loc -> Peop
    assert stage.allowed == {("Peop", "Loc"), ("Peop", "Peop")}
    stage.use_signatures = False
    assert stage.decode(probs, "Loc", "Peop") == ("Kill", pytest.approx(0.5))


def test_a_run_without_its_relation_stage_fails_clearly(run_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "run"
    shutil.copytree(run_dir, broken, ignore=shutil.ignore_patterns("relation"))
    with pytest.raises(ModelLoadError, match="run `kgr train`"):
        SupervisedExtractor.from_directory(broken)


def test_kgr_build_with_a_markers_run_writes_triples(run_dir: Path, tmp_path: Path) -> None:
    from kg_reasoner.graph import KnowledgeGraph

    report = build_toy_graph(run_dir, tmp_path)
    assert report.counts["added"] == 1
    with KnowledgeGraph.open(tmp_path / "kg", read_only=True) as kg:
        live = list(kg.triples(predicate="Live_In"))
        assert live and kg.entity(live[0].subject).label == "Mary"
        work = list(kg.triples(predicate="Work_For"))
        assert work and kg.entity(work[0].object).label == "IBM"


def test_max_train_sentences_keeps_the_first_ones_and_markers_need_sentences(
    tmp_path: Path,
) -> None:
    from kg_reasoner.config import validate_config
    from kg_reasoner.errors import ConfigError
    from kg_reasoner.tasks.extraction.task import ExtractionTask

    data = markers_config(tmp_path, tmp_path / "enc")
    data["data"]["max_train_sentences"] = 2
    task = ExtractionTask()
    task.prepare(validate_config(extraction.CONFIG_CLASS, data), resume=False)
    assert [ex.tokens for ex in task.train_set] == [ex.tokens for ex in EXAMPLES[:2]]
    data["model"]["unit"] = "text"
    with pytest.raises(ConfigError, match=r"set model\.unit to sentence"):
        ExtractionTask().prepare(validate_config(extraction.CONFIG_CLASS, data), resume=False)
