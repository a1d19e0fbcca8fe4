from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import pytest

import kg_reasoner
from kg_reasoner.errors import ConfigError


def test_every_public_name_resolves() -> None:
    for name in kg_reasoner.__all__:
        assert getattr(kg_reasoner, name) is not None, name
    with pytest.raises(AttributeError):
        _ = kg_reasoner.no_such_thing


def test_spacy_finds_the_extractor_factory_through_its_entry_point() -> None:
    names = {ep.name for ep in entry_points(group="spacy_factories")}
    assert "kg_reasoner_extractor" in names


def test_train_needs_a_task_key(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("output_dir: runs/x\n")
    with pytest.raises(ConfigError, match="task"):
        kg_reasoner.train(config)
    config.write_text("task: nope\n")
    with pytest.raises(ConfigError, match="valid tasks: clutrr, extraction, kgqa"):
        kg_reasoner.train(config)
