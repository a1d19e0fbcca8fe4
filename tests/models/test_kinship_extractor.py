"""The kinship extractor model on hand-made token states (no task collation)."""

from __future__ import annotations

import torch

from kg_reasoner.models.heads import ClassifierOutput
from kg_reasoner.models.kinship_extractor import KinshipExtractor


def test_pairs_get_one_row_of_class_scores_each_and_train() -> None:
    torch.manual_seed(0)
    model = KinshipExtractor(input_size=8, hidden=16, heads=2, num_relations=5, num_genders=3,
                             context_tokens=1)
    roles = torch.zeros(3, 6, dtype=torch.long)
    roles[0, 0], roles[0, 4] = 1, 2  # pair 0: head token 0, tail token 4 in window 0
    roles[1, 4], roles[1, 0] = 1, 2  # pair 1: the reverse pair
    roles[2, 1], roles[2, 2] = 1, 2  # pair 2: in window 1
    batch = {
        "states": torch.randn(2, 6, 8).half(),
        "window_index": torch.tensor([0, 0, 1]),
        "roles": roles,
        "mask": torch.tensor([[1] * 6, [1] * 4 + [0] * 2], dtype=torch.bool),
        "genders": torch.tensor([[1, 2], [2, 1], [0, 0]]),
    }
    out = model(**batch)
    assert isinstance(out, ClassifierOutput) and out.logits.shape == (3, 6) and out.loss is None
    assert not torch.allclose(out.logits[0], out.logits[1])  # the order of the pair matters
    out = model(**batch, labels=torch.tensor([0, 2, 5]))
    assert out.loss is not None
    out.loss.backward()
    assert model.genders.weight.grad is not None and model.genders.weight.shape == (3, 16)
