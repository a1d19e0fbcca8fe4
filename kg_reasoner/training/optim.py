"""AdamW with decoupled weight decay, excluding biases and normalisation weights."""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import nn

from kg_reasoner.errors import ModelConfigError

_NO_DECAY = ("bias", "LayerNorm.weight", "layer_norm.weight", "norm.weight")


def build_adamw(
    groups: Iterable[tuple[nn.Module, float]], *, weight_decay: float
) -> torch.optim.AdamW:
    """AdamW over ``(module, lr)`` groups; only trainable parameters are included.

    Each module gives two parameter groups: with and without weight decay.
    """
    param_groups: list[dict] = []
    seen: set[int] = set()
    for module, lr in groups:
        decay, no_decay = [], []
        for name, param in module.named_parameters():
            if not param.requires_grad or id(param) in seen:
                continue
            seen.add(id(param))
            (no_decay if name.endswith(_NO_DECAY) or param.ndim <= 1 else decay).append(param)
        if decay:
            param_groups.append({"params": decay, "lr": lr, "weight_decay": weight_decay})
        if no_decay:
            param_groups.append({"params": no_decay, "lr": lr, "weight_decay": 0.0})
    if not param_groups:
        raise ModelConfigError("no trainable parameters: check the freezing policy")
    return torch.optim.AdamW(param_groups)
