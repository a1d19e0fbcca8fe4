"""Every registered fusion module: shapes, gradients to both inputs, determinism."""

from __future__ import annotations

import pytest
import torch

from kg_reasoner.errors import ConfigError
from kg_reasoner.models.fusion import (
    FUSIONS,
    ConcatFusion,
    CrossAttentionFusion,
    Fusion,
    GatedFusion,
)
from kg_reasoner.resolver import resolve

#: The fusion classes these tests run (the registry meta-test checks every one is here).
FUSION_CASES: list[type[Fusion]] = [ConcatFusion, CrossAttentionFusion, GatedFusion]


def _build(cls: type[Fusion]) -> Fusion:
    torch.manual_seed(0)
    return resolve(cls, FUSIONS, base=Fusion, kind="fusion", graph_channels=6, text_channels=10,
                   out_channels=8)


@pytest.mark.parametrize("cls", FUSION_CASES, ids=lambda c: c.__name__)
def test_fusion_shapes_gradients_and_determinism(cls: type[Fusion]) -> None:
    graph = torch.randn(3, 6, requires_grad=True)
    text = torch.randn(3, 10, requires_grad=True)
    memory = torch.randn(3, 4, 10)
    mask = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0]], dtype=torch.bool)
    fusion = _build(cls)
    out = fusion(graph, text, memory, mask)
    assert out.shape == (3, 8)
    out.sum().backward()
    assert graph.grad is not None and graph.grad.abs().sum() > 0
    assert text.grad is not None and text.grad.abs().sum() > 0
    fusion.eval()
    torch.testing.assert_close(fusion(graph, text, memory, mask),
                               _build(cls).eval()(graph, text, memory, mask))


def test_unknown_fusion_lists_choices() -> None:
    with pytest.raises(ConfigError, match="concat, cross_attention, gated"):
        resolve("film", FUSIONS, base=Fusion, kind="fusion", graph_channels=2, text_channels=2,
                out_channels=2)


def test_fusion_resolves_from_its_registered_name() -> None:
    fusion = resolve("Gated", FUSIONS, base=Fusion, kind="fusion", graph_channels=2,
                     text_channels=3, out_channels=4)
    assert isinstance(fusion, GatedFusion) and fusion.out_channels == 4
