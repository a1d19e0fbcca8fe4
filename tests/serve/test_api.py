from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient

from kg_reasoner.serve.app import create_app
from tests.serve.live_server import live_server, people_qa, recording_listener

JSON = {"content-type": "application/json"}
CURIE = "http://example.org/entity/Marie_Curie"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(people_qa()))


def test_health_reports_what_is_loaded(client: TestClient) -> None:
    data = client.get("/health").json()
    assert data["status"] == "ok" and data["method"] == "zero-shot"
    assert data["triples"] == 7


def test_ask_returns_answers_paths_and_the_evidence_graph(client: TestClient) -> None:
    response = client.post("/ask", json={"question": "Where was Marie Curie born?", "top_k": 3})
    assert response.status_code == 200
    data = response.json()
    assert data["answers"][0]["label"] == "Warsaw"
    assert data["answers"][0]["paths"][0]["text"] == "[Marie Curie] -born_in-> Warsaw"
    assert data["answers"][0]["paths"][0]["hops"][0]["sentences"] == [
        "Marie Curie was born in Warsaw."
    ]
    assert len(data["answers"]) <= 3
    assert {"nodes", "edges"} <= set(data["graph"])
    assert client.get("/ask", params={"q": "Where was Marie Curie born?"}).json()["answers"]


@pytest.mark.parametrize(
    "body",
    [
        {"question": ""},
        {"question": "x" * 501},
        {"top_k": 3},
        {"question": "q", "top_k": 0},
        {"question": "q", "top_k": "many"},
    ],
)
def test_bad_ask_requests_get_422_with_the_field_named(client: TestClient, body: dict) -> None:
    response = client.post("/ask", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] in {"question", "top_k"}


