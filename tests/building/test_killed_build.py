"""A build killed mid-way (SIGKILL or SIGINT) leaves a consistent store and resumes; a Ctrl-C after
its last write still serves what it committed."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest

from kg_reasoner.building import add_documents, builder
from kg_reasoner.corpus import read_corpus
from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.generation import read_generation
from kg_reasoner.graph.stores.oxigraph import OxigraphStore
from tests.building.conftest import (
    assert_consistent_then_resumed,
    many_documents,
    stopped_mid_build,
)
from tests.conftest import write_corpus


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "runner_ignores_sigint"),
    [(signal.SIGKILL, False), (signal.SIGINT, False), (signal.SIGINT, True)],
    ids=["SIGKILL", "SIGINT", "SIGINT-runner-ignoring-it"],
)
def test_killed_build_is_consistent_and_resumes(
    tmp_path: Path,
    reference: dict[str, set[tuple[str, str, str]]],
    sig: signal.Signals,
    runner_ignores_sigint: bool,
) -> None:
    # the last case runs as pytest does when a script starts it in the background: SIGINT
    # ignored, and inherited by the build unless start_build gives it the default back
    corpus = many_documents(tmp_path / "corpus")
    with sigint_ignored() if runner_ignores_sigint else nullcontext():
        proc, out, graph = stopped_mid_build(corpus, lambda n: tmp_path / f"kg{n}")
    os.kill(proc.pid, sig)  # held while the build is stopped (SIGKILL acts at once)
    os.kill(proc.pid, signal.SIGCONT)
    proc.wait(timeout=60)
    out.read_to_end()
    stderr = proc.stderr.read() if proc.stderr else ""
    if sig == signal.SIGINT:
        assert proc.returncode == 130, f"{out.commits} commits\n{stderr}"
        assert "interrupted" in stderr
    else:
        assert proc.returncode == -signal.SIGKILL

    assert_consistent_then_resumed(corpus, graph, reference)


@contextmanager
def sigint_ignored() -> Iterator[None]:
    """This process ignoring SIGINT, as one started in the background of a script does."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("step", ["labels_written", "compact"])
def test_a_ctrl_c_after_the_last_write_still_serves_what_was_committed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    # the window between the last write and the end of the build: relabelling, then compaction
    corpus = write_corpus(
        tmp_path / "docs",
        {"a.txt": "IBM is based in Armonk.", "b.txt": "Arvind Krishna works for IBM."},
    )
    with KnowledgeGraph.open(tmp_path / "kg") as kg:
        add_documents(kg, read_corpus(corpus), progress=False)
        assert read_generation(kg.path).number == 1
        (corpus / "a.txt").write_text("Ginni Rometty was born in Chicago.")

        def ctrl_c(*args: object) -> None:
            raise KeyboardInterrupt

        if step == "compact":
            monkeypatch.setattr(OxigraphStore, "compact", ctrl_c)
        else:
            monkeypatch.setattr(builder, step, ctrl_c)
        with pytest.raises(KeyboardInterrupt):
            add_documents(kg, read_corpus(corpus), progress=False)
        assert read_generation(kg.path).number == 2  # a server reopens and sees the new a.txt
        saved = json.loads((kg.path / "reports" / "last_build.json").read_text())
        assert saved["interrupted"] and saved["counts"]["updated"] == 1
