"""One hop of relation-weighted score propagation over a CSR adjacency (TransferNet-style).

Work follows the active (question, entity) pairs: only the out-edges of entities with a score
above ``min_score`` *in that question's row* are expanded, so a batch costs the sum of its
questions' neighbourhoods instead of batch size x all edges.
"""

from __future__ import annotations

import torch

from kg_reasoner.retrieval.csr_adjacency import CSRAdjacency


def propagate_scores(
    scores: torch.Tensor,
    relation_probs: torch.Tensor,
    adjacency: CSRAdjacency,
    *,
    min_score: float = 0.0,
) -> torch.Tensor:
    """``out[b, o] = min(1, sum over edges (s, r, o) of scores[b, s] * relation_probs[b, r])``.

    ``scores`` (B, N) in [0, 1]; ``relation_probs`` (B, R). Entities scoring at most
    ``min_score`` in a row send nothing (0 keeps the result exact).
    """
    batch, num_nodes = scores.shape
    rows, nodes = torch.nonzero(scores.detach() > min_score, as_tuple=True)
    values = scores[rows, nodes]
    starts = adjacency.indptr[nodes]
    lengths = adjacency.indptr[nodes + 1] - starts
    pair = torch.repeat_interleave(torch.arange(rows.numel()), lengths)
    offsets = torch.repeat_interleave(torch.cumsum(lengths, 0) - lengths, lengths)
    positions = torch.arange(pair.numel()) - offsets + starts[pair]
    edge_rows = rows[pair]
    messages = values[pair] * relation_probs[edge_rows, adjacency.relations[positions]]
    flat = edge_rows * num_nodes + adjacency.targets[positions]
    out = scores.new_zeros(batch * num_nodes).index_add_(0, flat, messages)
    return out.view(batch, num_nodes).clamp(max=1.0)
