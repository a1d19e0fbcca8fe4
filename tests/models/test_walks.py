"""Head-to-tail walks: the shortest confident path and the longest trails over stated facts."""

from __future__ import annotations

from kg_reasoner.models.walks import longest_trail, longest_trails, shortest_confident_path


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
