"""A corpus of many small documents, the quads a clean build gives each of them, and the check
that a build killed mid-way left a consistent graph that the next build completes (shared by the
embedded-store and the SPARQL-server tests)."""

from __future__ import annotations

import codecs
import os
import select
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.vocabulary import KGR, document_iri
from kg_reasoner.pipelines import build_graph, open_graph
from tests.conftest import write_corpus

N_DOCS = 120
CITIES = ["Paris", "London", "Berlin", "Madrid", "Rome", "Vienna", "Prague", "Lisbon"]


def many_documents(root: Path) -> Path:
    """N_DOCS small documents that share entities (so labels and the index matter)."""
    docs = {
        f"doc{i:02d}.txt": (
            f"Person{i} Smith was born in {CITIES[i % len(CITIES)]}. "
            f"Smith worked for Company{i} in {CITIES[(i + 3) % len(CITIES)]}.\n\n"
            f"Company{i} was founded by Person{(i + 1) % N_DOCS} Jones."
        )
        for i in range(N_DOCS)
    }
    return write_corpus(root, docs)


def doc_quads(kg: KnowledgeGraph) -> dict[str, set[tuple[str, str, str]]]:
    """Each document's quads, without the fields that differ between runs."""
    out = {}
    for doc_id in kg.documents():
        graph = kg.store.quads(None, None, None, graph=document_iri(doc_id))  # type: ignore[arg-type]
        out[doc_id] = {
            (str(s), str(p), str(o))
            for s, p, o, _ in graph
            if p not in {KGR.processedAt, KGR.source}  # time and absolute path differ by run
        }
    return out


def clean_build_quads(root: Path) -> dict[str, set[tuple[str, str, str]]]:
    """Each document's quads after one uninterrupted build of :func:`many_documents`."""
    build_graph(many_documents(root / "corpus"), root / "kg")
    with KnowledgeGraph.open(root / "kg", read_only=True) as kg:
        return doc_quads(kg)


def start_build(corpus: Path, graph: Path | str) -> subprocess.Popen[str]:
    """`kgr build` committing every document, printing each commit; it handles SIGINT as a build
    run in a terminal does, however the tests were started."""
    cmd = [
        sys.executable, "-m", "kg_reasoner", "build", str(corpus), "--graph", str(graph),
        "--set", "commit_every=1", "--set", "docs_per_batch=1", "--verbose", "--quiet",
    ]  # fmt: skip
    with _sigint_inherited_as_default():
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@contextmanager
def _sigint_inherited_as_default() -> Iterator[None]:
    """Children started inside get SIGINT's default disposition, unblocked. A child inherits an
    ignored or blocked SIGINT (a runner started in the background of a non-interactive shell
    ignores it), and Python then installs no KeyboardInterrupt handler: the build a test
    interrupts would run to its end and exit 0. A handler set here becomes the default on exec."""
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    blocked = signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


class BuildOutput:
    """A build's stdout, read from the pipe without a buffer of its own: once the build is
    stopped, everything it printed is known (a buffered reader hides the lines it read ahead)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        self._fd = proc.stdout.fileno()
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = ""

    @property
    def commits(self) -> int:
        return sum(line.startswith("committed ") for line in self.text.splitlines())

    def read(self) -> bool:
        """Read what the pipe holds, waiting for something; False at its end."""
        data = os.read(self._fd, 65536)
        self.text += self._decoder.decode(data, final=not data)
        return bool(data)

    def drain(self) -> None:
        """Read what the pipe holds now, without waiting for more."""
        while select.select([self._fd], [], [], 0)[0] and self.read():
            pass

    def read_to_end(self) -> None:
        while self.read():
            pass


def wait_for_commits(proc: subprocess.Popen[str], n: int) -> BuildOutput:
    """Read the build's output until it has printed ``n`` commits; returns what was read."""
    out = BuildOutput(proc)
    while out.commits < n:
        if not out.read():
            pytest.fail(
                f"build ended before {n} commits: {proc.stderr.read() if proc.stderr else ''}"
            )
    return out


def stopped_mid_build(
    corpus: Path, target: Callable[[int], Path | str]
) -> tuple[subprocess.Popen[str], BuildOutput, Path | str]:
    """A build stopped (SIGSTOP) after 3 commits with more than half its documents to go, into
    ``target(attempt)`` (a fresh graph directory or an emptied server store per attempt).

    The builder parses at most a few documents ahead of its commits, so a signal sent to it
    now lands mid-build, always. On a loaded machine this process can be descheduled until the
    build (nearly) ended; nothing was signalled yet, so the build is let finish and started
    again into a fresh target: the retry hides no failure of the build.
    """
    for attempt in range(3):
        graph = target(attempt)
        proc = start_build(corpus, graph)
        out = wait_for_commits(proc, 3)
        os.kill(proc.pid, signal.SIGSTOP)
        _, status = os.waitpid(proc.pid, os.WUNTRACED)  # returns once every thread stopped
        if not os.WIFSTOPPED(status):  # it had ended, and is reaped now
            proc.returncode = os.waitstatus_to_exitcode(status)
            continue
        out.drain()  # all it printed before it stopped
        if out.commits <= N_DOCS // 2:
            return proc, out, graph
        os.kill(proc.pid, signal.SIGCONT)
        proc.wait(timeout=60)
    pytest.fail("3 builds got past half their documents before this process could stop them")


def assert_consistent_then_resumed(
    corpus: Path, graph: Path | str, reference: dict[str, set[tuple[str, str, str]]]
) -> None:
    """After a kill: every committed document is complete, and a rebuild adds only the rest."""
    with open_graph(graph) as kg:
        partial = doc_quads(kg)
    assert 3 <= len(partial) < N_DOCS, "the kill should land mid-build"
    for doc_id, quads in partial.items():  # every committed document is complete
        assert quads == reference[doc_id], doc_id
    report = build_graph(corpus, graph)
    assert report.counts["unchanged"] == len(partial)
    assert report.counts["added"] == N_DOCS - len(partial)
    with open_graph(graph) as kg:
        assert doc_quads(kg) == reference


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[tuple[str, str, str]]]:
    return clean_build_quads(tmp_path_factory.mktemp("ref"))
