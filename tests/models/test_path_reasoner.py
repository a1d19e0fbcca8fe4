"""The path-composition reasoner: it reads only edges, composes relations along the walk."""

from __future__ import annotations

import math

import pytest
import torch

from kg_reasoner.errors import ConfigError
from kg_reasoner.models.path_reasoner import PathCompositionOptions, PathCompositionReasoner

NUM_RELATIONS = 5


def _chains() -> dict[str, torch.Tensor | int]:
    # two graphs: a chain 0->1->2->3 (query 0, 3) with a back edge, and a pair 4->5; node 6 is
    # in the first graph but off every path
    edge_type = torch.tensor([0, 1, 2, 3, 4])
    return {
        "edge_index": torch.tensor([[0, 1, 2, 1, 4], [1, 2, 3, 0, 5]]),
        "edge_attr": torch.nn.functional.one_hot(edge_type, NUM_RELATIONS).float(),
        "head_index": torch.tensor([0, 4]),
        "tail_index": torch.tensor([3, 5]),
        "num_nodes": 7,
    }


@pytest.mark.parametrize("walk", ["shortest", "trail"])
def test_states_are_relation_log_probabilities_and_train(walk: str) -> None:
    torch.manual_seed(0)
    reasoner = PathCompositionReasoner(num_relations=NUM_RELATIONS, walk=walk)
    batch = _chains()
    out = reasoner(**batch)
    assert out.shape == (7, NUM_RELATIONS)
    torch.testing.assert_close(out.exp().sum(-1), torch.ones(7))
    uniform = torch.full((NUM_RELATIONS,), math.log(1 / NUM_RELATIONS))
    torch.testing.assert_close(out[6], uniform)  # off the path
    torch.testing.assert_close(out[5], batch["edge_attr"][4].clamp(min=1e-9).log())  # one edge
    out[torch.tensor([3, 5])].sum().backward()
    assert reasoner.composition.grad is not None and reasoner.composition.grad.abs().sum() > 0


def test_graph_without_edges_gives_uniform_states() -> None:
    reasoner = PathCompositionReasoner(num_relations=NUM_RELATIONS)
    out = reasoner(torch.zeros(2, 0, dtype=torch.long), torch.zeros(0, NUM_RELATIONS),
                   torch.tensor([0]), torch.tensor([1]), 2)
    torch.testing.assert_close(out, torch.full((2, NUM_RELATIONS), math.log(1 / NUM_RELATIONS)))


def test_unknown_walk_is_rejected_with_the_choices() -> None:
    with pytest.raises(ValueError, match="trail, shortest"):
        PathCompositionReasoner(num_relations=2, walk="random")
    with pytest.raises(ConfigError, match="walk"):
        PathCompositionOptions.parse({"walk": "random"}, kind="graph encoder path_composition")
    with pytest.raises(ConfigError, match="did you mean 'sharpness'"):
        PathCompositionOptions.parse({"sharpnes": 5}, kind="graph encoder path_composition")


def test_path_composition_follows_a_set_composition_table_on_long_chains() -> None:
    """With the table "r_a then r_b = r_(a+b mod R)", composing a chain of any length gives the
    sum of its relations: the operator, not the length, decides the result."""
    reasoner = PathCompositionReasoner(num_relations=NUM_RELATIONS)
    with torch.no_grad():
        reasoner.composition.fill_(-30.0)
        for a in range(NUM_RELATIONS):
            for b in range(NUM_RELATIONS):
                reasoner.composition[a, b, (a + b) % NUM_RELATIONS] = 30.0
    chain = [1, 2, 4, 3, 1, 1, 2, 0, 4, 3]
    relations = torch.nn.functional.one_hot(torch.tensor(chain), NUM_RELATIONS).float()
    prefixes = reasoner.compose_path(relations)
    expected = [sum(chain[: j + 1]) % NUM_RELATIONS for j in range(len(chain))]
    assert prefixes.argmax(-1).tolist() == expected
    # the forward pass puts the composed answer at the tail
    src = list(range(len(chain)))
    edge_index = torch.tensor([src, [s + 1 for s in src]])
    out = reasoner(edge_index, relations, torch.tensor([0]), torch.tensor([len(chain)]),
                   len(chain) + 1)
    assert int(out[len(chain)].argmax()) == expected[-1]
