"""Where fit runs: device names are checked, batches are moved there."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import torch

from kg_reasoner.errors import ConfigError
from kg_reasoner.training.device import model_device, move_to_device, resolve_device


def test_default_device_is_cpu() -> None:
    assert resolve_device(None) == torch.device("cpu")
    assert resolve_device("cpu") == torch.device("cpu")


def test_unknown_device_is_a_config_error_naming_the_choices() -> None:
    with pytest.raises(ConfigError, match="'cpu', 'cuda'"):
        resolve_device("gpu0")


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message without CUDA")
def test_cuda_without_cuda_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="CUDA is not available"):
        resolve_device("cuda")


@dataclass
class _Inputs:
    ids: torch.Tensor
    width: int


def test_move_to_device_walks_dicts_lists_and_dataclasses() -> None:
    batch = {"x": torch.ones(2), "nested": [torch.zeros(1), "keep"], "inputs": _Inputs(
        torch.arange(3), 3), "flag": True}
    moved = move_to_device(batch, torch.device("meta"))
    assert moved["x"].device.type == "meta"
    assert moved["nested"][0].device.type == "meta" and moved["nested"][1] == "keep"
    assert moved["inputs"].ids.device.type == "meta" and moved["inputs"].width == 3
    assert moved["flag"] is True


def test_model_device_is_where_the_parameters_are() -> None:
    assert model_device(torch.nn.Linear(2, 2)) == torch.device("cpu")
    assert model_device(torch.nn.Linear(2, 2, device="meta")) == torch.device("meta")
    assert model_device(torch.nn.ReLU()) == torch.device("cpu")


def test_move_to_device_keeps_a_dataclass_already_on_the_device() -> None:
    inputs = _Inputs(torch.arange(3), 3)
    assert move_to_device(inputs, torch.device("cpu")) is inputs
    assert move_to_device(inputs, torch.device("meta")) is not inputs
