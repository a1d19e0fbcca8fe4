"""Checkpoints as plain files: safetensors for tensors, JSON for everything else (no pickles).

A run directory holds the best model (``model.safetensors``, ``config.json``, ``vocab.json``) and,
under ``last/``, what is needed to resume an interrupted run (model, optimizer, scheduler and
loop state). Files are written to a temporary name and renamed, so a killed run never leaves a
half-written checkpoint.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file

from kg_reasoner.errors import ModelLoadError

MODEL_FILE = "model.safetensors"
CONFIG_FILE = "config.json"
VOCAB_FILE = "vocab.json"
LAST_DIR = "last"


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (temporary file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


def _write_tensors(path: Path, tensors: dict[str, torch.Tensor]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    save_file({k: v.detach().cpu().contiguous().clone() for k, v in tensors.items()}, str(tmp))
    os.replace(tmp, path)


def save_model(
    directory: str | Path,
    state_dict: dict[str, torch.Tensor],
    config: dict[str, Any],
    vocab: dict[str, Any] | None = None,
) -> Path:
    """Save model weights, its JSON config and label vocabularies into ``directory``."""
    directory = Path(directory)
    _write_tensors(directory / MODEL_FILE, state_dict)
    write_json(directory / CONFIG_FILE, config)
    write_json(directory / VOCAB_FILE, vocab or {})
    return directory


def load_model(
    directory: str | Path,
) -> tuple[dict[str, torch.Tensor], dict[str, Any], dict[str, Any]]:
    """Load ``(state_dict, config, vocab)`` saved by :func:`save_model`."""
    directory = Path(directory)
    weights = directory / MODEL_FILE
    if not weights.is_file():
        raise ModelLoadError(
            f"no checkpoint in {directory}: expected {MODEL_FILE}, {CONFIG_FILE} and {VOCAB_FILE} "
            "(train one with `kgr train CONFIG`)"
        )
    try:
        state = load_file(str(weights))
        config = json.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
        vocab_path = directory / VOCAB_FILE
        vocab = json.loads(vocab_path.read_text(encoding="utf-8")) if vocab_path.is_file() else {}
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"checkpoint in {directory} is unreadable: {exc}") from exc
    return state, config, vocab


def save_training_state(
    directory: str | Path,
    *,
    model_state: dict[str, torch.Tensor],
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None,
    loop_state: dict[str, Any],
) -> Path:
    """Save everything needed to resume under ``directory/last``."""
    last = Path(directory) / LAST_DIR
    opt_state = optimizer.state_dict()
    tensors: dict[str, torch.Tensor] = {f"model.{k}": v for k, v in model_state.items()}
    scalars: dict[str, dict[str, Any]] = {}
    for pid, pstate in opt_state["state"].items():
        for name, value in pstate.items():
            if isinstance(value, torch.Tensor):
                tensors[f"optim.{pid}.{name}"] = value
            else:
                scalars.setdefault(str(pid), {})[name] = value
    _write_tensors(last / "state.safetensors", tensors)
    write_json(
        last / "trainer_state.json",
        {
            "param_groups": opt_state["param_groups"],
            "optimizer_scalars": scalars,
            "scheduler": scheduler.state_dict() if scheduler is not None else None,
            "loop": loop_state,
            "rng": {"torch": torch.get_rng_state().tolist()},
        },
    )
    return last


def has_training_state(directory: str | Path) -> bool:
    last = Path(directory) / LAST_DIR
    return (last / "state.safetensors").is_file() and (last / "trainer_state.json").is_file()


def load_training_state(
    directory: str | Path,
    *,
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None,
) -> dict[str, Any]:
    """Restore model, optimizer and scheduler from ``directory/last``; returns the loop state."""
    last = Path(directory) / LAST_DIR
    tensors = load_file(str(last / "state.safetensors"))
    meta = json.loads((last / "trainer_state.json").read_text(encoding="utf-8"))
    model.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
    state: dict[int, dict[str, Any]] = {}
    for key, value in tensors.items():
        if key.startswith("optim."):
            _, pid, name = key.split(".", 2)
            state.setdefault(int(pid), {})[name] = value
    for pid, scalars in meta["optimizer_scalars"].items():
        state.setdefault(int(pid), {}).update(scalars)
    optimizer.load_state_dict({"state": state, "param_groups": meta["param_groups"]})
    if scheduler is not None and meta.get("scheduler") is not None:
        scheduler.load_state_dict(meta["scheduler"])
    torch.set_rng_state(torch.tensor(meta["rng"]["torch"], dtype=torch.uint8))
    return dict(meta["loop"])
