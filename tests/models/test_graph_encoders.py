"""Every registered graph encoder on a tiny graph, in PyG's vocabulary: shapes, gradients,
determinism, edgeless graphs, and the typed options."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
import torch

from kg_reasoner.errors import ConfigError, ModelConfigError
from kg_reasoner.models.graph_encoders import (
    GRAPH_ENCODERS,
    GATEncoder,
    GATOptions,
    GraphEncoder,
    RGCNEncoder,
)
from kg_reasoner.resolver import resolve

NUM_RELATIONS = 5

#: The encoder classes these tests run, with the options each is tested with (the registry
#: meta-test checks that every registered encoder is here).
ENCODER_CASES: dict[type[GraphEncoder], dict[str, Any]] = {
    RGCNEncoder: {},
    GATEncoder: {"heads": 2},
}


def _tiny_batch() -> dict[str, torch.Tensor]:
    # two graphs: a chain 0->1->2->3 and a pair 4->5
    edge_type = torch.tensor([0, 1, 2, 3, 4])
    return {
        "x": torch.randn(6, 8, generator=torch.Generator().manual_seed(0)),
        "edge_index": torch.tensor([[0, 1, 2, 1, 4], [1, 2, 3, 0, 5]]),
        "edge_type": edge_type,
        "edge_attr": torch.nn.functional.one_hot(edge_type, NUM_RELATIONS).float(),
        "batch": torch.tensor([0, 0, 0, 0, 1, 1]),
    }


def _build(cls: type[GraphEncoder]) -> GraphEncoder:
    torch.manual_seed(0)
    return resolve(cls, GRAPH_ENCODERS, base=GraphEncoder, kind="graph encoder", in_channels=8,
                   hidden_channels=16, num_relations=NUM_RELATIONS, num_layers=2,
                   **ENCODER_CASES[cls])


@pytest.mark.parametrize("cls", list(ENCODER_CASES), ids=lambda c: c.__name__)
def test_encoder_shapes_gradients_and_determinism(cls: type[GraphEncoder]) -> None:
    batch = _tiny_batch()
    encoder = _build(cls)
    out = encoder(**batch)
    assert out.shape == (6, encoder.out_channels)
    assert torch.isfinite(out).all()
    out[torch.tensor([3, 5])].sum().backward()
    grads = [p.grad for p in encoder.parameters() if p.requires_grad]
    assert grads and any(g is not None and g.abs().sum() > 0 for g in grads)
    encoder.eval()
    again = _build(cls).eval()
    torch.testing.assert_close(encoder(**batch), again(**batch))


@pytest.mark.parametrize("cls", list(ENCODER_CASES), ids=lambda c: c.__name__)
def test_encoder_handles_graph_without_edges(cls: type[GraphEncoder]) -> None:
    encoder = _build(cls).eval()
    out = encoder(torch.randn(2, 8), torch.zeros(2, 0, dtype=torch.long),
                  edge_type=torch.zeros(0, dtype=torch.long),
                  edge_attr=torch.zeros(0, NUM_RELATIONS))
    assert out.shape == (2, encoder.out_channels)


def test_rgcn_reads_edge_type_not_edge_attr() -> None:
    """R-GCN's messages depend on each edge's relation id; edge features are not its input."""
    batch = _tiny_batch()
    encoder = _build(RGCNEncoder).eval()
    out = encoder(batch["x"], batch["edge_index"], edge_type=batch["edge_type"])
    torch.testing.assert_close(out, encoder(**batch))
    other = encoder(batch["x"], batch["edge_index"], edge_type=(batch["edge_type"] + 1) % 5)
    assert not torch.allclose(out, other)
    with pytest.raises(ModelConfigError, match="edge_type"):
        encoder(batch["x"], batch["edge_index"], edge_attr=batch["edge_attr"])


def test_gat_needs_its_edge_features() -> None:
    batch = _tiny_batch()
    with pytest.raises(ModelConfigError, match="edge_attr"):
        _build(GATEncoder)(batch["x"], batch["edge_index"], edge_type=batch["edge_type"])


def test_unknown_encoder_name_lists_the_choices() -> None:
    with pytest.raises(ConfigError, match="choose one of: gat, rgcn"):
        resolve("gcnn", GRAPH_ENCODERS, base=GraphEncoder, kind="graph encoder",
                in_channels=4, hidden_channels=4, num_relations=2)


@pytest.mark.parametrize("name", sorted(GRAPH_ENCODERS))
def test_option_defaults_match_the_constructor(name: str) -> None:
    """The typed options class of an encoder declares exactly its extra constructor arguments,
    with the same defaults."""
    cls = GRAPH_ENCODERS[name]
    shared = set(inspect.signature(GraphEncoder.__init__).parameters)
    extra = {n: p.default for n, p in inspect.signature(cls.__init__).parameters.items()
             if n not in shared}
    assert extra == {n: f.default for n, f in cls.options_class.model_fields.items()}


def test_typed_options_reject_typos_and_coerce_numbers() -> None:
    with pytest.raises(ConfigError, match=r"did you mean 'heads'\?.*valid keys here: heads"):
        GATOptions.parse({"head": 2}, kind="graph encoder gat")
    with pytest.raises(ConfigError, match="heads"):
        GATOptions.parse({"heads": "many"}, kind="graph encoder gat")
    # a YAML mapping typed ``float | str`` gives 2.0: the option is an int again
    assert GATOptions.parse({"heads": 2.0}, kind="graph encoder gat") == {"heads": 2}
    with pytest.raises(ConfigError, match="takes no options; remove heads"):
        RGCNEncoder.options_class.parse({"heads": 2}, kind="graph encoder rgcn")
