"""A build killed mid-way (SIGKILL or SIGINT) leaves a consistent store and resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.pipelines import build_graph
from tests.building.conftest import N_DOCS, doc_quads, many_documents


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


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_build_is_consistent_and_resumes(
    tmp_path: Path, reference: dict[str, set[tuple[str, str, str]]], sig: signal.Signals
) -> None:
    corpus, graph = many_documents(tmp_path / "corpus"), tmp_path / "kg"
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
        partial = doc_quads(kg)
    assert 3 <= len(partial) < N_DOCS, "the kill should land mid-build"
    for doc_id, quads in partial.items():  # every committed document is complete
        assert quads == reference[doc_id], doc_id

    report = build_graph(corpus, graph)
    assert report.counts["unchanged"] == len(partial)
    assert report.counts["added"] == N_DOCS - len(partial)
    with KnowledgeGraph.open(graph, read_only=True) as kg:
        assert doc_quads(kg) == reference
