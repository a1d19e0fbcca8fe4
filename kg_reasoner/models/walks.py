"""Head-to-tail walks over a directed multigraph given as edge lists: which edges a path
reasoner composes.

- :func:`shortest_confident_path`: the shortest path, ties broken by the edges' confidence.
- :func:`longest_trails`: every longest trail that uses each stated fact at most once (see
  :mod:`kg_reasoner.models.path_reasoner` for why a story's chain is such a trail).
"""

from __future__ import annotations

import math


def shortest_confident_path(
    src: list[int], dst: list[int], confidence: list[float], head: int, tail: int
) -> list[int]:
    """Edge ids of the shortest head->tail path, ties broken by the product of confidences.

    Bellman-Ford rounds until nothing changes (at most the number of nodes); [] if unreachable.
    """
    if head == tail:
        return []
    # node -> (hops, -log confidence, incoming edge)
    best: dict[int, tuple[int, float, int]] = {head: (0, 0.0, -1)}
    for _ in range(len(set(src) | set(dst)) + 1):
        changed = False
        for e, (u, v) in enumerate(zip(src, dst, strict=True)):
            if u not in best:
                continue
            hops, cost, _ = best[u]
            candidate = (hops + 1, cost - math.log(max(confidence[e], 1e-9)), e)
            if v not in best or candidate[:2] < best[v][:2]:
                best[v] = candidate
                changed = True
        if not changed:
            break
    if tail not in best:
        return []
    path, node = [], tail
    while node != head:
        edge = best[node][2]
        path.append(edge)
        node = src[edge]
    return path[::-1]


def longest_trails(
    src: list[int], dst: list[int], confidence: list[float], head: int, tail: int,
    *, budget: int = 50_000, limit: int = 16,
) -> list[list[int]]:
    """Edge ids of the longest head->tail trails, most confident first (at most ``limit``).

    A trail uses each fact at most once, in either of its directed edges. A fact stated twice
    appears twice in the graph (two ``u -> v`` edges): the i-th ``u -> v`` edge and the i-th
    ``v -> u`` edge are one fact, so a trail may walk that pair twice. Depth-first and exhaustive
    for story-sized graphs; after ``budget`` expansions the trails found so far are kept.
    """
    if head == tail:
        return []
    out: dict[int, list[int]] = {}
    for e, u in enumerate(src):
        out.setdefault(u, []).append(e)
    seen: dict[tuple[int, int], int] = {}
    fact = []
    for u, v in zip(src, dst, strict=True):
        rank = seen.get((u, v), 0)
        seen[(u, v)] = rank + 1
        fact.append((min(u, v), max(u, v), rank))
    cost = [-math.log(max(c, 1e-9)) for c in confidence]
    found: list[tuple[float, list[int]]] = []
    longest = 0
    expansions = 0
    stack: list[tuple[int, list[int], frozenset[tuple[int, int, int]], float]] = [
        (head, [], frozenset(), 0.0)]
    while stack and expansions < budget:
        node, path, used, total = stack.pop()
        expansions += 1
        if node == tail and path and len(path) >= longest:
            if len(path) > longest:
                longest, found = len(path), []
            found.append((total, path))
        for e in out.get(node, []):
            if fact[e] not in used and src[e] != dst[e]:
                stack.append((dst[e], [*path, e], used | {fact[e]}, total + cost[e]))
    found.sort(key=lambda item: item[0])
    return [path for _, path in found[:limit]]


def longest_trail(
    src: list[int], dst: list[int], confidence: list[float], head: int, tail: int,
    *, budget: int = 50_000,
) -> list[int]:
    """The most confident of :func:`longest_trails`, else the shortest path ([] if none)."""
    trails = longest_trails(src, dst, confidence, head, tail, budget=budget, limit=1)
    return trails[0] if trails else shortest_confident_path(src, dst, confidence, head, tail)


WALKS = {"trail": longest_trail, "shortest": shortest_confident_path}
