"""The store on a SPARQL server: URLs, errors, and a `kgr build` into Oxigraph's server and
Virtuoso giving exactly the quads of the embedded store."""

from __future__ import annotations

import io
import json
import os
import re
import signal
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

from kg_reasoner.errors import QueryError, StoreError
from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.stores import open_store
from kg_reasoner.graph.stores.sparql_client import endpoints, is_store_url
from kg_reasoner.graph.stores.sparql_server import SparqlServerStore
from kg_reasoner.graph.stores.sparql_updates import replace_graphs
from kg_reasoner.pipelines import build, open_graph
from tests.building.conftest import (
    assert_consistent_then_resumed,
    clean_build_quads,
    many_documents,
    stopped_mid_build,
)
from tests.cli.test_graph_cli import run as run_cli
from tests.graph.sparql_servers import free_port, virtuoso_available, virtuoso_server

PROCESSED_AT = re.compile(r'(vocab#processedAt> )"[^"]+"')  # when each build ran: differs
G1 = URIRef("http://example.org/g1")
A, P, B = (URIRef(f"http://example.org/{x}") for x in "apb")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code, out, err = run_cli(capsys, *args)
    return code, out + err


def emptied(url: str) -> str:
    store = open_store(url)
    store.remove_documents(store.named_graphs())
    store.close()
    return url


@pytest.fixture(params=["oxigraph_url", "virtuoso_url"])
def server_url(request: pytest.FixtureRequest) -> str:
    return emptied(request.getfixturevalue(request.param))


def test_endpoints_follow_the_server_convention() -> None:
    assert endpoints("http://h:7878/query") == (
        "http://h:7878/query",
        "http://h:7878/update",
        "http://h:7878/store",
    )
    assert endpoints("http://h:8890/sparql") == ("http://h:8890/sparql",) * 2 + (None,)
    assert is_store_url("https://h/sparql") and not is_store_url("kg/")
    with pytest.raises(StoreError, match="not a SPARQL endpoint URL"):
        endpoints("http:///sparql")


def test_server_down_is_one_line_naming_the_url() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(StoreError, match="cannot reach the SPARQL server at") as info:
        open_store(url)
    assert "127.0.0.1" in str(info.value) and "\n" not in str(info.value)


def test_sparql_backend_needs_a_url(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="needs a server URL"):
        open_store(tmp_path, backend="sparql")


@pytest.mark.slow
def test_syntax_errors_name_the_users_line_and_column(oxigraph_url: str, tmp_path: Path) -> None:
    query = "SELECT ?x WHERE { ?x ?p }"
    embedded = open_store(tmp_path / "s")
    with pytest.raises(QueryError) as local:
        embedded.query(query)
    embedded.close()
    server = open_store(oxigraph_url)
    with pytest.raises(QueryError) as remote:
        server.query(query)
    server.close()
    assert "at line 1, column 26:" in str(local.value)
    assert str(remote.value) == str(local.value)


def test_a_large_graph_is_inserted_in_operations_of_bounded_size() -> None:
    triples = [(f"<s{i}>", "<p>", "<o>") for i in range(2_500)]
    update = replace_graphs([("g1", triples), ("g2", triples[:10])], ["g1", "g2"])
    operations = update.split(" ;\n")
    assert operations[:2] == ["DROP SILENT GRAPH <g1>", "DROP SILENT GRAPH <g2>"]
    inserts = operations[2:]
    assert [op.count(" .") for op in inserts] == [1_000, 1_000, 500, 10]
    assert all(op.startswith("INSERT DATA { GRAPH <g") for op in inserts)
    assert sum(op.count("<s") for op in inserts) == 2_510
    assert replace_graphs([], []) == "INSERT DATA { }"


@pytest.mark.slow
def test_a_large_batch_is_written_whole(server_url: str) -> None:
    """A build commits up to 200k quads at once; Virtuoso's SPARQL compiler refuses 20,000
    triples in one INSERT DATA operation ("memory exhausted"), so the request holds several."""
    graphs = [URIRef(f"http://example.org/big{i}") for i in range(4)]
    batch = [(g, [(URIRef(f"{g}/s{j}"), P, B) for j in range(5_000)]) for g in graphs]
    store = SparqlServerStore(server_url)
    store.write_documents(batch)
    assert len(store) == 20_000
    assert sorted(store.named_graphs()) == sorted(graphs)
    store.remove_documents(graphs)
    store.close()


