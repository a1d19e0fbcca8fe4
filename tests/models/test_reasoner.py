"""The task-agnostic fused reasoner in its three ablation shapes: LM only, graph only, fused."""

from __future__ import annotations

import pytest
import torch

from kg_reasoner.errors import ConfigError, ModelConfigError
from kg_reasoner.models.heads import ClassifierOutput, PairClassificationHead
from kg_reasoner.models.reasoner import FusedReasoner, build_graph_model

R = 4
C = 3  # classes need not be the relations


def _graph_batch() -> dict[str, torch.Tensor | int]:
    edge_type = torch.tensor([0, 1, 2])
    return {
        "x": torch.randn(5, 8, generator=torch.Generator().manual_seed(1)),
        "edge_index": torch.tensor([[0, 1, 3], [1, 2, 4]]),
        "edge_type": edge_type,
        "edge_attr": torch.eye(R)[edge_type],
        "num_nodes": 5,
        "head_index": torch.tensor([0, 3]),
        "tail_index": torch.tensor([2, 4]),
    }


def _text_batch() -> dict[str, torch.Tensor]:
    return {"text": torch.randn(2, 12), "memory": torch.randn(2, 3, 12),
            "memory_mask": torch.ones(2, 3, dtype=torch.bool)}


#: (graph part, text channels, fusion) shapes run below; the registry meta-test checks that
#: every registered graph part is among them.
GRAPH_MODEL_CASES = [
    (None, 12, "gated"), ("path_composition", None, "gated"), ("rgcn", 12, "concat"),
    ("gat", 12, "cross_attention"), ("path_composition", 12, "gated"), ("rgcn", None, "gated"),
]


@pytest.mark.parametrize(("graph_model", "text_channels", "fusion"), GRAPH_MODEL_CASES)
def test_reasoner_ablations_give_logits_and_loss(
    graph_model: str | None, text_channels: int | None, fusion: str
) -> None:
    torch.manual_seed(0)
    graph = None if graph_model is None else build_graph_model(
        graph_model, num_relations=R, hidden_channels=8, num_layers=2, dropout=0.0)
    model = FusedReasoner(num_classes=C, graph=graph, text_channels=text_channels,
                          fusion=fusion, hidden=16)
    batch = {**_graph_batch(), **(_text_batch() if text_channels else {})}
    out = model(**batch)
    assert out.logits.shape == (2, C) and out.loss is None
    out = model(**batch, labels=torch.tensor([1, 2]))
    assert out.loss is not None
    out.loss.backward()


def test_reasoner_needs_some_input() -> None:
    with pytest.raises(ValueError, match="graph encoder"):
        FusedReasoner(num_classes=C, graph=None, text_channels=None)


def test_missing_inputs_are_model_config_errors() -> None:
    graph = build_graph_model("rgcn", num_relations=R, hidden_channels=8, num_layers=1,
                              dropout=0.0)
    model = FusedReasoner(num_classes=C, graph=graph, text_channels=12)
    batch = _graph_batch()
    with pytest.raises(ModelConfigError, match="needs text features"):
        model(**batch)
    with pytest.raises(ModelConfigError, match="node features x"):
        model(**{**batch, "x": None}, **_text_batch())


def test_graph_models_build_with_typed_options() -> None:
    gat = build_graph_model("gat", num_relations=R, hidden_channels=8, num_layers=1,
                            dropout=0.0, options={"heads": 2.0})
    assert gat.convs[0].heads == 2
    path = build_graph_model("path_composition", num_relations=R, hidden_channels=8,
                             num_layers=1, dropout=0.0, options={"walk": "trail"})
    assert path.walk == "trail" and path.out_channels == R
    with pytest.raises(ConfigError, match="valid keys here: sharpness, walk"):
        build_graph_model("path_composition", num_relations=R, hidden_channels=8,
                          num_layers=1, dropout=0.0, options={"walks": "trail"})
    with pytest.raises(ConfigError, match="choose one of: gat, path_composition, rgcn"):
        build_graph_model("gcnn", num_relations=R, hidden_channels=8, num_layers=1, dropout=0.0)


def test_head_returns_loss_only_with_labels() -> None:
    head = PairClassificationHead(in_channels=3, hidden_channels=4, num_classes=2)
    out = head(torch.randn(5, 3))
    assert isinstance(out, ClassifierOutput) and out.loss is None
    assert head(torch.randn(5, 3), torch.zeros(5, dtype=torch.long)).loss is not None
