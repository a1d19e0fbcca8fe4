"""CLUTRR's config accepts registered names in any case, as the resolvers that build them do,
and checks the graph encoder's options when it is read."""

from __future__ import annotations

import pytest

from kg_reasoner.config import validate_config
from kg_reasoner.errors import ConfigError
from kg_reasoner.models.fusion import FUSIONS, Fusion
from kg_reasoner.models.reasoner import GRAPH_MODELS
from kg_reasoner.resolver import resolve
from kg_reasoner.tasks.clutrr import ClutrrConfig


def _model(**model: object) -> ClutrrConfig:
    return validate_config(ClutrrConfig, {"output_dir": "x", "model": model})


def test_names_differing_only_in_case_are_the_registered_ones() -> None:
    config = _model(graph_encoder="Path_Composition", fusion="GATED")
    assert config.model.graph_encoder == "path_composition" in GRAPH_MODELS
    assert config.model.fusion == "gated" in FUSIONS
    assert type(resolve(
        "GATED", FUSIONS, base=Fusion, kind="fusion", graph_channels=2, text_channels=2,
        out_channels=2,
    )) \
        is FUSIONS[config.model.fusion]


def test_unknown_names_list_the_choices() -> None:
    with pytest.raises(ConfigError, match="rgcn"):
        _model(graph_encoder="gcnn")
    with pytest.raises(ConfigError, match="cross_attention"):
        _model(fusion="film")


def _config(options: dict[str, object]) -> ClutrrConfig:
    return validate_config(ClutrrConfig, {
        "output_dir": "run", "graph": {"source": "gold"},
        "model": {"graph_encoder": "path_composition", "graph_encoder_options": options}})


def test_config_encoder_options_are_typed() -> None:
    """A typo in model.graph_encoder_options is a ConfigError naming the valid keys when the
    config is read, not a TypeError when the model is built after the features."""
    assert _config({"sharpness": 50, "walk": "trail"}).model.graph_encoder_options == {
        "sharpness": 50.0, "walk": "trail"}
    with pytest.raises(ConfigError, match=r"'sharpness'.*valid keys here: sharpness, walk"):
        _config({"sharpnes": 50})
    with pytest.raises(ConfigError, match="walk"):
        _config({"walk": "longest"})
