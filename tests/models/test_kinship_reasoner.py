"""The CLUTRR kinship reasoner: role + gender node features, the direct read-out of the path
reasoner, and runs saved before the generic FusedReasoner was split out."""

from __future__ import annotations

import pytest
import torch

from kg_reasoner.models.kinship_reasoner import KinshipReasoner
from tests.models.kinship_batch import R
from tests.models.kinship_batch import kinship_graph_batch as _graph_batch
from tests.models.kinship_batch import kinship_text_batch as _text_batch


def _model(graph_encoder: str | None, text_channels: int | None, fusion: str = "gated",
           ) -> KinshipReasoner:
    torch.manual_seed(0)
    return KinshipReasoner(num_relations=R, num_classes=R, graph_encoder=graph_encoder,
                           graph_hidden=8, text_channels=text_channels, fusion=fusion, hidden=16)


#: (graph part, text channels, fusion) of every shape the CLUTRR configs use; every graph
#: part of the registry is among them (checked by the registry meta-test).
CASES = [(None, 12, "gated"), ("path_composition", None, "gated"), ("rgcn", 12, "concat"),
         ("gat", 12, "cross_attention"), ("path_composition", 12, "gated"), ("gat", None, "gated")]


@pytest.mark.parametrize(("graph_encoder", "text_channels", "fusion"), CASES)
def test_reasoner_ablations_give_logits_and_loss(
    graph_encoder: str | None, text_channels: int | None, fusion: str
) -> None:
    model = _model(graph_encoder, text_channels, fusion)
    batch = {**_graph_batch(), **(_text_batch() if text_channels else {})}
    out = model(**batch)
    assert out.logits.shape == (2, R) and out.loss is None
    out = model(**batch, labels=torch.tensor([1, 3]))
    assert out.loss is not None
    out.loss.backward()


def test_reasoner_needs_some_input() -> None:
    with pytest.raises(ValueError, match="graph encoder"):
        KinshipReasoner(num_relations=R, num_classes=R, graph_encoder=None, text_channels=None)


def test_path_reasoner_is_read_out_directly_and_trained_on_alone() -> None:
    """Graph only: the logits are the tail's composed log-probabilities. Fused: the graph's
    scores plus the fusion head's, scaled by the graph's uncertainty, with an auxiliary loss on
    the graph's scores alone."""
    batch = _graph_batch()
    graph_only = _model("path_composition", None)
    states = graph_only.reasoner.graph(batch["edge_index"], batch["edge_attr"],
                                       batch["head_index"], batch["tail_index"], 5)
    torch.testing.assert_close(graph_only(**batch).logits, states[batch["tail_index"]])
    assert graph_only.direct_readout and not _model("rgcn", None).direct_readout

    fused = _model("path_composition", 12).eval()  # no dropout
    states = fused.reasoner.graph(batch["edge_index"], batch["edge_attr"],
                                  batch["head_index"], batch["tail_index"], 5)
    text = _text_batch()
    labels = torch.tensor([1, 3])
    out = fused(**batch, **text, labels=labels)
    pair = torch.cat([states[batch["head_index"]], states[batch["tail_index"]]], -1)
    head = fused.reasoner.classify(pair, **text).logits
    scores = states[batch["tail_index"]]
    uncertainty = 1 - scores.softmax(-1).max(-1, keepdim=True).values
    torch.testing.assert_close(out.logits, scores + uncertainty * head)
    expected = (torch.nn.functional.cross_entropy(out.logits, labels)
                + torch.nn.functional.cross_entropy(scores, labels))
    torch.testing.assert_close(out.loss, expected)


def test_runs_saved_before_the_split_still_load() -> None:
    """State dicts of the old one-piece reasoner (``encoder.*``, ``fusion.*``, ``head.*``) are
    renamed on load, and the same weights give the same logits."""
    model = _model("rgcn", 12, "gated").eval()
    legacy = {k.replace("reasoner.graph.", "encoder.").replace("reasoner.", ""): v.clone() + 0.5
              for k, v in model.state_dict().items()}
    assert {"roles.weight", "genders.weight", "encoder.input.weight", "fusion.gate.weight",
            "head.mlp.1.weight"} <= set(legacy)
    batch = {**_graph_batch(), **_text_batch()}
    before = model(**batch).logits
    model.load_state_dict(legacy)
    assert model.reasoner.graph.input.weight.equal(legacy["encoder.input.weight"])
    assert not torch.allclose(model(**batch).logits, before)
    fresh = _model("rgcn", 12, "gated").eval()
    fresh.load_state_dict(model.state_dict())
    torch.testing.assert_close(fresh(**batch).logits, model(**batch).logits)

