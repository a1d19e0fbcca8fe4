"""Over real HTTP, on a graph from `kgr build`: every IRI the server returns works in /sparql, and
malformed queries get a 400 with a short message and the position."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.vocabulary import ENT
from kg_reasoner.pipelines import build_graph
from kg_reasoner.qa.loading import LoadedQA
from kg_reasoner.qa.zero_shot import ZeroShotAnswerer
from kg_reasoner.retrieval.kb_readers import index_from_graph
from tests.conftest import DOCS, write_corpus
from tests.qa.toy_kb import BagOfWordsEmbedder
from tests.serve.live_server import live_server


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    root = tmp_path_factory.mktemp("identifiers")
    build_graph(write_corpus(root / "corpus", DOCS), root / "kg")
    kg = KnowledgeGraph.open(Path(root / "kg"), read_only=True)
    answerer = ZeroShotAnswerer(index_from_graph(kg), graph=kg, embedder=BagOfWordsEmbedder())  # type: ignore[arg-type]
    with live_server(LoadedQA(answerer, kg)) as url, httpx.Client(base_url=url, timeout=30) as c:
        yield c
    kg.close()


def sparql(http: httpx.Client, query: str) -> httpx.Response:
    return http.post("/sparql", json={"query": query})


def test_every_iri_the_server_returns_runs_in_a_query(http: httpx.Client) -> None:
    rows = sparql(http, "SELECT DISTINCT ?e WHERE { ?e a kgr:Entity }").json()["rows"]
    iris = {row["e"] for row in rows}
    entity = http.get(f"/entity/{quote('Marie Curie')}").json()
    iris |= {entity["id"]} | {t[k] for t in entity["triples"] for k in ("subject", "object")}
    iris = {i for i in iris if i.startswith(str(ENT))}  # literal objects are no IRIs
    assert f"{ENT}person.marie_curie" in iris and len(iris) > 10
    # as full IRIs, and shortened with the predeclared ent: prefix as the README writes them
    for terms in ({f"<{i}>" for i in iris}, {"ent:" + i[len(str(ENT)) :] for i in iris}):
        query = (
            f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {' '.join(sorted(terms))} }} "
            "FILTER EXISTS { ?x a kgr:Entity } }"
        )
        response = sparql(http, query)
        assert response.status_code == 200, response.text
        assert response.json()["rows"] == [{"n": str(len(iris))}]


def test_the_printed_entity_name_opens_the_entity_page(http: httpx.Client) -> None:
    data = http.get("/entity/ent:person.marie_curie").json()
    assert data["label"] == "Marie Curie" and data["id"] == f"{ENT}person.marie_curie"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("SELECT ?x WHERE { ent:person/marie_curie ?p ?x }", "malformed SPARQL at line 1, column"),
        ("SELECT ?x WHERE {\n ?x ?p }", "malformed SPARQL at line 2, column"),
        ("SELECT ?n WHERE { ?x foaf:name ?n }", "unknown prefix 'foaf:' at line 1, column 22"),
    ],
)
def test_malformed_queries_get_a_short_400_with_the_position(
    http: httpx.Client, query: str, expected: str
) -> None:
    for response in (sparql(http, query), http.get("/sparql", params={"query": query})):
        assert response.status_code == 400
        detail = response.json()["detail"]
        assert expected in detail and "\n" not in detail and len(detail) < 300, detail
