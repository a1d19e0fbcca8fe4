"""CLUTRR's config accepts registered names in any case, as the resolvers that build them do."""

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
