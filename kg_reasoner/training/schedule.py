"""Learning-rate schedules as pure functions of the step (easy to test and to plot)."""

from __future__ import annotations

import math

import torch

from kg_reasoner.errors import ModelConfigError


def lr_multiplier(step: int, *, total_steps: int, warmup_steps: int, kind: str = "linear") -> float:
    """Factor applied to the peak learning rate at ``step`` (0-based).

    Linear warm-up to 1 over ``warmup_steps``, then ``linear`` decay to 0, ``cosine`` decay to 0,
    or ``constant``.
    """
    if total_steps <= 0:
        return 1.0
    if warmup_steps > 0 and step < warmup_steps:
        return (step + 1) / warmup_steps
    if kind == "constant":
        return 1.0
    remaining = max(total_steps - warmup_steps, 1)
    progress = min(max(step - warmup_steps, 0) / remaining, 1.0)
    if kind == "cosine":
        return 0.5 * (1.0 + math.cos(math.pi * progress))
    if kind == "linear":
        return 1.0 - progress
    raise ModelConfigError(f"unknown schedule {kind!r}; choose linear, cosine or constant")


def build_scheduler(
    optimizer: torch.optim.Optimizer, *, total_steps: int, warmup_ratio: float, kind: str
) -> torch.optim.lr_scheduler.LambdaLR:
    """A LambdaLR over :func:`lr_multiplier`."""
    warmup = round(total_steps * warmup_ratio)
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: lr_multiplier(step, total_steps=total_steps, warmup_steps=warmup, kind=kind),
    )
