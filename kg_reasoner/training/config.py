"""The optimisation block shared by every task's YAML config."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kg_reasoner.config import StrictModel


class OptimConfig(StrictModel):
    """Optimiser, schedule, regularisation and stopping settings (``training:`` in a config)."""

    lr: float = Field(3e-4, gt=0, description="peak learning rate of the task layers")
    encoder_lr: float | None = Field(
        None, gt=0, description="learning rate of the language model (defaults to lr)"
    )
    epochs: int = Field(10, ge=1)
    batch_size: int = Field(32, ge=1)
    weight_decay: float = Field(0.01, ge=0)
    warmup_ratio: float = Field(0.1, ge=0, le=1)
    schedule: Literal["linear", "cosine", "constant"] = "linear"
    grad_clip: float = Field(1.0, ge=0, description="max gradient norm; 0 disables clipping")
    patience: int = Field(3, ge=0, description="epochs without improvement before stopping")
    seed: int = 13
    deterministic: bool = True
    num_threads: int | None = Field(None, ge=1, description="torch threads (default: all cores)")
    device: Literal["auto", "cpu", "cuda"] = Field(
        "auto", description="where the model and batches go: auto is cuda when available"
    )


class FreezeConfig(StrictModel):
    """Which language-model layers are trained: none frozen, all frozen, or all but the top k."""

    policy: Literal["none", "all", "top_k"] = "all"
    top_k: int = Field(0, ge=0, description="with policy top_k: layers left trainable")
