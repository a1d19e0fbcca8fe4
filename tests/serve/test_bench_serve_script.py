"""scripts/bench_serve.py end to end on a tiny load: the JSON has its keys and sane values."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_bench_serve_writes_the_measured_keys_on_a_tiny_load(tmp_path: Path) -> None:
    out, markdown = tmp_path / "serve.json", tmp_path / "serve.md"
    command = [sys.executable, str(ROOT / "scripts" / "bench_serve.py"), "--requests", "30"]
    command += ["--concurrency", "5", "--idle-asks", "3", "--query-timeout", "1"]
    command += ["--out", str(out), "--markdown", str(markdown)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-2000:]

    result = json.loads(out.read_text())
    assert result["valid_5xx"] == 0 and result["valid_no_reply"] == 0
    assert result["invalid_5xx"] == 0
    for key in ("ask_latency_ms", "ask_only_latency_ms", "ask_latency_under_attack_ms"):
        latency = result[key]
        assert 0 < latency["p50"] <= latency["p95"] <= latency["p99"], key
    assert 1.0 <= result["pathological_stop_seconds"] < 15  # stopped at the 1 s limit
    assert result["pathological_not_stopped"] == 0
    assert result["workers_after_attack"]["workers_alive"] == 0
    assert result["peak_rss_mb"] > 50
    assert result["config"]["requests"] == 30 and result["machine"]["cpus"] >= 1
    assert sum(result["phase_a"]["status_by_kind"]["oversize"].values()) >= 1
    assert "## Server under load" in markdown.read_text()
