"""Settings a user can get wrong raise the project's own errors, so `kgr` prints one line."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from torch import nn

from kg_reasoner.errors import KGReasonerError
from kg_reasoner.models.freezing import apply_freezing
from kg_reasoner.models.graph_encoders.gat import GATEncoder
from kg_reasoner.models.kinship_reasoner import KinshipReasoner
from kg_reasoner.models.path_reasoner import PathCompositionReasoner
from kg_reasoner.models.reasoner import FusedReasoner
from kg_reasoner.training.optim import build_adamw
from kg_reasoner.training.schedule import lr_multiplier


def _frozen() -> nn.Module:
    model = nn.Linear(2, 2)
    model.requires_grad_(False)
    return model


BAD_SETTINGS: dict[str, Callable[[], object]] = {
    "divisible by heads": lambda: GATEncoder(
        in_channels=4, hidden_channels=30, num_relations=2, heads=4
    ),
    "trail, shortest": lambda: PathCompositionReasoner(num_relations=2, walk="random"),
    "graph encoder": lambda: FusedReasoner(num_classes=2, graph=None, text_channels=None),
    "graph encoder, text": lambda: KinshipReasoner(
        num_relations=2, num_classes=2, graph_encoder=None, text_channels=None
    ),
    "freezing policy": lambda: apply_freezing(nn.Linear(2, 2), "some"),
    "no trainable parameters": lambda: build_adamw([(_frozen(), 1e-3)], weight_decay=0.0),
    "linear, cosine": lambda: lr_multiplier(1, total_steps=2, warmup_steps=0, kind="step"),
}


@pytest.mark.parametrize("message", sorted(BAD_SETTINGS))
def test_bad_model_and_training_settings_are_library_errors(message: str) -> None:
    with pytest.raises(KGReasonerError, match=message) as info:
        BAD_SETTINGS[message]()
    assert isinstance(info.value, ValueError)  # still caught by code that expects ValueError
