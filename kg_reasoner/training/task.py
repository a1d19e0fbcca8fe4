"""The one task contract (:class:`Task`) and the one runner every task trains through.

A task reads its data and builds features (:meth:`Task.prepare`), builds its model, yields
training batches that the model turns into a loss (``model(**batch).loss``, the batch carries
the labels), scores the model on validation data (:meth:`Task.evaluate`, which must include
the selection metric named by :attr:`FitPlan.select`), predicts on new inputs, and may finish
the run after training (:meth:`Task.post_fit`, e.g. kgqa's answer-threshold selection).
:func:`run_task` strings these together around :func:`kg_reasoner.training.loop.fit` and returns
a :class:`TrainResult`.

Under ``torchrun`` the runner joins the process group (:mod:`kg_reasoner.training.distributed`),
gives :func:`fit` this rank's shard of the task's batches, and runs :meth:`Task.post_fit` and
writes ``result.json`` on rank 0 only (every rank returns rank 0's result). Every rank runs
:meth:`Task.prepare`; the files a task writes there are written by rank 0 only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

import torch
from torch import nn

from kg_reasoner.config import StrictModel
from kg_reasoner.errors import ModelConfigError
from kg_reasoner.training.device import resolve_device
from kg_reasoner.training.distributed import (
    DistributedContext,
    from_main,
    init_distributed,
    shard_steps,
    shard_train_data,
    shutdown_distributed,
)
from kg_reasoner.training.loop import FitResult, TrainData, epoch_length, fit
from kg_reasoner.training.result import TrainResult
from kg_reasoner.training.seed import seed_everything

T = TypeVar("T")


@dataclass
class FitPlan:
    """How the runner calls :func:`fit` for a task's model.

    ``checkpoint_config`` and ``vocab`` are saved with the best model (``config.json``,
    ``vocab.json``); ``param_groups`` are ``(module, lr)`` pairs (default: the whole model at
    ``training.lr``); ``steps_per_epoch`` is needed when the training data has no ``len()``.
    """

    select: str
    checkpoint_config: dict[str, Any]
    vocab: dict[str, Any] | None = None
    param_groups: list[tuple[nn.Module, float]] | None = None
    steps_per_epoch: int | None = None
    progress: bool = True


@runtime_checkable
class Task(Protocol):
    """What every trainable task implements (one instance per run: it holds the prepared data).

    The config is a :class:`StrictModel` with at least ``output_dir`` and ``training`` (an
    :class:`~kg_reasoner.training.config.OptimConfig`).
    """

    name: str
    config_class: type[StrictModel]

    def prepare(self, config: Any, *, resume: bool) -> None:
        """Read the data and compute what the model needs (runs after seeding)."""
        ...

    def build_model(self) -> nn.Module:
        """A fresh model whose ``forward(**batch)`` returns an object with ``.loss``."""
        ...

    def train_data(self) -> TrainData:
        """Training batches: re-iterable, or ``epoch -> iterable`` for per-epoch shuffling."""
        ...

    def fit_plan(self, model: nn.Module) -> FitPlan:
        """Selection metric, checkpoint metadata and parameter groups for :func:`fit`."""
        ...

    def evaluate(self, model: nn.Module) -> dict[str, float]:
        """Validation scores of ``model`` (higher ``select`` is better)."""
        ...

    def predict(self, model: nn.Module, inputs: Any) -> list[Any]:
        """Predictions of ``model`` for task inputs (e.g. questions, stories, sentences)."""
        ...

    def post_fit(self, model: nn.Module, fit_result: FitResult) -> dict[str, Any]:
        """After training: final steps and the run's metrics (return ``fit_result.best_metrics``
        when there is nothing to add)."""
        ...


def prepared(value: T | None, step: str) -> T:
    """``value``, which a task sets in an earlier step; a clear error if that step did not run."""
    if value is None:
        raise ModelConfigError(f"{step} must run first")
    return value


def run_task(
    task: Task,
    config: Any,
    *,
    resume: bool = True,
    device: str | torch.device | None = None,
) -> TrainResult:
    """Seed, prepare, build, :func:`fit`, run the post-fit hook; save and return the result.

    ``resume`` continues an interrupted run in ``config.output_dir``; ``device`` overrides the
    config's ``training.device`` (auto, cpu or cuda). ``result.json`` is written next to the
    checkpoint. Under torchrun this is one rank of a DistributedDataParallel run.
    """
    opt = config.training
    target = resolve_device(device if device is not None else opt.device)
    ranks = init_distributed(target)
    try:
        return _run(task, config, resume=resume, device=target, ranks=ranks)
    finally:
        shutdown_distributed(ranks)


def _run(
    task: Task, config: Any, *, resume: bool, device: torch.device, ranks: DistributedContext
) -> TrainResult:
    opt = config.training
    seed_everything(opt.seed, deterministic=opt.deterministic, num_threads=opt.num_threads)
    task.prepare(config, resume=resume)
    model = task.build_model()
    plan = task.fit_plan(model)
    output_dir = Path(config.output_dir)
    train_data, steps = task.train_data(), plan.steps_per_epoch
    if ranks.enabled:  # this rank's shard of every epoch, the same number of steps on each
        num_batches = steps if steps is not None else epoch_length(train_data)
        train_data, steps = shard_train_data(train_data, num_batches, ranks), shard_steps(
            num_batches, ranks
        )
    fitted = fit(
        model,
        train_data=train_data,
        evaluate=task.evaluate,
        optim=opt,
        output_dir=output_dir,
        config=plan.checkpoint_config,
        vocab=plan.vocab,
        param_groups=plan.param_groups,
        select=plan.select,
        steps_per_epoch=steps,
        resume=resume,
        progress=plan.progress,
        device=device,
        distributed=ranks,
    )
    metrics = task.post_fit(model, fitted) if ranks.is_main else None
    result = TrainResult(
        task=task.name,
        output_dir=output_dir,
        metrics=from_main(metrics, ranks),
        fit=fitted,
    )
    if ranks.is_main:
        result.save_to_directory()
    return result
