"""What a prediction read in its subgraph: the nodes with the highest read-out attention, and
the paths joining the question's nodes to them, each edge with its source (the KG relation, or
for a `kgr build` graph the sentence it was extracted from)."""

from __future__ import annotations

from collections import deque
from typing import Any

import torch

ROLE_NAMES = ("question", "choice", "other")


def top_nodes(sub: Any, attention: torch.Tensor, graph: Any, *, top: int) -> list[dict[str, Any]]:
    """The ``top`` nodes of ``sub`` by attention (local weights aligned with ``sub.nodes``)."""
    order = torch.argsort(attention, descending=True)[:top].tolist()
    return [
        {
            "node": graph.node_ids[int(sub.nodes[i])],
            "label": graph.node_labels[int(sub.nodes[i])],
            "role": ROLE_NAMES[min(int(sub.node_role[i]), 2)],
            "attention": round(float(attention[i]), 4),
        }
        for i in order
    ]


def paths_to_top_nodes(
    sub: Any, attention: torch.Tensor, graph: Any, *, top: int
) -> list[dict[str, Any]]:
    """Shortest paths (edges followed either way) from any question node to each of the ``top``
    non-question nodes by attention; a path's weight is the attention of its nodes."""
    count = int(sub.nodes.numel())
    neighbours: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    for e, (u, v) in enumerate(sub.edge_index.t().tolist()):
        neighbours[u].append((v, e))
        neighbours[v].append((u, e))
    sources = [i for i in range(count) if int(sub.node_role[i]) == 0]
    previous: dict[int, tuple[int, int] | None] = {s: None for s in sources}
    queue = deque(sources)
    while queue:
        node = queue.popleft()
        for nxt, edge in neighbours[node]:
            if nxt not in previous:
                previous[nxt] = (node, edge)
                queue.append(nxt)
    targets = [i for i in torch.argsort(attention, descending=True).tolist()
               if int(sub.node_role[i]) != 0 and previous.get(i) is not None][:top]
    paths = []
    for target in targets:
        steps, node = [], target
        weight = float(attention[target])
        while (link := previous[node]) is not None:
            before, edge = link
            steps.append(_step(sub, graph, edge))
            weight += float(attention[before])
            node = before
        paths.append({"to": graph.node_labels[int(sub.nodes[target])],
                      "weight": round(weight, 4), "steps": steps[::-1]})
    return sorted(paths, key=lambda p: -p["weight"])


def _step(sub: Any, graph: Any, edge: int) -> dict[str, Any]:
    u, v = (int(x) for x in sub.edge_index[:, edge].tolist())
    global_edge = int(sub.edge_ids[edge])
    source = graph.edge_sources[global_edge] if global_edge < len(graph.edge_sources) else None
    return {
        "from": graph.node_labels[int(sub.nodes[u])],
        "relation": graph.relations[int(sub.edge_type[edge])],
        "to": graph.node_labels[int(sub.nodes[v])],
        "source": source,
    }


def explain(sub: Any, attention: torch.Tensor, graph: Any, *, top: int = 5) -> dict[str, Any]:
    """``{"nodes": [...], "paths": [...]}`` for one scored text's subgraph."""
    if int(sub.nodes.numel()) == 0:
        return {"nodes": [], "paths": []}
    return {"nodes": top_nodes(sub, attention, graph, top=top),
            "paths": paths_to_top_nodes(sub, attention, graph, top=min(top, 3))}
