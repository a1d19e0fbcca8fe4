"""A build killed mid-way (SIGKILL or SIGINT) leaves a consistent store and resumes."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.building.conftest import (
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
    corpus, graph = many_documents(tmp_path / "corpus"), tmp_path / "kg"
    proc = start_build(corpus, graph)
    wait_for_commits(proc, 3)
    os.kill(proc.pid, sig)
    proc.wait(timeout=60)
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        assert "interrupted" in (proc.stderr.read() if proc.stderr else "")
    else:
        assert proc.returncode == -signal.SIGKILL

    assert_consistent_then_resumed(corpus, graph, reference)
