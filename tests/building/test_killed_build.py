"""A build killed mid-way (SIGKILL or SIGINT) leaves a consistent store and resumes."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.building.conftest import (
    N_DOCS,
    assert_consistent_then_resumed,
    many_documents,
    start_build,
    wait_for_commits,
)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_build_is_consistent_and_resumes(
    tmp_path: Path, reference: dict[str, set[tuple[str, str, str]]], sig: signal.Signals
) -> None:
    corpus = many_documents(tmp_path / "corpus")
    for attempt in range(3):
        graph = tmp_path / f"kg{attempt}"
        proc = start_build(corpus, graph)
        wait_for_commits(proc, 3)
        os.kill(proc.pid, sig)
        proc.wait(timeout=60)
        rest = proc.stdout.read() if proc.stdout else ""
        # On a loaded machine this process can be descheduled long enough for the build to
        # finish before the signal lands: then nothing was interrupted, and the kill is retried
        # on a fresh graph (a build that ignores the signal part-way still fails below).
        finished = proc.returncode == 0 and rest.count("committed ") == N_DOCS - 3
        if not finished:
            break
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        assert "interrupted" in (proc.stderr.read() if proc.stderr else "")
    else:
        assert proc.returncode == -signal.SIGKILL

    assert_consistent_then_resumed(corpus, graph, reference)
