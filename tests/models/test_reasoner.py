"""The fused reasoner in its three ablation shapes: LM only, GNN only, fused."""

from __future__ import annotations

import pytest
import torch

from kg_reasoner.models.heads import ClassifierOutput, PairClassificationHead
from kg_reasoner.models.reasoner import FusedReasoner

R = 4


def _graph_batch() -> dict[str, torch.Tensor]:
    return {
        "node_role": torch.tensor([1, 0, 2, 1, 2]),
        "node_gender": torch.tensor([1, 2, 0, 1, 1]),
        "edge_index": torch.tensor([[0, 1, 3], [1, 2, 4]]),
        "edge_attr": torch.eye(R)[[0, 1, 2]],
        "head_index": torch.tensor([0, 3]),
        "tail_index": torch.tensor([2, 4]),
    }


def _text_batch() -> dict[str, torch.Tensor]:
    return {"text": torch.randn(2, 12), "memory": torch.randn(2, 3, 12),
            "memory_mask": torch.ones(2, 3, dtype=torch.bool)}


@pytest.mark.parametrize(
    ("graph_encoder", "text_channels", "fusion"),
    [(None, 12, "gated"), ("path_composition", None, "gated"), ("rgcn", 12, "concat"),
     ("gat", 12, "cross_attention"), ("path_composition", 12, "gated")],
)
def test_reasoner_ablations_give_logits_and_loss(
    graph_encoder: str | None, text_channels: int | None, fusion: str
) -> None:
    torch.manual_seed(0)
    model = FusedReasoner(num_relations=R, num_classes=R, graph_encoder=graph_encoder,
                          graph_hidden=8, text_channels=text_channels, fusion=fusion, hidden=16)
    batch = {**_graph_batch(), **(_text_batch() if text_channels else {})}
    out = model(**batch)
    assert out.logits.shape == (2, R) and out.loss is None
    out = model(**batch, labels=torch.tensor([1, 3]))
    assert out.loss is not None
    out.loss.backward()


def test_reasoner_needs_some_input() -> None:
    with pytest.raises(ValueError, match="graph encoder"):
        FusedReasoner(num_relations=R, num_classes=R, graph_encoder=None, text_channels=None)


def test_head_returns_loss_only_with_labels() -> None:
    head = PairClassificationHead(in_channels=3, hidden_channels=4, num_classes=2)
    out = head(torch.randn(5, 3))
    assert isinstance(out, ClassifierOutput) and out.loss is None
    assert head(torch.randn(5, 3), torch.zeros(5, dtype=torch.long)).loss is not None
