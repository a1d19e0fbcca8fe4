"""The graph commands end to end through the real `kgr` entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg_reasoner.cli import main
from tests.corpus.unlistable import refuse_listing
from tests.serve.live_server import recording_listener


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def graph(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, out, _ = run(capsys, "build", str(corpus), "--graph", str(tmp_path / "kg"), "--quiet")
    assert code == 0 and "4 added" in out
    return tmp_path / "kg"


def test_build_twice_reports_unchanged(graph: Path, corpus: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "build", str(corpus), "--graph", str(graph), "-q")
    assert code == 0 and "4 unchanged" in out


def test_stats_entity_sparql_export_delete(graph: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "stats", "--graph", str(graph), "--json")
    assert code == 0 and json.loads(out)["documents"] == 4

    code, out, _ = run(capsys, "entity", "--graph", str(graph), "Marie Curie", "--json")
    view = json.loads(out)
    assert view["entity"]["label"] == "Marie Curie"
    born = [t for t in view["outgoing"] if t["relation"] == "born_in"]
    assert born and born[0]["other_label"] == "Warsaw"
    assert "born in Warsaw" in born[0]["provenance"][0]["sentence"]

    query = "SELECT DISTINCT ?o WHERE { ?s rel:born_in ?o . ?s rdfs:label 'Marie Curie' }"
    code, out, _ = run(capsys, "sparql", "--graph", str(graph), query, "--format", "json")
    assert code == 0 and json.loads(out) == [{"o": "https://kg-reasoner.org/entity/place.warsaw"}]

    out_file = tmp_path / "g.ttl"
    code, out, _ = run(capsys, "export", "--graph", str(graph), "-f", "ttl", "-o", str(out_file))
    assert code == 0 and "rel:born_in" in out_file.read_text()

    code, out, _ = run(capsys, "delete", "--graph", str(graph), "places/warsaw.txt")
    assert code == 0 and "deleted places/warsaw.txt" in out


def test_sparql_update_is_refused_without_traceback(graph: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "sparql", "--graph", str(graph), "DELETE WHERE { ?s ?p ?o }")
    assert code == 2
    assert "read-only" in err and "Traceback" not in err
    code, _, _ = run(capsys, "stats", "--graph", str(graph), "--json")
    assert code == 0


def test_federated_sparql_is_refused_without_traceback(graph: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with recording_listener() as (url, received):
        query = f"SELECT * WHERE {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }}"
        code, _, err = run(capsys, "sparql", "--graph", str(graph), query)
    assert code == 2 and "Traceback" not in err
    assert "SERVICE is not allowed" in err
    assert received == []


def test_clear_errors_for_bad_input(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text("workers: 2\nextraction:\n  spacy_modle: x\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("Alan Turing was born in London.")
    code, _, err = run(
        capsys, "build", str(tmp_path / "docs"), "-g", str(tmp_path / "kg"), "--config", str(bad)
    )
    assert code == 2 and "spacy_modle" in err and "did you mean 'spacy_model'" in err
    code, _, err = run(capsys, "entity", "--graph", str(tmp_path / "nope"), "X")
    assert code == 2 and "kgr build" in err
    code, _, err = run(capsys, "build", str(tmp_path / "missing"), "-g", str(tmp_path / "kg2"))
    assert code == 2 and "does not exist" in err
    code, _, err = run(
        capsys,
        "build",
        str(tmp_path / "docs"),
        "-g",
        str(tmp_path / "kg3"),
        "--extractor",
        "nowhere/",
    )
    assert code == 2 and "unknown extractor" in err


def test_unknown_entity_is_a_clear_error(graph: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "entity", "--graph", str(graph), "Nobody Atall")
    assert code == 2 and "no entity named" in err


def test_every_command_has_help_with_examples(capsys) -> None:  # type: ignore[no-untyped-def]
    for command in (
        "build",
        "delete",
        "stats",
        "entity",
        "sparql",
        "export",
        "demo",
        "train",
        "eval",
    ):
        code, out, _ = run(capsys, command, "--help")
        assert code == 0 and "Examples" in out, command


def test_bad_paths_and_options_get_one_line_errors(graph: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Alan Turing was born in London.")
    a_file = tmp_path / "some_file.txt"
    a_file.write_text("not a graph")
    folder = tmp_path / "existing_folder"
    folder.mkdir()
    cases = {
        ("build", str(docs), "--graph", str(a_file)): "is a file, not a graph folder",
        ("delete", "--graph", str(a_file), "a.txt"): "is a file, not a graph folder",
        ("export", "--graph", str(graph), "-o", f"{folder}/"): "is a folder: give the file",
        ("build", str(docs), "--graph", str(tmp_path / "g"), "--workers", "-1"): "workers",
    }
    for args, message in cases.items():
        code, _, err = run(capsys, *args)
        assert code == 2 and "Traceback" not in err and message in " ".join(err.split()), args
        assert err.startswith("error:") and "pydantic" not in err, args
    assert a_file.read_text() == "not a graph" and list(folder.iterdir()) == []


def test_delete_on_a_mistyped_graph_creates_nothing(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "delete", "--graph", str(tmp_path / "typo"), "x")
    assert code == 2 and "no graph at" in err
    assert not (tmp_path / "typo").exists()


def test_export_default_file_follows_the_format(
    graph: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "export", "--graph", str(graph), "--format", "nt")
    assert code == 0 and "graph.nt" in out
    assert (tmp_path / "graph.nt").is_file() and not (tmp_path / "graph.ttl").exists()


def test_an_empty_folder_builds_with_a_warning(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "empty").mkdir()
    code, out, _ = run(capsys, "build", str(tmp_path / "empty"), "-g", str(tmp_path / "kg"), "-q")
    assert code == 0 and "warning" in out and "no documents found" in " ".join(out.split())


def test_a_fallback_decoding_is_reported_by_its_encoding(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_bytes("René Dupont was born in Lyon.".encode("cp1252"))
    code, _, _ = run(capsys, "build", str(tmp_path / "docs"), "-g", str(tmp_path / "kg"), "-q")
    report = json.loads((tmp_path / "kg" / "reports" / "last_build.json").read_text())
    assert code == 0 and report["documents"][0]["reason"] == "decoded as cp1252"


GRAPH_COMMANDS = [["stats"], ["entity", "X"], ["sparql", "ASK {}"], ["export"], ["delete", "x"]]


@pytest.mark.parametrize("command", [*GRAPH_COMMANDS, ["ask", "q"], ["serve"]])
def test_every_graph_command_on_a_missing_or_file_graph_is_one_line(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "some_file.txt"
    a_file.write_text("x")
    for graph in (tmp_path / "missing", a_file):
        code, _, err = run(capsys, *command, "--graph", str(graph))
        assert code == 2 and err.startswith("error:") and "Traceback" not in err, graph
    assert not (tmp_path / "missing").exists()


def _one_record(path: Path, record_id: str, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"id": record_id, "text": text}) + "\n", encoding="utf-8")
    return path


def test_equal_record_ids_in_two_files_both_stay_in_the_graph(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    a = _one_record(tmp_path / "a.jsonl", "1", "Marie Curie was born in Warsaw.")
    b = _one_record(tmp_path / "b.jsonl", "1", "Alan Turing was born in London.")
    kg = str(tmp_path / "kg")
    for path in (a, b):
        code, out, _ = run(capsys, "build", str(path), "--graph", kg, "-q")
        assert code == 0 and "1 added" in out and "updated" not in out
    code, out, _ = run(capsys, "stats", "--graph", kg, "--json")
    assert json.loads(out)["documents"] == 2
    code, out, _ = run(capsys, "delete", "--graph", kg, "a.jsonl#1")
    assert code == 0 and "deleted a.jsonl#1" in out


def test_global_ids_duplicates_are_reported_with_both_files_and_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    _one_record(docs / "a.jsonl", "1", "Marie Curie was born in Warsaw.")
    _one_record(docs / "b.jsonl", "1", "Alan Turing was born in London.")
    code, out, _ = run(capsys, "build", str(docs), "-g", str(tmp_path / "kg"), "-q", "--global-ids")
    out = " ".join(out.split())
    assert code == 0 and "1 added, 1 skipped" in out
    assert "skipped 1: duplicate id:" in out and "drop --global-ids" in out
    assert f"{docs / 'b.jsonl'} line 1 and {docs / 'a.jsonl'} line 1" in out


def test_build_reports_swallowed_csv_rows_unreadable_folders_and_fifos(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    docs = tmp_path / "docs"
    (docs / "locked").mkdir(parents=True)
    (docs / "locked" / "a.txt").write_text("Alan Turing was born in London.")
    (docs / "t.csv").write_text(
        'id,text\nr1,"Marie Curie was born in Warsaw.\nr2,Ada Lovelace was born in London.\n'
    )
    os.mkfifo(docs / "pipe.txt")
    refuse_listing(monkeypatch, "locked")
    code, out, _ = run(capsys, "build", str(docs), "-g", str(tmp_path / "kg"), "-q")
    out = " ".join(out.split())
    assert code == 0 and "1 added, 3 skipped" in out
    assert "t.csv#2: lines 2-3: the quote opened on line 2 is not closed" in out
    assert f"{docs / 'locked'}: unreadable folder: permission denied" in out
    assert "pipe.txt: not a regular file (FIFO)" in out