def test_malformed_json_and_oversized_bodies_are_rejected(client: TestClient) -> None:
    bad = client.post("/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert bad.status_code == 422
    huge = client.post("/ask", content=b"x" * 70_000, headers={"content-type": "application/json"})
    assert huge.status_code == 413


def _chunked_post_without_end(url: str, path: str, size: int) -> bytes:
    """Send ``size`` bytes of a chunked body and never finish it; return the reply (or b"")."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        sock.sendall(head.encode() + b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"x" * 8_192
        sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) * (size // len(chunk)))  # one write
        try:
            return sock.recv(4_096)  # the last chunk is never sent: only a limit can answer
        except TimeoutError:
            return b""


def test_body_limit_counts_bytes_read_and_errors_never_echo_the_body() -> None:
    with live_server(people_qa()) as url, httpx.Client(base_url=url, timeout=30) as http:
        reply = _chunked_post_without_end(url, "/ask", 73_728)
        assert reply.startswith(b"HTTP/1.1 413") and b"xxxx" not in reply
        long = b'{"question": "' + b"x" * 50_000 + b'"}'
        chunked = http.post("/ask", content=iter([long[:20_000], long[20_000:]]), headers=JSON)
        assert chunked.status_code == 422 and len(chunked.content) < 1_000
        assert chunked.json()["detail"][0]["loc"] == ["body", "question"]
        bad = http.post("/ask", content=b'{"question": "' + b"y" * 30_000, headers=JSON)
        assert bad.status_code == 422 and b"yyyy" not in bad.content
        assert b"zzzz" not in http.get("/ask", params={"q": "z" * 600}).content
        assert http.post("/ask", json={"question": "Where was Marie Curie born?"}).is_success


def test_a_client_still_sending_an_oversize_chunked_body_gets_the_413() -> None:
    # The load benchmark saw connection resets instead of the 413 for chunked bodies: the
    # server closed while the client was still sending.
    async def post_all(url: str) -> list[int | str]:
        async def body() -> AsyncIterator[bytes]:
            for _ in range(74):
                yield b"x" * 1_024
                await asyncio.sleep(0)

        async def one(http: httpx.AsyncClient) -> int | str:
            try:
                return (await http.post("/ask", content=body(), headers=JSON)).status_code
            except httpx.TransportError as exc:
                return type(exc).__name__

        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            return await asyncio.gather(*(one(http) for _ in range(20)))

    with live_server(people_qa()) as url:
        assert asyncio.run(post_all(url)) == [413] * 20


def test_entity_page_lists_triples_with_sources(client: TestClient) -> None:
    data = client.get(f"/entity/{quote(CURIE, safe='')}").json()
    assert data["label"] == "Marie Curie" and data["type"] == "PERSON"
    born = next(t for t in data["triples"] if t["predicate"] == "born_in")
    assert born["object_label"] == "Warsaw"
    assert born["sentences"] == ["Marie Curie was born in Warsaw."]
    assert {t["predicate"] for t in data["triples"]} == {"born_in", "works_for", "spouse_of"}


def test_unknown_entity_is_404(client: TestClient) -> None:
    response = client.get("/entity/Nobody%20At%20All")
    assert response.status_code == 404
    assert "Nobody At All" in response.json()["detail"]


def test_sparql_select_runs_and_update_is_refused(client: TestClient) -> None:
    query = (
        "SELECT ?o WHERE { ?s rel:born_in ?o . "
        '?s <http://www.w3.org/2000/01/rdf-schema#label> "Marie Curie" }'
    )
    rows = client.get("/sparql", params={"query": query}).json()["rows"]
    assert rows == [{"o": "http://example.org/entity/Warsaw"}]
    update = "INSERT DATA { <http://a> <http://b> <http://c> }"
    refused = client.post("/sparql", json={"query": update})
    assert refused.status_code == 400
    assert "read-only" in refused.json()["detail"]
    delete = client.get("/sparql", params={"query": "DELETE WHERE { ?s ?p ?o }"})
    assert delete.status_code == 400
    assert client.get("/health").json()["triples"] == 7
    assert client.get("/sparql", params={"query": "SELECT nonsense"}).status_code == 400
    assert client.get("/sparql", params={"query": "x" * 10_001}).status_code == 422


def test_federated_sparql_is_refused_over_http_and_contacts_nobody() -> None:
    with recording_listener() as (target, received), live_server(people_qa()) as url:
        query = f"SELECT * WHERE {{ SERVICE <{target}/x> {{ ?s ?p ?o }} }}"
        with httpx.Client(base_url=url, timeout=30) as http:
            replies = [http.get("/sparql", params={"query": query}),
                       http.post("/sparql", json={"query": query})]  # fmt: skip
    for reply in replies:
        assert reply.status_code == 400
        assert "SERVICE is not allowed" in reply.json()["detail"]
    assert received == []


def test_openapi_docs_and_the_page_are_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/ask", "/entity/{entity_id}", "/sparql", "/health"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 200
    page = client.get("/")
    assert page.status_code == 200 and "Ask the graph" in page.text
    script = client.get("/static/cytoscape.min.js")
    assert script.status_code == 200 and len(script.content) > 100_000


@pytest.mark.parametrize("docs", ["/docs", "/redoc"])
def test_api_docs_load_every_asset_from_the_server_itself(docs: str) -> None:
    with live_server(people_qa()) as url, httpx.Client(base_url=url, timeout=30) as http:
        html = http.get(docs).text
        assert re.findall(r"(?:https?:)?//[\w.-]+", html) == []  # no CDN, no fonts, no favicon
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert any(a.endswith(".js") for a in assets)
        for asset in assets:
            response = http.get(asset)
            assert response.status_code == 200 and len(response.content) > 1_000, asset
        assert "/openapi.json" in html and http.get("/openapi.json").json()["paths"]


def test_concurrent_requests_over_http_give_consistent_answers() -> None:
    questions = ["Where was Marie Curie born?", "Where was Alan Turing born?"] * 12
    expected = {"Where was Marie Curie born?": "Warsaw", "Where was Alan Turing born?": "London"}
    with live_server(people_qa()) as url, httpx.Client(base_url=url, timeout=30) as http:

        def ask(question: str) -> tuple[str, str, int]:
            response = http.post("/ask", json={"question": question})
            entity = http.get(f"/entity/{quote(CURIE, safe='')}")
            return question, response.json()["answers"][0]["label"], entity.status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(ask, questions))
    assert all(label == expected[q] and status == 200 for q, label, status in results)
