from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg_reasoner.config import validate_config
from kg_reasoner.errors import ConfigError
from kg_reasoner.qa.trained_answerer import TrainedAnswerer
from kg_reasoner.tasks import get_task, kgqa
from tests.tasks.kgqa.fixture import tiny_config, write_tiny_encoder


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("kgqa")
    encoder = write_tiny_encoder(root / "encoder")
    config = validate_config(kgqa.CONFIG_CLASS, tiny_config(root, encoder))
    result = kgqa.train(config)
    return root / "run", result.metrics


def test_tiny_config_trains_and_answers_validation_questions(
    trained_run: tuple[Path, dict],
) -> None:
    run, metrics = trained_run
    assert metrics["hits_at_1"]["1"] >= 80.0
    assert metrics["hits_at_1"]["2"] >= 80.0
    assert set(metrics["answer_f1"]) == {"1", "2"}
    assert 0.0 < metrics["threshold"] < 1.0
    saved = json.loads((run / "config.json").read_text(encoding="utf-8"))
    assert saved["task"] == "kgqa"
    assert json.loads((run / "vocab.json").read_text(encoding="utf-8"))["relations"] == [
        "directed_by",
        "has_genre",
        "starred_actors",
        "written_by",
    ]


def test_evaluate_reproduces_the_training_metrics(trained_run: tuple[Path, dict]) -> None:
    run, metrics = trained_run
    again = get_task("kgqa").evaluate(run, None, split="validation")
    assert again["hits_at_1"] == metrics["hits_at_1"]
    assert again["questions"] == metrics["questions"]


def test_trained_answerer_gives_answers_with_evidence_paths(trained_run: tuple[Path, dict]) -> None:
    run, _ = trained_run
    answerer = TrainedAnswerer.from_run(run)
    result = answerer.answer("who directed the movies starred by [John Krasinski]")
    by_label = {a.label: a for a in result.answers}
    assert result.answers[0].label in {"George Clooney", "Sam Mendes"}
    assert result.answers[0].selected
    clooney = by_label["George Clooney"].paths[0].text()
    assert clooney == (
        "[John Krasinski] <-starred_actors- Leatherheads -directed_by-> George Clooney"
    )
    mendes = by_label["Sam Mendes"].paths[0].text()
    assert mendes == "[John Krasinski] <-starred_actors- Away We Go -directed_by-> Sam Mendes"
    assert all(a.label != "John Krasinski" for a in result.answers)  # topic excluded (MetaQA-style)


def test_training_resumes_from_the_last_epoch(tmp_path: Path) -> None:
    encoder = write_tiny_encoder(tmp_path / "encoder")
    data = tiny_config(tmp_path, encoder, epochs=2)
    kgqa.train(validate_config(kgqa.CONFIG_CLASS, data))
    data["training"]["epochs"] = 3
    kgqa.train(validate_config(kgqa.CONFIG_CLASS, data))
    rows = (tmp_path / "run" / "metrics.csv").read_text(encoding="utf-8").strip().splitlines()
    assert [r.split(",")[1] for r in rows[1:]] == ["1", "2", "3"]


def test_unknown_config_key_lists_the_valid_ones(tmp_path: Path) -> None:
    data = tiny_config(tmp_path, tmp_path)
    data["data"]["kb_file"] = "x"
    with pytest.raises(ConfigError, match="valid keys here"):
        validate_config(kgqa.CONFIG_CLASS, data)


def test_cli_ask_and_eval_use_the_trained_run(trained_run: tuple[Path, dict]) -> None:
    from typer.testing import CliRunner

    from kg_reasoner.cli import app

    run, metrics = trained_run
    runner = CliRunner()
    asked = runner.invoke(
        app, ["ask", "--model", str(run), "--json", "which films did [George Clooney] act in"]
    )
    assert asked.exit_code == 0, asked.output
    data = json.loads(asked.output[asked.output.index("{") :])
    assert data["method"] == "trained"
    assert data["answers"][0]["label"] in {"Leatherheads", "Syriana"}
    assert data["answers"][0]["paths"][0]["text"].startswith("[George Clooney] <-starred_actors-")
    evaluated = runner.invoke(app, ["eval", str(run), "--split", "validation"])
    assert evaluated.exit_code == 0, evaluated.output
    assert json.loads(evaluated.output)["hits_at_1"] == metrics["hits_at_1"]


def test_an_interrupted_run_of_the_old_loop_resumes(tmp_path: Path) -> None:
    """State written by the pre-fit kgqa loop (0-based epoch, step, elapsed_seconds) resumes."""
    encoder = write_tiny_encoder(tmp_path / "encoder")
    data = tiny_config(tmp_path, encoder, epochs=1)
    kgqa.train(validate_config(kgqa.CONFIG_CLASS, data))
    state_path = tmp_path / "run" / "last" / "trainer_state.json"
    state = json.loads(state_path.read_text())
    state["loop"] = {"epoch": 0, "step": 7, "elapsed_seconds": 3.0,
                     "early_stopping": {**state["loop"]["early_stopping"], "best_epoch": 0}}
    state_path.write_text(json.dumps(state))
    data["training"]["epochs"] = 2
    result = kgqa.train(validate_config(kgqa.CONFIG_CLASS, data))
    assert result.epochs_run == 2 and [r["epoch"] for r in result.history] == [2]
    assert result.best_epoch in (1, 2)
    assert result.metrics["train_seconds"] >= 3.0


def test_serving_the_trained_run_shows_its_kb_as_a_graph(trained_run: tuple[Path, dict]) -> None:
    """`kgr serve --model RUN`: answers keep the KB's names, entity pages and SPARQL read the
    KB as a graph of ent:<name> IRIs labelled with those names."""
    from fastapi.testclient import TestClient

    from kg_reasoner.graph.vocabulary import name_iri
    from kg_reasoner.qa.loading import load_qa
    from kg_reasoner.serve.app import create_app

    run, _ = trained_run
    loaded = load_qa(model=run)
    client = TestClient(create_app(loaded))
    asked = client.get("/ask", params={"q": "which films did [George Clooney] act in"}).json()
    film = asked["answers"][0]["entity"]
    assert film in {"Leatherheads", "Syriana"}  # the KB's own names
    page = client.get(f"/entity/{film}").json()
    assert page["id"] == name_iri(film) and page["label"] == film
    assert {"George Clooney"} <= {t["object_label"] for t in page["triples"]}
    rows = client.get(
        "/sparql", params={"query": "SELECT ?f WHERE { ?f rel:starred_actors ?a . "
                           '?a rdfs:label "George Clooney" }'},
    ).json()["rows"]  # fmt: skip
    assert {r["f"] for r in rows} >= {name_iri(film)}
    loaded.close()
