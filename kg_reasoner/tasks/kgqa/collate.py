"""KGQA training batches: topic and answer indicator rows over the KB's entities."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import torch

from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.tasks.kgqa.encoding import EncodedQuestions


def indicator_rows(id_lists: Sequence[Sequence[int]], num_entities: int) -> torch.Tensor:
    """(B, N) float matrix with 1 at the listed entity ids of each row."""
    out = torch.zeros(len(id_lists), num_entities)
    for row, ids in enumerate(id_lists):
        out[row, list(ids)] = 1.0
    return out


def training_batches(
    data: EncodedQuestions,
    index: KBIndex,
    *,
    batch_size: int,
    exclude_topic: bool,
    revisit_topic: bool,
) -> Iterator[dict[str, Any]]:
    """One epoch of shuffled batches (``torch.randperm`` on the global RNG, drawn when the epoch
    starts) as keyword arguments of :class:`HopwiseRelationReasoner` with ``answers``."""
    order = torch.randperm(len(data)).tolist()
    adjacency = index.adjacency
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        yield {
            "question": data.embeddings[rows],
            "topic": indicator_rows([data.topics[i] for i in rows], index.num_entities),
            "adjacency": adjacency,
            "exclude_topic": exclude_topic,
            "revisit_topic": revisit_topic,
            "answers": indicator_rows([data.answers[i] for i in rows], index.num_entities),
        }
