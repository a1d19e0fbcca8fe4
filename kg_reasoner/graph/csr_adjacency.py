"""Compressed sparse row adjacency as torch tensors, the input of score propagation."""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class CSRAdjacency:
    """Out-edges per node: ``indptr`` (N+1,), ``targets`` (E,), ``relations`` (E,) long tensors."""

    indptr: torch.Tensor
    targets: torch.Tensor
    relations: torch.Tensor

    @property
    def num_nodes(self) -> int:
        return int(self.indptr.shape[0]) - 1

    @classmethod
    def from_edges(
        cls, edge_index: torch.Tensor, edge_type: torch.Tensor, num_nodes: int
    ) -> CSRAdjacency:
        """Build from a (2, E) edge list and its (E,) relation ids."""
        order = torch.argsort(edge_index[0] * (num_nodes + 1) + edge_index[1], stable=True)
        src = edge_index[0][order]
        counts = torch.bincount(src, minlength=num_nodes)
        indptr = torch.zeros(num_nodes + 1, dtype=torch.long)
        indptr[1:] = torch.cumsum(counts, 0)
        return cls(indptr, edge_index[1][order].long(), edge_type[order].long())
