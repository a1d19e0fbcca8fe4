from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

import kg_reasoner
from kg_reasoner.errors import ConfigError

# written on the tasks branch (kg_reasoner/pipelines/training.py); until it is merged these
# names cannot resolve, and the tests that need them skip
TRAINING_NAMES = {"TrainResult", "evaluate", "load_run", "train"}


def _needs_training() -> None:
    pytest.importorskip("kg_reasoner.pipelines.training", reason="from the tasks branch")


def test_every_public_name_resolves() -> None:
    for name in sorted(set(kg_reasoner.__all__) - TRAINING_NAMES):
        assert getattr(kg_reasoner, name) is not None, name
    with pytest.raises(AttributeError):
        _ = kg_reasoner.no_such_thing


def test_every_training_name_resolves() -> None:
    _needs_training()
    for name in sorted(TRAINING_NAMES):
        assert getattr(kg_reasoner, name) is not None, name
        assert getattr(kg_reasoner, name) is getattr(kg_reasoner.pipelines, name)


def test_the_public_api_is_the_pipelines_layer() -> None:
    from kg_reasoner import pipelines

    assert kg_reasoner.build is pipelines.build and kg_reasoner.ask is pipelines.ask
    assert kg_reasoner.open_graph is pipelines.open_graph
    importlib.import_module("kg_reasoner.pipelines.build")  # a submodule named like its function
    assert callable(pipelines.build) and pipelines.build.__name__ == "build"


def test_every_public_name_is_imported_for_type_checkers() -> None:
    """Editors and type checkers see the lazy names through the ``if TYPE_CHECKING:`` block."""
    tree = ast.parse(Path(kg_reasoner.__file__).read_text(encoding="utf-8"))
    block = next(
        node for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
    )  # fmt: skip
    imported = {
        alias.asname or alias.name
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported == set(kg_reasoner.__all__)


def test_importing_the_package_imports_no_heavy_library() -> None:
    code = (
        "import sys, kg_reasoner, kg_reasoner.pipelines; "
        "print(sorted(m for m in ('torch', 'spacy', 'transformers', 'pyoxigraph') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_spacy_finds_the_extractor_factory_through_its_entry_point() -> None:
    names = {ep.name for ep in entry_points(group="spacy_factories")}
    assert "kg_reasoner_extractor" in names


def test_train_needs_a_task_key(tmp_path: Path) -> None:
    _needs_training()
    config = tmp_path / "c.yaml"
    config.write_text("output_dir: runs/x\n")
    with pytest.raises(ConfigError, match="task"):
        kg_reasoner.train(config)
    config.write_text("task: nope\n")
    valid = "valid tasks: classification, clutrr, extraction, kgqa, multiple_choice"
    with pytest.raises(ConfigError, match=valid):
        kg_reasoner.train(config)
