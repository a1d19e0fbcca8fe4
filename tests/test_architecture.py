"""Imports flow downstream: a stage never imports a later one (docs/architecture.md).

Every module under ``kg_reasoner/`` is parsed with :mod:`ast` and mapped to its stage; each
import it makes (at module level, inside functions, under ``TYPE_CHECKING``, relative, or lazy
through a string naming a module, as ``importlib.import_module`` registries do) must name a module
of its own stage or an earlier one. The server and the CLI also never import a task module: they
go through the pipelines layer.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "kg_reasoner"

STAGES: tuple[str, ...] = (
    "foundation",
    "corpus",
    "models",
    "training",
    "extraction",
    "graph",
    "building",
    "retrieval",
    "qa",
    "tasks",
    "pipelines",
    "serve",
    "cli",
)
"""In data-flow order: a module may import its own stage and earlier ones only."""

FOUNDATION_MODULES = frozenset({"errors", "config", "data_paths", "resolver"})
"""Top-level modules of the package that every stage may use."""

TOP_LEVEL_STAGES = {"__init__": "pipelines", "__main__": "cli"}
"""``kg_reasoner/__init__.py`` re-exports the public API (the pipelines layer); ``__main__``
runs the CLI."""

FORBIDDEN: frozenset[tuple[str, str]] = frozenset({("serve", "tasks"), ("cli", "tasks")})
"""Earlier-stage imports that are still not allowed: serve and cli call pipelines, never a task."""


@dataclass(frozen=True)
class Violation:
    """``module`` (in stage ``stage``) imports ``imported`` (in ``imported_stage``) at ``line``."""

    module: str
    stage: str
    imported: str
    imported_stage: str
    line: int

    def __str__(self) -> str:
        return (
            f"{self.module} ({self.stage}) -> {self.imported} ({self.imported_stage}), "
            f"line {self.line}"
        )


def module_name(path: Path, package_dir: Path) -> str:
    """``<package_dir>/graph/store.py`` -> ``<package>.graph.store`` (packages by their name)."""
    parts = list(path.relative_to(package_dir).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join([package_dir.name, *parts])


def stage_of(module: str, package: str) -> str | None:
    """The stage of a module of ``package`` (None: a module no stage claims)."""
    parts = module.split(".")
    if parts[0] != package:
        return None
    if len(parts) == 1:
        return TOP_LEVEL_STAGES["__init__"]
    head = parts[1]
    if head in TOP_LEVEL_STAGES:
        return TOP_LEVEL_STAGES[head]
    if head in FOUNDATION_MODULES:
        return "foundation"
    return head if head in STAGES and head != "foundation" else None


def _imports(
    tree: ast.AST, module: str, is_package: bool, modules: Collection[str]
) -> Iterator[tuple[str, int]]:
    """``(imported name, line)`` for every import in ``tree``, wherever it sits."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:  # `from pkg import submodule` imports the submodule
                submodule = f"{source}.{alias.name}"
                yield (submodule if submodule in modules else source), node.lineno
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value, node.lineno  # a lazy import by name; kept only if it is a module


def find_violations(package_dir: Path) -> tuple[list[Violation], list[str]]:
    """Stage-order violations under ``package_dir``, and the modules no stage claims."""
    package = package_dir.name
    files = sorted(package_dir.rglob("*.py"))
    modules = {module_name(path, package_dir): path for path in files}
    violations: set[Violation] = set()
    unmapped = []
    for module, path in modules.items():
        stage = stage_of(module, package)
        if stage is None:
            unmapped.append(module)
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for imported, line in _imports(tree, module, path.name == "__init__.py", modules):
            if imported not in modules or imported == module:
                continue  # not a module of the package (an attribute, a third party, a text)
            target = stage_of(imported, package)
            if target is None:
                continue  # reported as unmapped on its own
            later = STAGES.index(target) > STAGES.index(stage)
            if later or (stage, target) in FORBIDDEN:
                violations.add(Violation(module, stage, imported, target, line))
    order = sorted(violations, key=lambda v: (v.module, v.line, v.imported))
    return order, unmapped


def _write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_checker_catches_later_stage_imports_wherever_they_sit(tmp_path: Path) -> None:
    package_dir = _write(tmp_path / "pkg", {
        "__init__.py": "",
        "errors.py": "",
        "graph/__init__.py": "from pkg.graph.store import Store\n",
        "graph/store.py": (
            "from typing import TYPE_CHECKING\n"
            "from pkg import errors\n"
            "from pkg.extraction import rules\n"
            "if TYPE_CHECKING:\n"
            "    from pkg.building.builder import Builder\n"
            "def build():\n"
            "    from ..building import builder\n"
            "    import pkg.qa.answer\n"
        ),
        "extraction/__init__.py": "",
        "extraction/rules.py": "from pkg.errors import *\n",
        "building/__init__.py": "",
        "building/builder.py": "from pkg.graph import Store\n",
        "qa/__init__.py": "",
        "qa/answer.py": "",
        "tasks/__init__.py": "TASKS = {'qa': 'pkg.qa.answer', 'nothing': 'pkg.qa.missing'}\n",
        "serve/__init__.py": "from pkg.tasks import TASKS\nfrom pkg.qa import answer\n",
        "cli/__init__.py": "from pkg.serve import app\nimport pkg.tasks\n",
        "stray.py": "",
    })
    violations, unmapped = find_violations(package_dir)
    assert [(v.module, v.imported, v.line) for v in violations] == [
        ("pkg.cli", "pkg.tasks", 2),
        ("pkg.graph.store", "pkg.building.builder", 5),
        ("pkg.graph.store", "pkg.building.builder", 7),
        ("pkg.graph.store", "pkg.qa.answer", 8),
        ("pkg.serve", "pkg.tasks", 1),
    ]
    assert unmapped == ["pkg.stray"]
    assert str(violations[0]) == "pkg.cli (cli) -> pkg.tasks (tasks), line 2"


def test_the_checker_passes_a_tree_whose_imports_flow_downstream(tmp_path: Path) -> None:
    package_dir = _write(tmp_path / "pkg", {
        "__init__.py": "import importlib\n_LAZY = {'Graph': 'pkg.graph.store'}\n",
        "__main__.py": "from pkg.cli import main\n",
        "config.py": "from pkg.errors import ConfigError\n",
        "errors.py": "",
        "graph/__init__.py": "",
        "graph/store.py": "from . import records\nfrom pkg.models.encoder import Encoder\n",
        "graph/records.py": '"""pkg.building builds graphs; named in a text, not imported."""\n',
        "building/__init__.py": "",
        "models/__init__.py": "",
        "models/encoder.py": "import torch\nfrom pkg.config import read\n",
        "pipelines/__init__.py": "from pkg.graph.store import Store\n",
        "cli/__init__.py": "from pkg.pipelines import Store\nfrom pkg.serve import app\n",
        "serve/__init__.py": "from pkg.pipelines import Store\n",
        "serve/app.py": "",
    })
    assert find_violations(package_dir) == ([], [])


def test_no_stage_imports_a_later_one() -> None:
    violations, unmapped = find_violations(PACKAGE_DIR)
    assert not unmapped, "modules no stage claims (add them to a stage): " + ", ".join(unmapped)
    listing = "\n".join(str(v) for v in violations)
    print(f"{len(violations)} stage-order violations:\n{listing}")
    assert not violations, f"a stage imports a later one:\n{listing}"
