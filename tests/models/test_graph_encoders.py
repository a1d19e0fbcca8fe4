"""Every registered graph encoder on a tiny graph: shapes, gradients, determinism."""

from __future__ import annotations

import pytest
import torch

from kg_reasoner.errors import ConfigError
from kg_reasoner.models.graph_encoders import (
    GRAPH_ENCODERS,
    PathCompositionEncoder,
    resolve_graph_encoder,
)
from kg_reasoner.models.path_reasoner import (
    longest_trail,
    longest_trails,
    shortest_confident_path,
)

NUM_RELATIONS = 5


def _tiny_batch() -> dict[str, torch.Tensor]:
    # two graphs: a chain 0->1->2->3 (query 0, 3) and a pair 4->5 (query 4, 5)
    edge_index = torch.tensor([[0, 1, 2, 1, 4], [1, 2, 3, 0, 5]])
    edge_attr = torch.nn.functional.one_hot(torch.tensor([0, 1, 2, 3, 4]), NUM_RELATIONS).float()
    return {
        "x": torch.randn(6, 8, generator=torch.Generator().manual_seed(0)),
        "edge_index": edge_index,
        "edge_attr": edge_attr,
        "head_index": torch.tensor([0, 4]),
        "tail_index": torch.tensor([3, 5]),
    }


def _build(name: str) -> torch.nn.Module:
    torch.manual_seed(0)
    return resolve_graph_encoder(
        name, in_channels=8, hidden_channels=16, num_relations=NUM_RELATIONS, num_layers=2
    )


@pytest.mark.parametrize("name", sorted(GRAPH_ENCODERS))
def test_encoder_shapes_gradients_and_determinism(name: str) -> None:
    batch = _tiny_batch()
    encoder = _build(name)
    out = encoder(**batch)
    assert out.shape == (6, encoder.out_channels)
    assert torch.isfinite(out).all()
    out[batch["tail_index"]].sum().backward()
    grads = [p.grad for p in encoder.parameters() if p.requires_grad]
    assert grads and any(g is not None and g.abs().sum() > 0 for g in grads)
    encoder.eval()
    again = _build(name).eval()
    torch.testing.assert_close(encoder(**batch), again(**batch))


@pytest.mark.parametrize("name", sorted(GRAPH_ENCODERS))
def test_encoder_handles_graph_without_edges(name: str) -> None:
    encoder = _build(name).eval()
    out = encoder(
        torch.randn(2, 8), torch.zeros(2, 0, dtype=torch.long), torch.zeros(0, NUM_RELATIONS),
        torch.tensor([0]), torch.tensor([1]),
    )
    assert out.shape == (2, encoder.out_channels)


def test_resolver_lists_choices_for_unknown_names() -> None:
    with pytest.raises(ConfigError, match="path_composition"):
        resolve_graph_encoder("gcnn", in_channels=4, hidden_channels=4, num_relations=2)


def test_shortest_path_prefers_fewer_hops_then_confidence() -> None:
    # 0->1->3 (confident), 0->2->3 (less confident), 0->3 via 4 hops is longer
    src, dst = [0, 1, 0, 2], [1, 3, 2, 3]
    assert shortest_confident_path(src, dst, [0.9, 0.9, 0.6, 0.6], 0, 3) == [0, 1]
    assert shortest_confident_path(src, dst, [0.5, 0.5, 0.9, 0.9], 0, 3) == [2, 3]
    assert shortest_confident_path(src, dst, [1.0] * 4, 3, 0) == []


def _both_ways(facts: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    return ([u for u, v in facts] + [v for u, v in facts],
            [v for u, v in facts] + [u for u, v in facts])


def test_trail_walks_the_whole_story_chain_through_a_loop() -> None:
    """A story chain 0-1-2-3-1-4 revisits person 1: the shortest path 0-1-4 skips the loop, the
    trail uses every fact once, each in one direction."""
    src, dst = _both_ways([(0, 1), (1, 2), (2, 3), (3, 1), (1, 4)])
    ones = [1.0] * len(src)
    trail = longest_trail(src, dst, ones, 0, 4)
    assert [(src[e], dst[e]) for e in trail] in (
        [(0, 1), (1, 2), (2, 3), (3, 1), (1, 4)], [(0, 1), (1, 3), (3, 2), (2, 1), (1, 4)])
    assert [(src[e], dst[e]) for e in shortest_confident_path(src, dst, ones, 0, 4)] == [
        (0, 1), (1, 4)]
    assert longest_trail(src, dst, ones, 0, 9) == []  # unreachable
    assert longest_trail(src, dst, ones, 2, 2) == []


def test_trail_ties_go_to_the_confident_edges_and_the_budget_falls_back() -> None:
    src, dst = [0, 1, 0, 2], [1, 3, 2, 3]  # two 2-edge trails 0->3 (and no longer one)
    assert longest_trail(src, dst, [0.9, 0.9, 0.6, 0.6], 0, 3) == [0, 1]
    assert longest_trail(src, dst, [0.5, 0.5, 0.9, 0.9], 0, 3) == [2, 3]
    # a budget too small to reach the tail still gives a path (the shortest)
    assert longest_trail(src, dst, [0.9, 0.9, 0.6, 0.6], 0, 3, budget=1) == [0, 1]


def test_a_fact_stated_twice_can_be_walked_twice() -> None:
    """Chain 0-1-2-1-3: the pair (1, 2) is stated twice (there and back), so the graph holds it
    twice and the trail uses both copies; every longest trail is returned."""
    src, dst = _both_ways([(0, 1), (1, 2), (2, 1), (1, 3)])
    ones = [1.0] * len(src)
    trails = longest_trails(src, dst, ones, 0, 3)
    assert trails and all(len(t) == 4 for t in trails)
    assert [(src[e], dst[e]) for e in trails[0]] == [(0, 1), (1, 2), (2, 1), (1, 3)]
    once = _both_ways([(0, 1), (1, 2), (1, 3)])
    assert len(longest_trail(*once, [1.0] * 6, 0, 3)) == 2  # stated once: no detour


def test_unknown_walk_is_rejected_with_the_choices() -> None:
    with pytest.raises(ValueError, match="trail, shortest"):
        PathCompositionEncoder(in_channels=1, hidden_channels=1, num_relations=2, walk="random")


def test_path_composition_follows_a_set_composition_table_on_long_chains() -> None:
    """With the table "r_a then r_b = r_(a+b mod R)", composing a chain of any length gives the
    sum of its relations: the operator, not the length, decides the result."""
    encoder = PathCompositionEncoder(in_channels=1, hidden_channels=1, num_relations=NUM_RELATIONS)
    with torch.no_grad():
        encoder.composition.fill_(-30.0)
        for a in range(NUM_RELATIONS):
            for b in range(NUM_RELATIONS):
                encoder.composition[a, b, (a + b) % NUM_RELATIONS] = 30.0
    chain = [1, 2, 4, 3, 1, 1, 2, 0, 4, 3]
    relations = torch.nn.functional.one_hot(torch.tensor(chain), NUM_RELATIONS).float()
    prefixes = encoder.compose_path(relations)
    expected = [sum(chain[: j + 1]) % NUM_RELATIONS for j in range(len(chain))]
    assert prefixes.argmax(-1).tolist() == expected
