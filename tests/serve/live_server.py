"""Run the QA app with uvicorn in a background thread on 127.0.0.1 (for HTTP and browser tests)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from kg_reasoner.qa.loading import LoadedQA
from kg_reasoner.qa.zero_shot import ZeroShotAnswerer
from kg_reasoner.retrieval.kb_graph import kb_graph
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.serve.app import create_app
from tests.qa.toy_kb import BagOfWordsEmbedder, people_graph


def people_qa() -> LoadedQA:
    graph = people_graph()
    answerer = ZeroShotAnswerer(graph.index, graph=graph, embedder=BagOfWordsEmbedder())  # type: ignore[arg-type]
    return LoadedQA(answerer, graph)


def big_people_qa(filler: int = 400) -> LoadedQA:
    """The people graph plus ``filler`` unrelated triples, so a three-way cross product of all
    triples (``?a ?b ?c . ?d ?e ?f . ?g ?h ?i``) takes minutes while /ask stays quick."""
    people = people_graph().index
    triples = [people.triple(t) for t in range(people.num_triples)]
    triples += [
        (f"urn:x:{i}", f"filler_{i % 5}", f"urn:x:{(i * 31 + 1) % filler}") for i in range(filler)
    ]
    labels = dict(zip(people.entity_ids, people.entity_labels, strict=True))
    index = KBIndex.from_triples(triples, labels=labels)
    graph = kb_graph(index)
    answerer = ZeroShotAnswerer(index, graph=graph, embedder=BagOfWordsEmbedder())  # type: ignore[arg-type]
    return LoadedQA(answerer, graph)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(loaded: LoadedQA, **app_options: Any) -> Iterator[str]:
    """Yield the base URL of a running server (``create_app(loaded, **app_options)``); stop it."""
    port = free_port()
    app = create_app(loaded, **app_options)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def recording_listener() -> Iterator[tuple[str, list[bytes]]]:
    """A 127.0.0.1 TCP listener that records what each connection sends and answers nothing.

    Yields its base URL and the list of received payloads, for tests that something is *not*
    contacted. It accepts at most 20 connections and reads each for at most 2 seconds.
    """
    received: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(20)
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        for _ in range(20):
            while not stop.is_set():
                try:
                    conn, _ = server.accept()
                    break
                except TimeoutError:
                    continue
            else:
                return
            with conn:
                conn.settimeout(2)
                try:
                    received.append(conn.recv(65536))
                except OSError:
                    received.append(b"")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}", received
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


def star_qa(people: int = 8) -> LoadedQA:
    """One company linked to ``people`` staff by a long relation name: an evidence graph whose
    edges all leave one node, where edge labels crowd each other unless the page spaces them."""
    company = "http://example.org/entity/Acme_Corp"
    ids = [f"http://example.org/entity/Person_{i}" for i in range(people)]
    triples = [(company, "employs_as_senior_staff_member", person) for person in ids]
    labels = {company: "Acme Corp", **{p: f"Person {i}" for i, p in enumerate(ids)}}
    types = {company: "ORG", **dict.fromkeys(ids, "PERSON")}
    index = KBIndex.from_triples(triples, labels=labels, types=types)
    graph = kb_graph(index)
    answerer = ZeroShotAnswerer(index, graph=graph, embedder=BagOfWordsEmbedder())  # type: ignore[arg-type]
    return LoadedQA(answerer, graph)
