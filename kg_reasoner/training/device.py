"""Where training and inference run: parsing a device name, the device a model is on, and
moving batches there (training batches in :func:`fit`, evaluation and prediction batches in
every task)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import torch
from torch import nn

from kg_reasoner.errors import ConfigError


def resolve_device(device: str | torch.device | None) -> torch.device:
    """``None`` -> cpu; ``"auto"`` -> cuda when available, else cpu; ``"cuda"`` only when CUDA
    is available; anything else a ConfigError."""
    if device is None:
        return torch.device("cpu")
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ConfigError(
            f"unknown device {device!r}: use 'auto', 'cpu', 'cuda' or 'cuda:N'"
        ) from exc
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ConfigError(f"device {device!r} asked for, but CUDA is not available: use 'cpu'")
    if resolved.type not in ("cpu", "cuda"):
        raise ConfigError(
            f"unsupported device {device!r}: use 'auto', 'cpu', 'cuda' or 'cuda:N'"
        )
    return resolved


def move_to_device(value: Any, device: torch.device) -> Any:
    """``value`` with every tensor in it on ``device`` (dicts, lists, tuples and dataclasses are
    walked; mappings with a ``.to``, such as tokenizer outputs, are moved; the rest is kept)."""
    if isinstance(value, torch.Tensor):
        return value.to(device)
    if isinstance(value, dict):
        return {k: move_to_device(v, device) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(move_to_device(v, device) for v in value)
    if isinstance(value, Mapping) and callable(getattr(value, "to", None)):
        return value.to(device)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        moved = {
            f.name: move_to_device(getattr(value, f.name), device)
            for f in dataclasses.fields(value)
            if f.init
        }
        if all(moved[name] is getattr(value, name) for name in moved):
            return value  # already there: keep the object (and what it has cached)
        return dataclasses.replace(value, **moved)
    return value


def model_device(model: nn.Module) -> torch.device:
    """The device of ``model``'s parameters (cpu for a model without any): where evaluation
    and prediction move their batches, so they follow the run's ``device``."""
    parameter = next(model.parameters(), None)
    return parameter.device if parameter is not None else torch.device("cpu")
