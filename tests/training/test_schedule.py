"""Learning-rate schedule: warm-up then decay, as a pure function."""

from __future__ import annotations

import itertools

import pytest
import torch

from kg_reasoner.training.schedule import build_scheduler, lr_multiplier


def test_linear_warmup_then_linear_decay() -> None:
    values = [lr_multiplier(s, total_steps=10, warmup_steps=2, kind="linear") for s in range(10)]
    assert values[0] == pytest.approx(0.5) and values[1] == pytest.approx(1.0)
    assert values[2] == pytest.approx(1.0) and values[-1] == pytest.approx(1 / 8)
    assert all(a >= b for a, b in itertools.pairwise(values[1:]))


def test_cosine_reaches_half_in_the_middle_and_constant_stays() -> None:
    assert lr_multiplier(5, total_steps=10, warmup_steps=0, kind="cosine") == pytest.approx(0.5)
    assert lr_multiplier(9, total_steps=10, warmup_steps=2, kind="constant") == 1.0


def test_unknown_schedule_is_rejected() -> None:
    with pytest.raises(ValueError, match="linear"):
        lr_multiplier(3, total_steps=10, warmup_steps=0, kind="step")


def test_scheduler_drives_optimizer_lr() -> None:
    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([param], lr=1.0)
    sched = build_scheduler(opt, total_steps=4, warmup_ratio=0.5, kind="linear")
    seen = []
    for _ in range(4):
        seen.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    assert seen == pytest.approx([0.5, 1.0, 1.0, 0.5])
