"""Compressed sparse row adjacency as torch tensors: the graph view that score propagation,
subgraph retrieval and path search walk."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import torch


@dataclass(frozen=True)
class CSRAdjacency:
    """Out-edges per node: ``indptr`` (N+1,), ``targets`` (E,), ``relations`` (E,) and
    ``triple_ids`` (E,) long tensors; node ``i``'s edges are ``indptr[i]:indptr[i+1]``.

    ``triple_ids`` is the row of each edge's triple in the factory's ``mapped_triples`` (an
    inverse edge shares its triple's row); ``-1`` where edges were given without triples.
    """

    indptr: torch.Tensor
    targets: torch.Tensor
    relations: torch.Tensor
    triple_ids: torch.Tensor

    @property
    def num_nodes(self) -> int:
        return int(self.indptr.shape[0]) - 1

    @property
    def num_edges(self) -> int:
        return int(self.targets.shape[0])

    @cached_property
    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(indptr, targets, relations, triple_ids)`` as numpy views sharing the tensors'
        memory, for the vectorised numpy walks of retrieval and zero-shot answering."""
        return (
            self.indptr.numpy(),
            self.targets.numpy(),
            self.relations.numpy(),
            self.triple_ids.numpy(),
        )

    def degree(self, node: int) -> int:
        indptr = self.arrays[0]
        return int(indptr[node + 1] - indptr[node])

    def out_edges(self, node: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(targets, relation ids, triple ids) of one node's out-edges, as numpy views."""
        indptr, targets, relations, triple_ids = self.arrays
        lo, hi = int(indptr[node]), int(indptr[node + 1])
        return targets[lo:hi], relations[lo:hi], triple_ids[lo:hi]

    @classmethod
    def from_edges(
        cls,
        edge_index: torch.Tensor,
        edge_type: torch.Tensor,
        num_nodes: int,
        *,
        triple_ids: torch.Tensor | None = None,
    ) -> CSRAdjacency:
        """Build from a (2, E) edge list, its (E,) relation ids and (optionally) triple ids,
        sorted by (source, target) with ties in input order."""
        order = torch.argsort(edge_index[0] * (num_nodes + 1) + edge_index[1], stable=True)
        src = edge_index[0][order]
        counts = torch.bincount(src, minlength=num_nodes)
        indptr = torch.zeros(num_nodes + 1, dtype=torch.long)
        indptr[1:] = torch.cumsum(counts, 0)
        if triple_ids is None:
            triple_ids = torch.full((int(order.shape[0]),), -1, dtype=torch.long)
        return cls(
            indptr, edge_index[1][order].long(), edge_type[order].long(), triple_ids[order].long()
        )
