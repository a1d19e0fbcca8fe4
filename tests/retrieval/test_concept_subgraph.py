"""SubgraphRetriever: nodes on question-choice paths within hops, bounded by max_nodes
(personalised PageRank or BFS order), every edge between kept nodes, cached retrieve_many."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
import torch

from kg_reasoner.errors import ConfigError, DataFormatError
from kg_reasoner.retrieval import Grounder, Subgraph, SubgraphRetriever, load_concept_graph
from kg_reasoner.retrieval.concept_graph import ConceptGraph


def _graph(tmp_path: Path, lines: list[str]) -> ConceptGraph:
    path = tmp_path / "kb.txt"
    path.write_text("\n".join(lines) + "\n")
    return load_concept_graph(path)


def _ids(graph: ConceptGraph, *names: str) -> list[int]:
    return [graph.node_ids.index(n) for n in names]


def _names(graph: ConceptGraph, sub: Subgraph) -> list[str]:
    return [graph.node_ids[i] for i in sub.nodes.tolist()]


def _flat(grouped: list[list[Subgraph]]) -> list[Subgraph]:
    return [s for group in grouped for s in group]


def _assert_well_formed(graph: ConceptGraph, sub: Subgraph) -> None:
    """Local edges index ``nodes`` and are exactly the graph's edges between kept nodes."""
    n = sub.num_nodes
    assert sub.edge_index.shape == (2, sub.num_edges) and sub.edge_type.shape == (sub.num_edges,)
    assert sub.node_role.shape == (n,) and len(set(sub.nodes.tolist())) == n
    if sub.num_edges:
        assert int(sub.edge_index.min()) >= 0 and int(sub.edge_index.max()) < n
    kept = set(sub.nodes.tolist())
    expected = [
        e for e, (h, t) in enumerate(graph.edge_index.t().tolist()) if h in kept and t in kept
    ]
    assert sub.edge_ids.tolist() == expected
    glob = sub.nodes[sub.edge_index]
    assert torch.equal(glob, graph.edge_index[:, sub.edge_ids])
    assert torch.equal(sub.edge_type, graph.edge_type[sub.edge_ids])


@pytest.fixture
def chain(tmp_path: Path) -> ConceptGraph:
    # q - a - c and q - d (d is on no path to c); c <- b (b: c's neighbour only)
    return _graph(tmp_path, ["q|r|a", "a|s|c", "d|r|q", "b|r|c", "e|r|d"])


def test_path_nodes_connect_question_and_choice(chain: ConceptGraph) -> None:
    sub = SubgraphRetriever(chain, hops=2).retrieve(_ids(chain, "q"), _ids(chain, "c"))
    assert _names(chain, sub) == ["q", "c", "a"]
    assert sub.node_role.tolist() == [0, 1, 2]
    _assert_well_formed(chain, sub)


def test_hops_bound_the_path_length(tmp_path: Path) -> None:
    graph = _graph(tmp_path, ["q|r|a", "a|r|b", "b|r|c"])
    q, c = _ids(graph, "q"), _ids(graph, "c")
    assert _names(graph, SubgraphRetriever(graph, hops=2).retrieve(q, c)) == ["q", "c"]
    assert _names(graph, SubgraphRetriever(graph, hops=3).retrieve(q, c)) == ["q", "c", "a", "b"]
    # edges are walked backwards too; others are in BFS order (distance to a seed, index)
    assert _names(graph, SubgraphRetriever(graph, hops=3).retrieve(c, q)) == ["c", "q", "a", "b"]


def test_without_choices_the_question_neighbourhood_is_returned(chain: ConceptGraph) -> None:
    retriever = SubgraphRetriever(chain, hops=1)
    sub = retriever.retrieve(_ids(chain, "q"), [])
    assert _names(chain, sub) == ["q", "a", "d"]
    assert sub.node_role.tolist() == [0, 2, 2]
    _assert_well_formed(chain, sub)
    lone = retriever.retrieve(_ids(chain, "q"), [], neighbourhood=False)
    assert _names(chain, lone) == ["q"]


def test_neighbourhood_expansion_takes_every_node_near_question_or_choice(
    chain: ConceptGraph,
) -> None:
    sub = SubgraphRetriever(chain, hops=1, expand="neighbourhood").retrieve(
        _ids(chain, "q"), _ids(chain, "c")
    )
    assert _names(chain, sub) == ["q", "c", "a", "b", "d"]
    _assert_well_formed(chain, sub)


def test_max_nodes_is_respected_and_question_and_choice_nodes_are_kept(tmp_path: Path) -> None:
    lines = [f"q|r|x{i:02d}" for i in range(30)] + [f"x{i:02d}|r|c" for i in range(30)]
    graph = _graph(tmp_path, lines)
    for prune in ("ppr", "none"):
        sub = SubgraphRetriever(graph, hops=2, max_nodes=8, prune=prune).retrieve(
            _ids(graph, "q"), _ids(graph, "c")
        )
        assert sub.num_nodes == 8 and _names(graph, sub)[:2] == ["q", "c"]
        assert sub.node_role.tolist() == [0, 1] + [2] * 6
        _assert_well_formed(graph, sub)


