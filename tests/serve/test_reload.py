"""A server picks up a build committed into its graph while it serves (item 5 of the issue).

The graph is built with the real builder, served through real HTTP, then `kgr build` runs in
another process into the same directory while the server keeps it open.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from kg_reasoner.pipelines import build_graph
from kg_reasoner.qa.loading import LoadedQA
from kg_reasoner.qa.zero_shot import ZeroShotAnswerer
from kg_reasoner.retrieval.kb_graph import open_graph
from kg_reasoner.retrieval.kb_readers import index_from_graph
from kg_reasoner.serve.reload import reopen_qa
from tests.conftest import DOCS, write_corpus
from tests.qa.toy_kb import BagOfWordsEmbedder
from tests.serve.live_server import live_server, people_qa

CURIE = {"people/curie.txt": DOCS["people/curie.txt"]}
TURING = {"people/turing.md": DOCS["people/turing.md"]}


def _serve_graph(graph: Path) -> LoadedQA:
    source = open_graph(graph)
    answerer = ZeroShotAnswerer(
        index_from_graph(source),
        graph=source,
        embedder=BagOfWordsEmbedder(),  # type: ignore[arg-type]
    )
    return LoadedQA(answerer, source)


def _kgr_build(corpus: Path, graph: Path) -> None:
    """`kgr build` in its own process, as a user runs it beside `kgr serve`."""
    cmd = [sys.executable, "-m", "kg_reasoner", "build", str(corpus), "--graph", str(graph)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=os.environ.copy())
    assert done.returncode == 0, done.stderr[-2000:]


def _wait_for(url: str, check: Any, timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        data = httpx.get(url, timeout=10).json()
        if check(data) or time.monotonic() > deadline:
            return data  # type: ignore[no-any-return]
        time.sleep(0.1)


def _answers(base: str, question: str) -> list[str]:
    data = httpx.get(f"{base}/ask", params={"q": question}, timeout=60).json()
    return [a["label"] for a in data["answers"]]


@pytest.mark.slow
def test_a_build_committed_while_serving_is_served_and_health_names_it(tmp_path: Path) -> None:
    corpus, graph = tmp_path / "corpus", tmp_path / "kg"
    write_corpus(corpus, CURIE)
    build_graph(corpus, graph)
    watching = live_server(
        _serve_graph(graph), graph_dir=graph, reopen=reopen_qa(graph), reload_seconds=0.2
    )
    frozen = live_server(_serve_graph(graph), graph_dir=graph, reopen=reopen_qa(graph),
                         reload_seconds=0)  # fmt: skip
    with watching as live, frozen as stale:
        before = httpx.get(f"{live}/health", timeout=10).json()["build"]
        assert before["generation"] == 1 and before["reload"].startswith("automatic")
        assert httpx.get(f"{live}/entity/Alan Turing", timeout=10).status_code == 404
        assert "London" not in _answers(live, "Where was Alan Turing born?")
        assert httpx.get(f"{live}/info", timeout=10).json()["documents"] == 1

        write_corpus(corpus, TURING)
        _kgr_build(corpus, graph)  # another process writes the graph both servers have open

        after = _wait_for(f"{live}/health", lambda d: d["build"]["generation"] == 2)["build"]
        assert after["generation"] == 2 and after["on_disk_generation"] == 2
        assert after["reload_error"] is None and not after["newer_build_waiting"]
        assert httpx.get(f"{live}/entity/Alan Turing", timeout=10).status_code == 200
        assert "London" in _answers(live, "Where was Alan Turing born?")
        info = httpx.get(f"{live}/info", timeout=10).json()
        assert info["documents"] == 2 and info["build"]["generation"] == 2
        rows = httpx.get(
            f"{live}/sparql",
            params={"query": "SELECT ?id WHERE { ?d kgr:documentId ?id }"},
            timeout=30,
        ).json()["rows"]
        assert {r["id"] for r in rows} == {"people/curie.txt", "people/turing.md"}

        time.sleep(0.5)  # several check intervals of the watching server
        held = httpx.get(f"{stale}/health", timeout=10).json()["build"]
        assert held["generation"] == 1 and held["on_disk_generation"] == 2
        assert held["newer_build_waiting"] and "restart" in held["reload"]
        assert httpx.get(f"{stale}/entity/Alan Turing", timeout=10).status_code == 404


def test_a_knowledge_base_without_a_build_directory_says_a_restart_is_needed() -> None:
    with live_server(people_qa()) as base:
        build = httpx.get(f"{base}/health", timeout=10).json()["build"]
    assert build["generation"] is None and "restart" in build["reload"]
