"""Batches for :class:`~kg_reasoner.models.lm_gnn.LMGraphScorer`: tokenized texts (or
question-choice pairs) and the disjoint union of their subgraphs in PyG's vocabulary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

#: what the LM reads for one scored text: a text, or a (question, choice) pair
LMText = str | tuple[str, str]


def tokenize(tokenizer: Any, texts: Sequence[LMText], *, max_length: int) -> dict[str, Any]:
    """Padded token tensors of texts or pairs (pairs as the tokenizer's two segments)."""
    pairs = [t for t in texts if isinstance(t, tuple)]
    if pairs and len(pairs) != len(texts):
        raise ValueError("a batch holds either texts or (question, choice) pairs")
    if pairs:
        first, second = [p[0] for p in pairs], [p[1] for p in pairs]
        encoded = tokenizer(first, second, padding=True, truncation=True,
                            max_length=max_length, return_tensors="pt")
    else:
        encoded = tokenizer(list(texts), padding=True, truncation=True, max_length=max_length,
                            return_tensors="pt")
    return dict(encoded)


def union_of_subgraphs(subgraphs: Sequence[Any], features_of: Any) -> dict[str, torch.Tensor]:
    """``node_features`` (N, F), ``node_role``, ``edge_index`` (local ids shifted per graph),
    ``edge_type`` and ``node_batch`` (the text of each node) of the subgraphs side by side;
    ``features_of(global node ids) -> (n, F)``."""
    roles, edges, types, batch, nodes = [], [], [], [], []
    offset = 0
    for i, sub in enumerate(subgraphs):
        count = int(sub.nodes.numel())
        nodes.append(sub.nodes.long())
        roles.append(sub.node_role.long())
        edges.append(sub.edge_index.long() + offset)
        types.append(sub.edge_type.long())
        batch.append(torch.full((count,), i, dtype=torch.long))
        offset += count
    all_nodes = torch.cat(nodes) if nodes else torch.zeros(0, dtype=torch.long)
    return {
        "node_features": features_of(all_nodes),
        "node_role": torch.cat(roles) if roles else torch.zeros(0, dtype=torch.long),
        "edge_index": torch.cat(edges, 1) if edges else torch.zeros(2, 0, dtype=torch.long),
        "edge_type": torch.cat(types) if types else torch.zeros(0, dtype=torch.long),
        "node_batch": torch.cat(batch) if batch else torch.zeros(0, dtype=torch.long),
    }


def collate_scored(
    tokenizer: Any,
    texts: Sequence[LMText],
    *,
    max_length: int,
    subgraphs: Sequence[Any] | None = None,
    features_of: Any = None,
    labels: Sequence[int] | None = None,
    num_choices: int | None = None,
) -> dict[str, Any]:
    """Keyword arguments of ``LMGraphScorer.forward`` for one batch (labels when given)."""
    batch: dict[str, Any] = tokenize(tokenizer, texts, max_length=max_length)
    if subgraphs is not None:
        batch.update(union_of_subgraphs(subgraphs, features_of))
    if num_choices is not None:
        batch["num_choices"] = num_choices
    if labels is not None:
        batch["labels"] = torch.tensor(list(labels), dtype=torch.long)
    return batch
