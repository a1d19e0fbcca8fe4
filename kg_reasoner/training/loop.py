"""A small generic training loop shared by every task: :func:`fit`.

What it does, per epoch: AdamW steps with warm-up + decay (``OptimConfig``), gradient clipping,
a tqdm bar showing the loss, evaluation through a callback, metrics to CSV + TensorBoard, the best
model saved with :func:`checkpoint.save_model`, the resumable state saved under ``output_dir/last``,
and early stopping on the callback's selection metric (higher is better).

Contract with the caller:

- ``model(**batch)`` returns an object with a ``.loss`` tensor (the batch carries the labels);
- ``train_data`` is re-iterable (e.g. a ``DataLoader``) or a function ``epoch -> iterable`` (use it
  to shuffle with a per-epoch seed); either way one full pass is one epoch;
- ``evaluate(model)`` returns a dict of floats containing ``select``;
- ``device`` (default cpu) is where the model and every training batch are moved;
- ``distributed`` (a :class:`~kg_reasoner.training.distributed.DistributedContext`, given by
  :func:`~kg_reasoner.training.task.run_task` under torchrun) wraps the model in DDP: ``train_data``
  is then this rank's shard, rank 0 evaluates and broadcasts the metrics (so early stopping
  decides the same everywhere), the logged train loss is the mean over ranks, and only rank 0
  writes ``output_dir``. Without it fit still writes nothing on a rank other than 0.

Resuming: when ``output_dir/last`` exists and ``resume`` is true, the model, optimizer, scheduler,
torch RNG, early-stopping state and history are restored and training continues at the next
epoch, so an interrupted run ends exactly where an uninterrupted one would.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn
from tqdm.auto import tqdm

from kg_reasoner.errors import ConfigError, ModelConfigError
from kg_reasoner.training.checkpoint import (
    has_training_state,
    load_training_state,
    save_model,
    save_training_state,
    write_json,
)
from kg_reasoner.training.config import OptimConfig
from kg_reasoner.training.device import move_to_device, resolve_device
from kg_reasoner.training.distributed import (
    DistributedContext,
    barrier,
    from_main,
    is_main_process,
    mean_across_ranks,
    rank_device,
    wrap_model,
)
from kg_reasoner.training.early_stopping import EarlyStopping
from kg_reasoner.training.metrics_log import MetricsLogger
from kg_reasoner.training.optim import build_adamw
from kg_reasoner.training.schedule import build_scheduler

Batch = dict[str, Any]
TrainData = Iterable[Batch] | Callable[[int], Iterable[Batch]]


@dataclass
class FitResult:
    """What :func:`fit` returns: the best validation metrics and how the run went."""

    best_metrics: dict[str, float]
    best_epoch: int
    epochs_run: int
    stopped_early: bool
    train_seconds: float
    history: list[dict[str, float]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, as written to ``fit_result.json``."""
        return asdict(self)


