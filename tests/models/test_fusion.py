"""Every registered fusion module: shapes, gradients to both inputs, determinism."""

from __future__ import annotations

import pytest
import torch

from kg_reasoner.errors import ConfigError
from kg_reasoner.models.fusion import FUSIONS, resolve_fusion


def _build(name: str) -> torch.nn.Module:
    torch.manual_seed(0)
    return resolve_fusion(name, graph_channels=6, text_channels=10, out_channels=8)


@pytest.mark.parametrize("name", sorted(FUSIONS))
def test_fusion_shapes_gradients_and_determinism(name: str) -> None:
    graph = torch.randn(3, 6, requires_grad=True)
    text = torch.randn(3, 10, requires_grad=True)
    memory = torch.randn(3, 4, 10)
    mask = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0]], dtype=torch.bool)
    fusion = _build(name)
    out = fusion(graph, text, memory, mask)
    assert out.shape == (3, 8)
    out.sum().backward()
    assert graph.grad is not None and graph.grad.abs().sum() > 0
    assert text.grad is not None and text.grad.abs().sum() > 0
    fusion.eval()
    torch.testing.assert_close(fusion(graph, text, memory, mask),
                               _build(name).eval()(graph, text, memory, mask))


def test_unknown_fusion_lists_choices() -> None:
    with pytest.raises(ConfigError, match="gated"):
        resolve_fusion("film", graph_channels=2, text_channels=2, out_channels=2)
