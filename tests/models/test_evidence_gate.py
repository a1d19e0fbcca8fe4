"""The evidence-gated output fusion: shapes, gradients, monotonicity and the fall-back to a
confident graph reasoner."""

from __future__ import annotations

import pytest
import torch

from kg_reasoner.errors import ModelConfigError
from kg_reasoner.models.fusion import OUTPUT_FUSIONS, EvidenceGate
from kg_reasoner.models.kinship_reasoner import KinshipReasoner
from tests.models.kinship_batch import R, kinship_graph_batch, kinship_text_batch


def _logits(rows: list[list[float]]) -> torch.Tensor:
    return torch.tensor(rows).log()


def test_mixture_is_a_distribution_and_trains_only_the_gate() -> None:
    gate = OUTPUT_FUSIONS["evidence_gate"](R)
    graph = torch.randn(3, R, requires_grad=True)
    text = torch.randn(3, R, requires_grad=True)
    mixed, g = gate.mix(graph, text, torch.tensor([2, 3, 9]))
    assert mixed.shape == (3, R) and g.shape == (3,)
    assert torch.allclose(mixed.exp().sum(-1), torch.ones(3), atol=1e-5)
    assert ((g > 0) & (g < 1)).all()
    mixed[:, 0].sum().backward()
    assert gate.bias.grad is not None and gate.weights.grad is not None
    assert text.grad is None  # the text classifier learns from its own loss only
    assert graph.grad is not None


def test_gate_falls_as_the_graph_gets_confident_or_the_story_longer() -> None:
    gate = EvidenceGate(R)
    uniform = _logits([[0.25] * 4])
    confident = _logits([[0.97, 0.01, 0.01, 0.01]])
    short, long = torch.tensor([2]), torch.tensor([10])
    # untrained, the length prior already lowers the gate on long stories
    assert gate(uniform, long) < gate(uniform, short) - 0.1
    with torch.no_grad():
        gate.weights.fill_(1.0)
    assert gate(confident, short) < gate(uniform, short)
    assert gate(uniform, long) < gate(uniform, short)
    # whatever the weights, they only lower the gate (softplus >= 0): never above sigmoid(bias)
    with torch.no_grad():
        gate.weights.fill_(-30.0)
    assert gate(confident, long) <= torch.sigmoid(gate.bias) + 1e-6


def test_confident_graph_wins_and_a_pathless_graph_hands_over_to_the_text() -> None:
    gate = EvidenceGate(R, initial_bias=0.0)
    with torch.no_grad():
        gate.weights.copy_(torch.tensor([4.0, 4.0, 4.0, 0.0]))
    graph = _logits([[0.9, 0.04, 0.03, 0.03], [0.25, 0.25, 0.25, 0.25]])
    text = _logits([[0.01, 0.97, 0.01, 0.01], [0.01, 0.97, 0.01, 0.01]])
    mixed, g = gate.mix(graph, text, torch.tensor([3, 3]))
    assert mixed.argmax(-1).tolist() == [0, 1]  # graph answer kept; text fills the no-path case
    assert float(g[0]) < 0.01 < 0.1 < float(g[1])


def _batch() -> dict[str, torch.Tensor]:
    return {**kinship_graph_batch(), **kinship_text_batch()}


def test_kinship_reasoner_with_the_evidence_gate_and_a_frozen_graph_part() -> None:
    torch.manual_seed(0)
    model = KinshipReasoner(num_relations=R, num_classes=R, graph_encoder="path_composition",
                            text_channels=12, fusion="evidence_gate", hidden=16)
    out = model(**_batch())
    assert out.logits.shape == (2, R) and out.loss is None
    assert torch.allclose(out.logits.exp().sum(-1), torch.ones(2), atol=1e-5)
    model.freeze_graph()
    out = model(**_batch(), labels=torch.tensor([1, 3]))
    assert out.loss is not None
    out.loss.backward()
    graph_params = [p for n, p in model.named_parameters() if n.startswith("reasoner.graph.")]
    assert graph_params and all(p.grad is None for p in graph_params)
    assert model.gate is not None and model.gate.bias.grad is not None
    assert model.text_head is not None
    assert all(p.grad is not None for p in model.text_head.parameters())


def test_evidence_gate_needs_the_path_reasoner_and_text() -> None:
    with pytest.raises(ModelConfigError, match="path_composition"):
        KinshipReasoner(num_relations=R, num_classes=R, graph_encoder="rgcn", graph_hidden=8,
                        text_channels=12, fusion="evidence_gate")
    with pytest.raises(ModelConfigError, match="text"):
        KinshipReasoner(num_relations=R, num_classes=R, graph_encoder="path_composition",
                        text_channels=None, fusion="evidence_gate")
