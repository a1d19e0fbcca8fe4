"""Every entry of every model registry is instantiated and run by a test (PyKEEN style): a new
registered class fails here until a test case covers it."""

from __future__ import annotations

from kg_reasoner.models.fusion import FUSIONS
from kg_reasoner.models.graph_encoders import GRAPH_ENCODERS
from kg_reasoner.models.reasoner import GRAPH_MODELS
from tests.models.test_fusion import FUSION_CASES
from tests.models.test_graph_encoders import ENCODER_CASES
from tests.models.test_kinship_reasoner import CASES as KINSHIP_CASES
from tests.models.test_reasoner import GRAPH_MODEL_CASES


def test_every_graph_encoder_has_a_test_case() -> None:
    assert set(GRAPH_ENCODERS.values()) == set(ENCODER_CASES)


def test_every_fusion_has_a_test_case() -> None:
    assert set(FUSIONS.values()) == set(FUSION_CASES)


def test_every_graph_model_runs_inside_both_reasoners() -> None:
    assert set(GRAPH_MODELS) == {name for name, _, _ in GRAPH_MODEL_CASES if name is not None}
    assert set(GRAPH_MODELS) == {name for name, _, _ in KINSHIP_CASES if name is not None}
