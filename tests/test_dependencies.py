"""Hard dependencies are what the package needs; what only the scripts use is an extra."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _name(requirement: str) -> str:
    """The normalised distribution name of ``"pkg[extra]>=1.0"``."""
    name = re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_distributions(folder: Path) -> set[str]:
    """Distributions whose modules some file under ``folder`` imports (any dotted part counts,
    so ``torch.utils.tensorboard`` counts for tensorboard)."""
    modules: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(part for a in node.names for part in a.name.split("."))
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.update(node.module.split("."))
    owners = packages_distributions()
    return {_name(dist) for module in modules for dist in owners.get(module, [])}


def test_every_hard_dependency_is_used_by_the_package_or_its_tests() -> None:
    used = _imported_distributions(ROOT / "kg_reasoner") | _imported_distributions(ROOT / "tests")
    unused = sorted({_name(r) for r in PYPROJECT["dependencies"]} - used)
    assert not unused, f"hard dependencies only scripts (or nothing) import: {unused}"


def test_plots_are_an_extra_that_dev_installs() -> None:
    extras = PYPROJECT["optional-dependencies"]
    assert [_name(r) for r in extras["plots"]] == ["matplotlib"]
    assert "kg_reasoner[plots]" in extras["dev"]
    assert "matplotlib" not in {_name(r) for r in PYPROJECT["dependencies"]}


@pytest.mark.slow
def test_the_clutrr_benchmark_without_matplotlib_says_what_to_install(tmp_path: Path) -> None:
    blocker = tmp_path / "blocked" / "matplotlib"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('matplotlib is not installed')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(blocker.parent), str(ROOT)])}
    command = [sys.executable, str(ROOT / "scripts" / "bench_clutrr.py"), "--report-only",
               "--runs", str(tmp_path / "no_runs")]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, timeout=120)
    stderr = done.stderr.decode().strip()
    assert done.returncode == 2, stderr[-2000:]
    assert 'pip install "kg-reasoner[plots]"' in stderr and "\n" not in stderr


def test_tensorboard_is_an_extra_that_dev_installs() -> None:
    extras = PYPROJECT["optional-dependencies"]
    assert [_name(r) for r in extras["tensorboard"]] == ["tensorboard"]
    assert "kg_reasoner[tensorboard]" in extras["dev"]
    assert "tensorboard" not in {_name(r) for r in PYPROJECT["dependencies"]}