def fit(
    model: nn.Module,
    *,
    train_data: TrainData,
    evaluate: Callable[[nn.Module], dict[str, float]],
    optim: OptimConfig,
    output_dir: str | Path,
    config: dict[str, Any],
    vocab: dict[str, Any] | None = None,
    param_groups: list[tuple[nn.Module, float]] | None = None,
    select: str = "accuracy",
    steps_per_epoch: int | None = None,
    resume: bool = True,
    progress: bool = True,
    tensorboard: bool = True,
    device: str | torch.device | None = None,
    distributed: DistributedContext | None = None,
) -> FitResult:
    """Train ``model`` and keep the best epoch (by ``evaluate(model)[select]``) in ``output_dir``.

    ``param_groups`` is a list of ``(module, lr)``, e.g. ``[(task_layers, optim.lr),
    (language_model, optim.encoder_lr or optim.lr)]``; by default the whole model trains at
    ``optim.lr``. ``steps_per_epoch`` is needed only when ``train_data`` has no ``len()``.
    ``device`` ("cpu" by default, "cuda" when asked) receives the model and each batch.
    """
    ranks = distributed or DistributedContext()
    writes = ranks.is_main and is_main_process()
    target = rank_device(resolve_device(device), ranks)
    model.to(target)
    output_dir = Path(output_dir)
    if writes:
        output_dir.mkdir(parents=True, exist_ok=True)
    optimizer = build_adamw(param_groups or [(model, optim.lr)], weight_decay=optim.weight_decay)
    n_steps = steps_per_epoch if steps_per_epoch is not None else epoch_length(train_data)
    scheduler = build_scheduler(
        optimizer,
        total_steps=n_steps * optim.epochs,
        warmup_ratio=optim.warmup_ratio,
        kind=optim.schedule,
    )
    stopper = EarlyStopping(patience=optim.patience)
    loop: dict[str, Any] = {"epoch": 0, "history": [], "best_metrics": {}, "seconds": 0.0}
    # a rank > 0 outside DDP (a task's own fit in prepare, run on every rank) recomputes its
    # run rather than reading files rank 0 may be rewriting
    if resume and (writes or ranks.enabled) and has_training_state(output_dir):
        loop = load_training_state(
            output_dir, model=model, optimizer=optimizer, scheduler=scheduler
        )
        stopper.load_state_dict(loop["early_stopping"])
    elif writes and (output_dir / "metrics.csv").is_file():
        (output_dir / "metrics.csv").unlink()  # a fresh run does not append to a stale log
    if ranks.enabled and from_main(loop["epoch"] if ranks.is_main else None, ranks) != loop[
        "epoch"
    ]:
        raise ConfigError(
            f"rank {ranks.rank} resumes at another epoch than rank 0: put output_dir on a "
            "filesystem every node shares, or train with --no-resume"
        )
    trained = wrap_model(model, target, ranks)  # after loading, so every rank starts equal
    logger = MetricsLogger(output_dir, tensorboard=tensorboard) if writes else None
    try:
        while loop["epoch"] < optim.epochs and not loop.get("stopped_early", False):
            epoch = loop["epoch"]
            started = time.perf_counter()
            train_loss = mean_across_ranks(_train_epoch(
                trained, _batches(train_data, epoch), optimizer, scheduler,
                grad_clip=optim.grad_clip, total=n_steps, desc=f"epoch {epoch + 1}/{optim.epochs}",
                progress=progress and writes, device=target,
            ), ranks)
            loop["seconds"] += time.perf_counter() - started
            metrics = from_main(_main_metrics(model, evaluate, select, ranks), ranks)
            row = {"epoch": epoch + 1, "train_loss": train_loss,
                   "lr": scheduler.get_last_lr()[0], **{f"val_{k}": v for k, v in metrics.items()}}
            if logger is not None:
                logger.log(epoch + 1, row)
            loop["history"].append(row)
            if stopper.step(metrics[select], epoch + 1):
                loop["best_metrics"] = metrics
                if writes:
                    save_model(output_dir, _state_of(model), config, vocab)
            loop["epoch"] = epoch + 1
            loop["stopped_early"] = stopper.should_stop
            loop["early_stopping"] = stopper.state_dict()
            if writes:
                save_training_state(
                    output_dir, model_state=_state_of(model), optimizer=optimizer,
                    scheduler=scheduler, loop_state=loop,
                )
    finally:
        if logger is not None:
            logger.close()
    result = FitResult(
        best_metrics=dict(loop["best_metrics"]),
        best_epoch=stopper.best_epoch,
        epochs_run=int(loop["epoch"]),
        stopped_early=bool(loop.get("stopped_early", False)),
        train_seconds=float(loop["seconds"]),
        history=list(loop["history"]),
    )
    if writes:
        write_json(output_dir / "fit_result.json", result.to_dict())
    barrier(ranks)  # the other ranks return once rank 0's files are written
    return result


def _main_metrics(
    model: nn.Module,
    evaluate: Callable[[nn.Module], dict[str, float]],
    select: str,
    ranks: DistributedContext,
) -> dict[str, float] | None:
    """The validation metrics on rank 0 (None on the others, which receive rank 0's)."""
    return _checked_metrics(evaluate(model), select) if ranks.is_main else None


def _train_epoch(
    model: nn.Module,
    batches: Iterable[Batch],
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    *,
    grad_clip: float,
    total: int,
    desc: str,
    progress: bool,
    device: torch.device,
) -> float:
    """One pass over the training batches; returns the mean loss."""
    model.train()
    params = [p for group in optimizer.param_groups for p in group["params"]]
    total_loss, count = 0.0, 0
    bar = tqdm(batches, total=total, desc=desc, disable=not progress, leave=False)
    for batch in bar:
        loss = model(**move_to_device(batch, device)).loss
        if loss is None:
            raise ModelConfigError("the model returned no loss: does the batch carry its labels?")
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(params, grad_clip)
        optimizer.step()
        scheduler.step()
        total_loss += float(loss.detach())
        count += 1
        bar.set_postfix(loss=f"{total_loss / count:.4f}")
    bar.close()
    return total_loss / max(count, 1)


def _batches(train_data: TrainData, epoch: int) -> Iterable[Batch]:
    return train_data(epoch) if callable(train_data) else train_data


def epoch_length(train_data: TrainData) -> int:
    """Batches in one epoch of ``train_data`` (its ``len()``; a ModelConfigError without one)."""
    try:
        return len(_batches(train_data, 0))  # type: ignore[arg-type]
    except TypeError as exc:
        raise ModelConfigError("train_data has no len(): pass steps_per_epoch") from exc


def _checked_metrics(metrics: dict[str, float], select: str) -> dict[str, float]:
    if select not in metrics:
        raise ModelConfigError(f"evaluate() returned {sorted(metrics)}; it must include {select!r}")
    return {k: float(v) for k, v in metrics.items()}


def _state_of(model: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v for k, v in model.state_dict().items()}
