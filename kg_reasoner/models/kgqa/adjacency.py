"""What score propagation reads from a graph: a CSR adjacency as plain tensors.

A Protocol, so models stay independent of the graph stage: the graph's
:class:`kg_reasoner.graph.csr_adjacency.CSRAdjacency` (whole KB or a retrieved subgraph)
satisfies it, and so does any object with these three tensors.
"""

from __future__ import annotations

from typing import Protocol

import torch


class Adjacency(Protocol):
    """Node ``i``'s out-edges are positions ``indptr[i]:indptr[i+1]`` of ``targets`` and
    ``relations``: ``indptr`` (N+1,), ``targets`` (E,), ``relations`` (E,) long tensors."""

    @property
    def indptr(self) -> torch.Tensor: ...

    @property
    def targets(self) -> torch.Tensor: ...

    @property
    def relations(self) -> torch.Tensor: ...
