from __future__ import annotations

import numpy as np
import torch

from kg_reasoner.models.kgqa.propagation import propagate_scores
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.retrieval.subgraph import retrieve_subgraph
from tests.qa.toy_kb import movie_index


def _chain(n: int) -> KBIndex:
    return KBIndex.from_triples([(f"n{i:02d}", "next", f"n{i + 1:02d}") for i in range(n)])


def test_k_hop_neighbourhood_contains_exactly_the_nodes_within_k() -> None:
    index = _chain(10)
    start = index.entity_to_id["n05"]
    sub = retrieve_subgraph(index, [start], hops=2, max_nodes=100)
    names = sorted(index.entity_ids[i] for i in sub.nodes)
    assert names == ["n03", "n04", "n05", "n06", "n07"]
    assert sub.nodes[0] == start and sub.num_seeds == 1
    assert not sub.truncated


def test_size_bound_is_respected_and_reported() -> None:
    star = KBIndex.from_triples([("hub", "has", f"leaf{i}") for i in range(50)])
    sub = retrieve_subgraph(star, [star.entity_to_id["hub"]], hops=1, max_nodes=10)
    assert sub.num_nodes == 10
    assert sub.truncated
    local_edges = sub.edge_index.numpy()
    assert local_edges.max() < 10


def test_fanout_cap_limits_edges_per_node() -> None:
    star = KBIndex.from_triples([("hub", "has", f"leaf{i}") for i in range(50)])
    sub = retrieve_subgraph(star, [star.entity_to_id["hub"]], hops=1, max_nodes=100, max_fanout=5)
    assert sub.num_nodes == 6
    assert sub.truncated


def test_relation_masks_expand_only_allowed_relations() -> None:
    index = movie_index()
    masks = np.zeros((2, index.num_relations), dtype=bool)
    starred_inv = index.relations.index("starred_actors") + index.num_base_relations
    masks[0, starred_inv] = True
    masks[1, index.relations.index("directed_by")] = True
    seed = index.entity_to_id["John Krasinski"]
    sub = retrieve_subgraph(index, [seed], hops=2, max_nodes=100, relation_masks=masks)
    names = {index.entity_ids[i] for i in sub.nodes}
    assert names == {"John Krasinski", "Leatherheads", "Away We Go", "George Clooney", "Sam Mendes"}


def test_propagation_on_the_subgraph_equals_the_whole_graph() -> None:
    index = movie_index()
    seed = index.entity_to_id["George Clooney"]
    probs = torch.rand(3, index.num_relations, generator=torch.Generator().manual_seed(0))
    whole = torch.zeros(1, index.num_entities)
    whole[0, seed] = 1.0
    sub = retrieve_subgraph(index, [seed], hops=3, max_nodes=1000)
    local = torch.zeros(1, sub.num_nodes)
    local[0, 0] = 1.0
    adjacency = sub.adjacency()
    for hop in range(3):
        whole = propagate_scores(whole, probs[hop : hop + 1], index.adjacency)
        local = propagate_scores(local, probs[hop : hop + 1], adjacency)
        assert torch.allclose(whole[0, torch.from_numpy(sub.nodes)], local[0], atol=1e-6)