@pytest.mark.slow
def test_read_only_server_store_refuses_writes(server_url: str) -> None:
    store = SparqlServerStore(server_url, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        store.write_documents([(G1, [(A, P, B)])])
    store.close()


@pytest.mark.slow
def test_graphs_open_from_a_url(server_url: str) -> None:
    store = open_store(server_url)
    store.write_documents([(G1, [(A, P, B)])])
    store.close()
    with KnowledgeGraph.open(server_url, read_only=True) as kg:
        assert kg.path is None and len(kg.store) == 1
    with open_graph(server_url) as kg:
        assert kg.store.backend == "sparql"


@pytest.mark.slow
def test_build_into_a_server_gives_the_embedded_quads(
    server_url: str, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = tmp_path / "kg"
    assert run(capsys, "build", str(corpus), "--graph", str(local), "-q")[0] == 0
    code, out = run(capsys, "build", str(corpus), "--store", server_url, "-q")
    assert code == 0 and "4 added" in out and "report:" not in out

    def exported(where: str, name: str) -> list[str]:
        target = tmp_path / name
        assert run(capsys, "export", "--graph", where, "-f", "nq", "-o", str(target))[0] == 0
        lines = target.read_text(encoding="utf-8").splitlines()
        return sorted(PROCESSED_AT.sub(r"\1TIME", line) for line in lines)

    assert exported(server_url, "server.nq") == exported(str(local), "local.nq")

    code, out = run(capsys, "build", str(corpus), "--store", server_url, "-q")
    assert code == 0 and "4 unchanged" in out
    code, out = run(capsys, "stats", "--store", server_url, "--json")
    assert code == 0 and json.loads(out)["documents"] == 4

    assert run(capsys, "delete", "--graph", str(local), "places/warsaw.txt")[0] == 0
    code, out = run(capsys, "delete", "--store", server_url, "places/warsaw.txt")
    assert code == 0 and "deleted places/warsaw.txt" in out
    assert exported(server_url, "server2.nq") == exported(str(local), "local2.nq")


@pytest.mark.slow
def test_the_http_api_answers_from_a_server_store(oxigraph_url: str, corpus: Path) -> None:
    from fastapi.testclient import TestClient

    from kg_reasoner.qa.loading import LoadedQA
    from kg_reasoner.qa.zero_shot import ZeroShotAnswerer
    from kg_reasoner.retrieval.kb_readers import index_from_graph
    from kg_reasoner.serve.app import create_app
    from tests.qa.toy_kb import BagOfWordsEmbedder

    emptied(oxigraph_url)
    build(corpus, oxigraph_url)[0].close()
    graph = open_graph(oxigraph_url)
    index = index_from_graph(graph)
    answerer = ZeroShotAnswerer(index, graph=graph, embedder=BagOfWordsEmbedder())  # type: ignore[arg-type]
    with TestClient(create_app(LoadedQA(answerer, graph))) as client:
        answer = client.post("/ask", json={"question": "Where was Marie Curie born?"}).json()
        assert answer["answers"][0]["label"] == "Warsaw"
        query = "SELECT DISTINCT ?o WHERE { ?s rel:born_in ?o . ?s rdfs:label 'Marie Curie' }"
        for _ in range(3):  # each query runs in a forked worker with its own connection
            rows = client.get("/sparql", params={"query": query}).json()["rows"]
            assert rows == [{"o": "https://kg-reasoner.org/entity/place.warsaw"}]
    graph.close()


@pytest.mark.slow
def test_an_update_without_rights_names_the_grant(tmp_path: Path) -> None:
    if not virtuoso_available():
        pytest.skip("Virtuoso is not installed: `make test` installs virtuoso-opensource")
    with virtuoso_server(tmp_path, grant_update=False) as url:
        store = open_store(url)
        assert store.query("ASK { ?s ?p ?o }") is True  # reading needs no grant
        with pytest.raises(StoreError, match='GRANT SPARQL_UPDATE TO "SPARQL"'):
            store.write_documents([(G1, [(A, P, B)])])
        store.close()


@pytest.mark.slow
def test_a_server_capping_rows_is_paged_and_cut_answers_are_refused(tmp_path: Path) -> None:
    if not virtuoso_available():
        pytest.skip("Virtuoso is not installed: `make test` installs virtuoso-opensource")
    graphs = [URIRef(f"http://example.org/g{i}") for i in range(12)]
    with virtuoso_server(tmp_path, max_rows=5) as url:
        store = open_store(url)
        store.write_documents([(g, [(A, P, URIRef(f"{g}/b"))]) for g in graphs])
        assert sorted(store.named_graphs()) == sorted(graphs)
        assert len(list(store.quads(A, P, None))) == 12 == len(store)
        out = io.BytesIO()
        store.dump_nquads(out)
        assert len(out.getvalue().splitlines()) == 12
        with pytest.raises(QueryError, match="at most 5 rows"):
            store.query(f"SELECT ?o WHERE {{ <{A}> ?p ?o }}")
        assert len(store.query(f"SELECT ?o WHERE {{ <{A}> ?p ?o }} LIMIT 5 OFFSET 5")) == 5  # type: ignore[arg-type]
        store.close()


@pytest.fixture(scope="module")
def killed_build_reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[Any]]:
    return clean_build_quads(tmp_path_factory.mktemp("ref"))


@pytest.mark.slow
def test_a_build_killed_mid_way_into_a_server_is_consistent_and_resumes(
    server_url: str, tmp_path: Path, killed_build_reference: dict[str, set[Any]]
) -> None:
    corpus = many_documents(tmp_path / "corpus")
    # stopped with more than half its documents to go (each retry into an emptied store),
    # so the kill always lands mid-build
    proc, _, _ = stopped_mid_build(corpus, lambda _: emptied(server_url))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert_consistent_then_resumed(corpus, server_url, killed_build_reference)


def test_a_command_on_a_server_that_is_down_says_so_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    code, out = run(capsys, "stats", "--store", url)
    assert code != 0 and f"cannot reach the SPARQL server at {url}" in out
    assert "Traceback" not in out and len(out.strip().splitlines()) == 1
