"""Checkpoints: safetensors + JSON round trips, resumable state, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from kg_reasoner.errors import ModelLoadError
from kg_reasoner.training.checkpoint import (
    has_training_state,
    load_model,
    load_training_state,
    save_model,
    save_training_state,
)


def test_model_round_trip_without_pickles(tmp_path: Path) -> None:
    state = {"w": torch.arange(6.0).view(2, 3)}
    save_model(tmp_path, state, {"hidden": 3}, {"labels": ["x"]})
    loaded, config, vocab = load_model(tmp_path)
    assert torch.equal(loaded["w"], state["w"])
    assert config == {"hidden": 3} and vocab == {"labels": ["x"]}
    assert not list(tmp_path.glob("*.pt")) and not list(tmp_path.glob("*.bin"))


def test_missing_checkpoint_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="kgr train"):
        load_model(tmp_path)


def test_training_state_restores_optimizer_and_rng(tmp_path: Path) -> None:
    model = torch.nn.Linear(2, 1)
    opt = torch.optim.AdamW(model.parameters(), lr=0.1)
    model(torch.ones(1, 2)).sum().backward()
    opt.step()
    save_training_state(tmp_path, model_state=model.state_dict(), optimizer=opt, scheduler=None,
                        loop_state={"epoch": 2})
    expected_draw = torch.rand(3)
    assert has_training_state(tmp_path)
    fresh = torch.nn.Linear(2, 1)
    fresh_opt = torch.optim.AdamW(fresh.parameters(), lr=0.1)
    loop = load_training_state(tmp_path, model=fresh, optimizer=fresh_opt, scheduler=None)
    assert loop == {"epoch": 2}
    assert torch.equal(fresh.weight, model.weight)
    assert fresh_opt.state_dict()["state"][0]["step"] == opt.state_dict()["state"][0]["step"]
    assert torch.equal(torch.rand(3), expected_draw)
