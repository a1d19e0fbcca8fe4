"""The two-story kinship graph batch that the kinship reasoner and the evidence gate tests share:
5 nodes (roles, genders), 3 typed edges over R relations, and each story's query pair."""

from __future__ import annotations

import torch

R = 4


def kinship_graph_batch() -> dict[str, torch.Tensor]:
    return {
        "node_role": torch.tensor([1, 0, 2, 1, 2]),
        "node_gender": torch.tensor([1, 2, 0, 1, 1]),
        "edge_index": torch.tensor([[0, 1, 3], [1, 2, 4]]),
        "edge_attr": torch.eye(R)[[0, 1, 2]],
        "head_index": torch.tensor([0, 3]),
        "tail_index": torch.tensor([2, 4]),
    }


def kinship_text_batch() -> dict[str, torch.Tensor]:
    return {"text": torch.randn(2, 12), "memory": torch.randn(2, 3, 12),
            "memory_mask": torch.ones(2, 3, dtype=torch.bool)}
