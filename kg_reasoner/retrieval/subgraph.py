"""k-hop neighbourhood retrieval from the CSR index, bounded in size.

Breadth-first from the seed entities, hop by hop, with vectorised CSR slicing (no query per
hop). Optional per-hop relation masks expand only the relations a question needs (a node found
at level l is expanded with every relation allowed at hops l+1..k, so score propagation on the
subgraph equals propagation on the whole graph for those relations). ``max_fanout`` caps the
edges followed from one node and ``max_nodes`` the subgraph size; ``truncated`` says when a cap
dropped something.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from kg_reasoner.graph.csr_adjacency import CSRAdjacency
from kg_reasoner.retrieval.kb_index import KBIndex


@dataclass
class KHopSubgraph:
    """Nodes (global ids, seeds first), local edges and their stored-triple ids."""

    nodes: np.ndarray
    edge_index: torch.Tensor
    edge_type: torch.Tensor
    edge_triples: np.ndarray
    num_seeds: int
    truncated: bool

    @property
    def num_nodes(self) -> int:
        return int(self.nodes.shape[0])

    @property
    def num_edges(self) -> int:
        return int(self.edge_type.shape[0])

    def adjacency(self) -> CSRAdjacency:
        """Local CSR adjacency for score propagation on the subgraph."""
        return CSRAdjacency.from_edges(
            self.edge_index,
            self.edge_type,
            self.num_nodes,
            triple_ids=torch.from_numpy(self.edge_triples),
        )


def frontier_edges(indptr: np.ndarray, frontier: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(source of each edge, CSR position of each edge) for all out-edges of ``frontier``
    (vectorised CSR slicing; also walked by :mod:`kg_reasoner.retrieval.concept_subgraph`)."""
    starts = indptr[frontier]
    lengths = indptr[frontier + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    positions = np.arange(total) - offsets + np.repeat(starts, lengths)
    return np.repeat(frontier, lengths), positions


def _cap_fanout(sources: np.ndarray, cap: int) -> np.ndarray:
    """Boolean mask keeping the first ``cap`` edges of each (contiguous) source group."""
    if sources.size == 0:
        return np.zeros(0, bool)
    boundaries = np.flatnonzero(np.r_[True, sources[1:] != sources[:-1]])
    group_start = np.repeat(boundaries, np.diff(np.r_[boundaries, sources.size]))
    return (np.arange(sources.size) - group_start) < cap


def retrieve_subgraph(
    index: KBIndex,
    seeds: list[int],
    *,
    hops: int,
    max_nodes: int,
    relation_masks: np.ndarray | None = None,
    max_fanout: int | None = None,
) -> KHopSubgraph:
    """The ``hops``-hop neighbourhood of ``seeds`` with at most ``max_nodes`` nodes.

    ``relation_masks`` (hops, 2R) bool: relations that may be followed at each hop (None: all).
    """
    if relation_masks is not None:
        # a node reached at level l may still take hop l+1..k: allow the union of those masks
        reach = np.logical_or.accumulate(relation_masks[::-1], axis=0)[::-1]
    indptr, neighbors, edge_relations, edge_triples = index.adjacency.arrays
    local = np.full(index.num_entities, -1, dtype=np.int64)
    order = list(dict.fromkeys(int(s) for s in seeds))[:max_nodes]
    local[order] = np.arange(len(order))
    nodes = [np.asarray(order, dtype=np.int64)]
    count = len(order)
    frontier = nodes[0]
    positions_kept: list[np.ndarray] = []
    truncated = len(order) < len(set(seeds))
    for level in range(hops):
        sources, positions = frontier_edges(indptr, frontier)
        if relation_masks is not None and positions.size:
            keep = reach[level][edge_relations[positions]]
            sources, positions = sources[keep], positions[keep]
        if max_fanout is not None and positions.size:
            keep = _cap_fanout(sources, max_fanout)
            truncated |= not bool(keep.all())
            sources, positions = sources[keep], positions[keep]
        targets = neighbors[positions]
        fresh = targets[local[targets] < 0]
        fresh = fresh[np.sort(np.unique(fresh, return_index=True)[1])]
        room = max_nodes - count
        if fresh.size > room:
            fresh, truncated = fresh[:room], True
        local[fresh] = np.arange(count, count + fresh.size)
        count += fresh.size
        nodes.append(fresh)
        positions_kept.append(positions[local[targets] >= 0])
        frontier = fresh
        if frontier.size == 0:
            break
    all_nodes = np.concatenate(nodes)
    positions = np.concatenate(positions_kept) if positions_kept else np.zeros(0, np.int64)
    src_global = np.searchsorted(indptr, positions, side="right") - 1
    edge_index = torch.from_numpy(np.stack([local[src_global], local[neighbors[positions]]]))
    return KHopSubgraph(
        nodes=all_nodes,
        edge_index=edge_index.long(),
        edge_type=torch.from_numpy(edge_relations[positions].astype(np.int64)),
        edge_triples=edge_triples[positions],
        num_seeds=len(order),
        truncated=bool(truncated),
    )
