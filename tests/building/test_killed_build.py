"""A build killed mid-way (SIGKILL or SIGINT) leaves a consistent store and resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.vocabulary import KGR, document_iri
from kg_reasoner.pipelines import build_graph
from tests.conftest import write_corpus

N_DOCS = 120
CITIES = ["Paris", "London", "Berlin", "Madrid", "Rome", "Vienna", "Prague", "Lisbon"]


def _corpus(root: Path) -> Path:
    docs = {
        f"doc{i:02d}.txt": (
            f"Person{i} Smith was born in {CITIES[i % len(CITIES)]}. "
            f"Smith worked for Company{i} in {CITIES[(i + 3) % len(CITIES)]}.\n\n"
            f"Company{i} was founded by Person{(i + 1) % N_DOCS} Jones."
        )
        for i in range(N_DOCS)
    }
    return write_corpus(root, docs)


def _doc_quads(kg: KnowledgeGraph) -> dict[str, set[tuple[str, str, str]]]:
    out = {}
    for doc_id in kg.documents():
        graph = kg.store.quads(None, None, None, graph=document_iri(doc_id))  # type: ignore[arg-type]
        out[doc_id] = {
            (str(s), str(p), str(o))
            for s, p, o, _ in graph
            if p not in {KGR.processedAt, KGR.source}  # time and absolute path differ by run
        }
    return out


def _start_build(corpus: Path, graph: Path) -> subprocess.Popen[str]:
    cmd = [
        sys.executable, "-m", "kg_reasoner", "build", str(corpus), "--graph", str(graph),
        "--set", "commit_every=1", "--set", "docs_per_batch=1", "--verbose", "--quiet",
    ]  # fmt: skip
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_commits(proc: subprocess.Popen[str], n: int) -> None:
    seen = 0
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("committed "):
            seen += 1
            if seen >= n:
                return
    pytest.fail(f"build ended before {n} commits: {proc.stderr.read() if proc.stderr else ''}")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[tuple[str, str, str]]]:
    root = tmp_path_factory.mktemp("ref")
    corpus = _corpus(root / "corpus")
    build_graph(corpus, root / "kg")
    with KnowledgeGraph.open(root / "kg", read_only=True) as kg:
        return _doc_quads(kg)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_build_is_consistent_and_resumes(
    tmp_path: Path, reference: dict[str, set[tuple[str, str, str]]], sig: signal.Signals
) -> None:
    corpus, graph = _corpus(tmp_path / "corpus"), tmp_path / "kg"
    proc = _start_build(corpus, graph)
    _wait_for_commits(proc, 3)
    os.kill(proc.pid, sig)
    proc.wait(timeout=60)
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        assert "interrupted" in (proc.stderr.read() if proc.stderr else "")
    else:
        assert proc.returncode == -signal.SIGKILL

    with KnowledgeGraph.open(graph, read_only=True) as kg:
        partial = _doc_quads(kg)
    assert 3 <= len(partial) < N_DOCS, "the kill should land mid-build"
    for doc_id, quads in partial.items():  # every committed document is complete
        assert quads == reference[doc_id], doc_id

    report = build_graph(corpus, graph)
    assert report.counts["unchanged"] == len(partial)
    assert report.counts["added"] == N_DOCS - len(partial)
    with KnowledgeGraph.open(graph, read_only=True) as kg:
        assert _doc_quads(kg) == reference
