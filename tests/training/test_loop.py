"""The generic training loop: learns, saves the best model, resumes exactly, is deterministic."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import torch
from torch import nn

from kg_reasoner.training.checkpoint import has_training_state, load_model
from kg_reasoner.training.config import OptimConfig
from kg_reasoner.training.loop import fit
from kg_reasoner.training.seed import seed_everything


@dataclass
class TinyOutput:
    logits: torch.Tensor
    loss: torch.Tensor | None = None


class TinyClassifier(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 3))

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> TinyOutput:
        logits = self.net(x)
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return TinyOutput(logits=logits, loss=loss)


def _data() -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(96, 4, generator=gen)
    y = (x[:, 0] > 0).long() + (x[:, 1] > 0.5).long()
    return x, y


def _batches(epoch: int) -> list[dict[str, torch.Tensor]]:
    x, y = _data()
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(epoch))
    return [{"x": x[order[i : i + 16]], "labels": y[order[i : i + 16]]} for i in range(0, 96, 16)]


def _evaluate(model: nn.Module) -> dict[str, float]:
    x, y = _data()
    model.eval()
    with torch.no_grad():
        out = model(x, labels=y)
    return {"accuracy": float((out.logits.argmax(-1) == y).float().mean()), "loss": float(out.loss)}


def _run(out: Path, epochs: int, **kwargs: object) -> tuple[TinyClassifier, object]:
    seed_everything(3)
    kwargs.setdefault("evaluate", _evaluate)
    model = TinyClassifier()
    optim = OptimConfig(lr=0.05, epochs=epochs, patience=0, warmup_ratio=0.1)
    result = fit(
        model, train_data=_batches, optim=optim, output_dir=out,
        config={"task": "tiny"}, vocab={"labels": ["a", "b", "c"]}, progress=False,
        tensorboard=False, **kwargs,  # type: ignore[arg-type]
    )
    return model, result


def test_fit_reduces_loss_and_saves_best_model(tmp_path: Path) -> None:
    _, result = _run(tmp_path, epochs=6)
    losses = [row["train_loss"] for row in result.history]
    assert losses[-1] < losses[0]
    assert result.best_metrics["accuracy"] > 0.8
    state, config, vocab = load_model(tmp_path)
    assert config == {"task": "tiny"} and vocab["labels"] == ["a", "b", "c"]
    reloaded = TinyClassifier()
    reloaded.load_state_dict(state)
    assert _evaluate(reloaded)["accuracy"] == pytest.approx(result.best_metrics["accuracy"])
    assert (tmp_path / "metrics.csv").read_text().count("\n") == 7
    assert has_training_state(tmp_path)


def test_resume_continues_at_next_epoch_and_matches_uninterrupted_run(tmp_path: Path) -> None:
    full_model, full = _run(tmp_path / "full", epochs=4)
    calls = []

    def interrupting_evaluate(model: nn.Module) -> dict[str, float]:
        calls.append(1)
        if len(calls) == 3:  # killed during the third epoch's evaluation
            raise KeyboardInterrupt
        return _evaluate(model)

    with pytest.raises(KeyboardInterrupt):
        _run(tmp_path / "cut", epochs=4, evaluate=interrupting_evaluate)
    resumed_model, resumed = _run(tmp_path / "cut", epochs=4)
    assert [r["epoch"] for r in resumed.history] == [1, 2, 3, 4]
    assert resumed.epochs_run == 4
    for key, value in full_model.state_dict().items():
        torch.testing.assert_close(resumed_model.state_dict()[key], value)
    assert resumed.history[-1]["train_loss"] == pytest.approx(full.history[-1]["train_loss"])


def test_no_resume_starts_from_scratch(tmp_path: Path) -> None:
    _run(tmp_path, epochs=2)
    _, result = _run(tmp_path, epochs=1, resume=False)
    assert [r["epoch"] for r in result.history] == [1]


def test_same_seed_gives_identical_weights(tmp_path: Path) -> None:
    first, _ = _run(tmp_path / "a", epochs=2)
    second, _ = _run(tmp_path / "b", epochs=2)
    for key, value in first.state_dict().items():
        assert torch.equal(second.state_dict()[key], value)


def test_early_stopping_stops_when_metric_stalls(tmp_path: Path) -> None:
    seed_everything(0)
    model = TinyClassifier()
    optim = OptimConfig(lr=0.05, epochs=20, patience=2)
    result = fit(
        model, train_data=_batches, evaluate=lambda m: {"accuracy": 0.5}, optim=optim,
        output_dir=tmp_path, config={}, progress=False, tensorboard=False,
    )
    assert result.stopped_early and result.epochs_run == 3 and result.best_epoch == 1


def test_missing_selection_metric_is_reported(tmp_path: Path) -> None:
    model = TinyClassifier()
    with pytest.raises(ValueError, match="accuracy"):
        fit(
            model, train_data=_batches, evaluate=lambda m: {"f1": 1.0},
            optim=OptimConfig(epochs=1), output_dir=tmp_path, config={}, progress=False,
            tensorboard=False,
        )


def test_param_groups_get_their_own_learning_rates(tmp_path: Path) -> None:
    model = TinyClassifier()
    groups = [(model.net[0], 0.0), (model.net[3], 0.05)]
    before = model.net[0].weight.detach().clone()
    fit(
        model, train_data=_batches, evaluate=_evaluate, optim=OptimConfig(epochs=1),
        output_dir=tmp_path, config={}, param_groups=groups, progress=False, tensorboard=False,
    )
    assert torch.equal(model.net[0].weight, before)


def test_explicit_cpu_device_trains_exactly_like_the_default(tmp_path: Path) -> None:
    default_model, default = _run(tmp_path / "default", epochs=2)
    cpu_model, on_cpu = _run(tmp_path / "cpu", epochs=2, device="cpu")
    assert [r["train_loss"] for r in on_cpu.history] == [r["train_loss"] for r in default.history]
    for key, value in cpu_model.state_dict().items():
        assert value.device.type == "cpu" and torch.equal(value, default_model.state_dict()[key])


def test_unknown_device_is_a_config_error(tmp_path: Path) -> None:
    from kg_reasoner.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown device"):
        _run(tmp_path, epochs=1, device="quantum")
