"""What `kgr` prints can be typed back: identifiers into queries, README queries as written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDFS

from kg_reasoner.cli import graph_commands
from kg_reasoner.graph.vocabulary import ENT
from tests.cli.test_graph_cli import run

README = Path(__file__).resolve().parents[2] / "README.md"
TERM = re.compile(r"^(?:<\S+>|[a-z]+:\S+)$")


@pytest.fixture
def graph(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, out, _ = run(capsys, "build", str(corpus), "--graph", str(tmp_path / "kg"), "--quiet")
    assert code == 0 and "4 added" in out
    return tmp_path / "kg"


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A console wide enough that no table cell wraps, so each printed term is one cell."""
    monkeypatch.setattr(graph_commands.console, "width", 400)


def table_cells(out: str) -> list[str]:
    return [
        cell.strip()
        for line in out.splitlines()
        if line.startswith("│")
        for cell in line.strip("│").split("│")
    ]


def count_known(capsys: pytest.CaptureFixture[str], graph: Path, terms: set[str]) -> int:
    """How many of ``terms`` name something in the graph, in one query that fails if any of
    them is not a valid SPARQL term."""
    query = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {' '.join(sorted(terms))} }} "
        "FILTER EXISTS { { ?x ?p ?o } UNION { ?s ?x ?o } UNION { GRAPH ?x { ?s ?p ?o } } } }"
    )
    code, out, err = run(capsys, "sparql", "--graph", str(graph), query, "--format", "json")
    assert code == 0, err
    return int(json.loads(out)[0]["n"])


def test_every_identifier_the_sparql_table_prints_runs_in_a_query(
    graph: Path, wide: None, capsys: pytest.CaptureFixture[str]
) -> None:
    query = "SELECT DISTINCT ?e ?p ?d WHERE { GRAPH ?d { ?e ?p ?o } ?e a kgr:Entity }"
    code, out, err = run(capsys, "sparql", "--graph", str(graph), query)
    assert code == 0, err
    terms = {cell for cell in table_cells(out) if TERM.match(cell)} - {"e", "p", "d"}
    entities = {t for t in terms if t.startswith("ent:")}
    assert "ent:person.marie_curie" in entities and len(entities) > 10
    assert any(t.startswith("<https://kg-reasoner.org/doc/") for t in terms)
    assert count_known(capsys, graph, terms) == len(terms)


def test_the_entity_id_kgr_entity_prints_works_in_queries_and_lookups(
    graph: Path, wide: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "entity", "--graph", str(graph), "Marie Curie")
    assert code == 0
    printed = out.splitlines()[0].split()[-1]
    assert printed == "ent:person.marie_curie"
    assert count_known(capsys, graph, {printed}) == 1
    code, out, _ = run(capsys, "entity", "--graph", str(graph), printed, "--json")
    assert code == 0 and json.loads(out)["entity"]["label"] == "Marie Curie"
    code, out, _ = run(capsys, "entity", "--graph", str(graph), f"<{ENT}person.marie_curie>")
    assert code == 0 and out.startswith("Marie Curie (PERSON)")


def test_json_output_gives_full_iris_that_run_in_brackets(
    graph: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    query = "SELECT DISTINCT ?e WHERE { ?e a kgr:Entity }"
    code, out, _ = run(capsys, "sparql", "--graph", str(graph), query, "--format", "json")
    iris = {row["e"] for row in json.loads(out)}
    assert code == 0 and all(i.startswith(str(ENT)) for i in iris)
    assert count_known(capsys, graph, {f"<{i}>" for i in iris}) == len(iris)
    # the same IRIs written with the ent: prefix, the way the README writes them
    assert count_known(capsys, graph, {"ent:" + i[len(str(ENT)) :] for i in iris}) == len(iris)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("SELECT ?x WHERE { ent:person/marie_curie ?p ?x }", "line 1, column"),
        ("SELECT ?x WHERE {\n ?x ?p }", "line 2, column"),
        ("SELECT ?n WHERE { ?x foaf:name ?n }", "unknown prefix 'foaf:' at line 1, column 22"),
    ],
)
def test_malformed_queries_exit_2_with_one_line_and_the_position(
    graph: Path, capsys: pytest.CaptureFixture[str], query: str, expected: str
) -> None:
    code, out, err = run(capsys, "sparql", "--graph", str(graph), query)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and expected in err, err
    assert err.count("\n") == 1 and len(err) < 300 and "Traceback" not in err, err


def readme_queries() -> list[str]:
    text = README.read_text(encoding="utf-8")
    shell = re.findall(r"kgr sparql --graph \S+ '([^']+)'", text)
    python = re.findall(r'kg\.sparql\("([^"]+)"\)', text)
    return shell + python


def test_readme_queries_run_as_written(graph: Path, capsys: pytest.CaptureFixture[str]) -> None:
    queries = readme_queries()
    assert len(queries) >= 4
    for query in queries:
        code, out, err = run(capsys, "sparql", "--graph", str(graph), query, "--format", "json")
        assert code == 0, f"{query}: {err}"
        if "marie_curie" in query or "Warsaw" in query:
            assert json.loads(out), f"{query} found nothing"


def test_turtle_export_writes_entities_as_ent_names(
    graph: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "g.ttl"
    code, _, _ = run(capsys, "export", "--graph", str(graph), "-f", "ttl", "-o", str(out_file))
    text = out_file.read_text(encoding="utf-8")
    assert code == 0 and "ent:person.marie_curie" in text
    parsed = rdflib.Graph().parse(data=text, format="turtle")
    curie = rdflib.URIRef(f"{ENT}person.marie_curie")
    assert list(parsed.objects(curie, RDFS.label)) == [rdflib.Literal("Marie Curie")]
