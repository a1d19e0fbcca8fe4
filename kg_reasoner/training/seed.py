"""Seeding and determinism for reproducible runs."""

from __future__ import annotations

import os
import random

import numpy as np
import torch


def seed_everything(
    seed: int, *, deterministic: bool = True, num_threads: int | None = None
) -> None:
    """Seed Python, NumPy and torch; optionally ask torch for deterministic kernels."""
    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)
    os.environ.setdefault("PYTHONHASHSEED", str(seed))
    if num_threads:
        torch.set_num_threads(num_threads)
    torch.use_deterministic_algorithms(deterministic, warn_only=True)
