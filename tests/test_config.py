from __future__ import annotations

from pathlib import Path

import pytest

from kg_reasoner.building import BuildConfig
from kg_reasoner.config import apply_overrides, load_config
from kg_reasoner.errors import ConfigError


def test_overrides_set_nested_values_with_yaml_types() -> None:
    data = apply_overrides({"a": {"b": 1}}, ["a.b=2.5", "a.c=true", "d.e=text", "f=[1, 2]"])
    assert data == {"a": {"b": 2.5, "c": True}, "d": {"e": "text"}, "f": [1, 2]}


def test_bad_overrides_are_reported() -> None:
    with pytest.raises(ConfigError, match=r"key\.subkey=value"):
        apply_overrides({}, ["novalue"])
    with pytest.raises(ConfigError, match="not a section"):
        apply_overrides({"a": 1}, ["a.b=2"])


def test_unknown_keys_list_the_valid_ones(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("workerz: 2\n")
    with pytest.raises(ConfigError) as info:
        load_config(BuildConfig, path)
    message = str(info.value)
    assert "unknown key 'workerz'" in message and "did you mean 'workers'" in message
    assert "corpus" in message and "extraction" in message


def test_type_errors_and_malformed_yaml(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("workers: -1\n")
    with pytest.raises(ConfigError, match="workers"):
        load_config(BuildConfig, path)
    path.write_text("workers: [1\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(BuildConfig, path)
    path.write_text("- a list\n")
    with pytest.raises(ConfigError, match="mapping"):
        load_config(BuildConfig, path)
    with pytest.raises(ConfigError, match="not found"):
        load_config(BuildConfig, tmp_path / "missing.yaml")


def test_a_spelt_out_key_suggests_its_abbreviation_and_back() -> None:
    from kg_reasoner.config import validate_config
    from kg_reasoner.training.config import OptimConfig

    with pytest.raises(ConfigError, match="did you mean 'lr'"):
        validate_config(OptimConfig, {"learning_rate": 1e-4})