def test_more_seeds_than_max_nodes_are_truncated_questions_first(tmp_path: Path) -> None:
    graph = _graph(tmp_path, [f"n{i}|r|n{i + 1}" for i in range(9)])
    nodes = _ids(graph, "n0", "n1", "n2", "n3", "n4")
    sub = SubgraphRetriever(graph, max_nodes=4).retrieve(nodes[:3], nodes[3:])
    assert _names(graph, sub) == ["n0", "n1", "n2", "n3"]
    assert sub.node_role.tolist() == [0, 0, 0, 1]
    _assert_well_formed(graph, sub)


def test_personalised_pagerank_keeps_the_best_connected_node(tmp_path: Path) -> None:
    # a1 is a leaf of q; b1 and b2 form a triangle with q: PageRank prefers them, BFS order a1
    graph = _graph(tmp_path, ["q|r|a1", "q|r|b1", "q|r|b2", "b1|r|b2"])
    q = _ids(graph, "q")
    ppr = SubgraphRetriever(graph, hops=1, max_nodes=2, prune="ppr").retrieve(q, [])
    bfs = SubgraphRetriever(graph, hops=1, max_nodes=2, prune="none").retrieve(q, [])
    assert _names(graph, ppr) == ["q", "b1"]
    assert _names(graph, bfs) == ["q", "a1"]


def test_retrieval_is_deterministic(tmp_path: Path) -> None:
    lines = [f"n{i}|r{i % 3}|n{(i * 7) % 23}" for i in range(60)]
    graph = _graph(tmp_path, lines)
    seeds = _ids(graph, "n1", "n2"), _ids(graph, "n5")
    first = SubgraphRetriever(graph, max_nodes=6).retrieve(*seeds)
    again = SubgraphRetriever(graph, max_nodes=6).retrieve(*seeds)
    for name in ("nodes", "edge_index", "edge_type", "node_role", "edge_ids"):
        assert torch.equal(getattr(first, name), getattr(again, name))
    _assert_well_formed(graph, first)


def test_bad_nodes_and_options_are_one_line_errors(chain: ConceptGraph) -> None:
    with pytest.raises(DataFormatError, match="not in the graph"):
        SubgraphRetriever(chain).retrieve([99], [])
    with pytest.raises(ConfigError, match="ppr, none"):
        SubgraphRetriever(chain, prune="lm")
    with pytest.raises(ConfigError, match="max_nodes"):
        SubgraphRetriever(chain, max_nodes=0)


def test_retrieve_many_grounds_retrieves_and_caches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = _graph(tmp_path, ["dog|is_a|animal", "cat|is_a|animal", "animal|has|fur"])
    grounder = Grounder(graph, nlp=spacy.blank("en"))
    cache = tmp_path / "cache"
    items = [("Which animal is a dog?", ["cat", "fur", "nothing"]), ("A cat", [])]
    retriever = SubgraphRetriever(graph, cache_dir=cache, grounder=grounder, progress=False)
    subgraphs = retriever.retrieve_many(items, key="toy")
    assert [len(s) for s in subgraphs] == [3, 1]
    dog_cat = subgraphs[0][0]
    assert dog_cat.node_role.tolist() == [0, 0, 1]
    assert _names(graph, dog_cat) == ["animal", "dog", "cat"]
    assert _names(graph, subgraphs[0][2]) == ["animal", "dog"]  # a choice grounded to nothing
    assert _names(graph, subgraphs[1][0]) == ["cat", "animal", "dog", "fur"]  # 2 hops of cat
    grounded = retriever.ground_items(items, key="toy")
    assert grounded[0] == (
        _ids(graph, "animal", "dog"),
        [_ids(graph, "cat"), _ids(graph, "fur"), []],
    )

    def no_grounding(texts: list[str]) -> list[list[int]]:
        raise AssertionError("grounded again")

    monkeypatch.setattr(grounder, "ground_many", no_grounding)
    again = SubgraphRetriever(graph, cache_dir=cache, grounder=grounder, progress=False)
    cached = again.retrieve_many(items, key="toy")
    for got, want in zip(_flat(cached), _flat(subgraphs), strict=True):
        for name in ("nodes", "edge_index", "edge_type", "node_role", "edge_ids"):
            assert torch.equal(getattr(got, name), getattr(want, name))
    other = SubgraphRetriever(graph, cache_dir=cache, grounder=grounder, hops=1, progress=False)
    assert len(other.retrieve_many(items, key="toy")) == 2  # grounding cached, retrieval redone
    with pytest.raises(AssertionError, match="grounded again"):
        again.retrieve_many(items, key="another-key")
