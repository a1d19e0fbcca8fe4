"""Training under ``torchrun``: the process group, the rank's shard of each epoch's batches,
and what ranks agree on (metrics, the early-stopping decision, who writes files).

``torchrun --nproc_per_node=N -m kg_reasoner train CONFIG`` starts N processes with ``RANK``,
``WORLD_SIZE``, ``LOCAL_RANK`` and ``MASTER_ADDR``/``MASTER_PORT`` set; :func:`init_distributed`
reads them and joins the group (gloo on cpu, nccl on cuda). Without those variables everything
here is a no-op and training runs as one process, exactly as before.

Rank ``r`` of ``W`` trains on batches ``r, r + W, r + 2W, ...`` of each epoch (the task's batches,
which every rank produces in the same order from the same seed); the last ``n mod W`` batches of
an epoch are dropped so every rank takes the same number of steps. ``training.batch_size`` is the
batch of one rank: DDP averages gradients over ranks, so W ranks at batch ``b`` step like one
process at batch ``W * b`` (for losses that are batch means).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import torch
import torch.distributed as dist
from torch import nn

from kg_reasoner.errors import ConfigError

T = TypeVar("T")

_ENV = ("RANK", "WORLD_SIZE", "LOCAL_RANK")


@dataclass(frozen=True)
class DistributedContext:
    """This process's place in the run: ``rank`` of ``world_size`` (``local_rank`` on its node).

    ``owns_group`` is true when :func:`init_distributed` created the process group (and so
    :func:`shutdown_distributed` destroys it).
    """

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    owns_group: bool = False

    @property
    def enabled(self) -> bool:
        """True with more than one process: DDP, sharding and reductions are on."""
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        """Rank 0: the process that evaluates and writes the run directory."""
        return self.rank == 0


def launched_by_torchrun() -> bool:
    """True when torchrun's ``RANK``/``WORLD_SIZE``/``LOCAL_RANK`` are all set."""
    return all(name in os.environ for name in _ENV)


def is_main_process() -> bool:
    """Rank 0 of the current group, or of torchrun's environment; True for a plain process.

    Guards every file a run writes, including those written before or after ``fit``.
    """
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank() == 0
    return os.environ.get("RANK", "0") == "0"


def init_distributed(device: torch.device) -> DistributedContext:
    """Join torchrun's process group (gloo for cpu, nccl for cuda); a one-process context when
    not launched by torchrun. An already initialised group is used as it is."""
    if dist.is_available() and dist.is_initialized():
        return DistributedContext(
            rank=dist.get_rank(), world_size=dist.get_world_size(),
            local_rank=int(os.environ.get("LOCAL_RANK", "0")),
        )
    if not launched_by_torchrun():
        return DistributedContext()
    world_size = int(os.environ["WORLD_SIZE"])
    if world_size <= 1:
        return DistributedContext()
    if not dist.is_available():
        raise ConfigError("this torch build has no torch.distributed: run without torchrun")
    backend = "nccl" if device.type == "cuda" else "gloo"
    if device.type == "cuda":
        torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    dist.init_process_group(backend=backend)
    return DistributedContext(
        rank=dist.get_rank(), world_size=dist.get_world_size(),
        local_rank=int(os.environ["LOCAL_RANK"]), owns_group=True,
    )


def shutdown_distributed(context: DistributedContext) -> None:
    """Destroy the process group if ``context`` created it (after a last barrier)."""
    if context.owns_group and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def rank_device(device: torch.device, context: DistributedContext) -> torch.device:
    """``cuda`` becomes ``cuda:LOCAL_RANK`` under torchrun (one GPU per process); cpu stays."""
    if context.enabled and device.type == "cuda" and device.index is None:
        return torch.device("cuda", context.local_rank)
    return device


def wrap_model(model: nn.Module, device: torch.device, context: DistributedContext) -> nn.Module:
    """``model`` in DistributedDataParallel when distributed (it broadcasts rank 0's weights),
    else ``model`` itself. Unused parameters are allowed, since some tasks' models skip
    branches for some batches."""
    if not context.enabled:
        return model
    device_ids = None if device.type != "cuda" else [device.index or 0]
    return nn.parallel.DistributedDataParallel(
        model, device_ids=device_ids, find_unused_parameters=True
    )


def shard_steps(num_batches: int, context: DistributedContext) -> int:
    """Steps each rank takes in an epoch of ``num_batches`` batches (the tail is dropped)."""
    if not context.enabled:
        return num_batches
    steps = num_batches // context.world_size
    if steps == 0:
        raise ConfigError(
            f"an epoch has {num_batches} batch(es) for {context.world_size} ranks: lower "
            "training.batch_size or run with fewer processes (--nproc_per_node)"
        )
    return steps


def shard_batches(
    batches: Iterable[T], num_batches: int, context: DistributedContext
) -> Iterator[T]:
    """This rank's disjoint share of one epoch's ``batches``: every ``world_size``-th batch,
    starting at ``rank``, up to :func:`shard_steps` of them."""
    if not context.enabled:
        yield from batches
        return
    keep = shard_steps(num_batches, context) * context.world_size
    for index, batch in enumerate(batches):
        if index >= keep:
            break
        if index % context.world_size == context.rank:
            yield batch


def shard_train_data(
    train_data: Iterable[T] | Callable[[int], Iterable[T]],
    num_batches: int,
    context: DistributedContext,
) -> Iterable[T] | Callable[[int], Iterable[T]]:
    """``train_data`` (re-iterable or ``epoch -> iterable``) as this rank's ``epoch ->`` shard;
    unchanged for one process.

    Each epoch starts from rank 0's torch RNG state on every rank, so a task that shuffles
    with the global RNG (kgqa's ``torch.randperm``) produces the same order everywhere and the
    shards stay disjoint.
    """
    if not context.enabled:
        return train_data

    def epoch_shard(epoch: int) -> Iterator[T]:
        sync_rng_state(context)
        batches = train_data(epoch) if callable(train_data) else train_data
        return shard_batches(batches, num_batches, context)

    return epoch_shard


def sync_rng_state(context: DistributedContext) -> None:
    """Set the torch (cpu) RNG of every rank to rank 0's."""
    if context.enabled:
        state = torch.get_rng_state()
        dist.broadcast(state, src=0)
        torch.set_rng_state(state)


def mean_across_ranks(value: float, context: DistributedContext) -> float:
    """The mean of ``value`` over ranks (``value`` itself for one process)."""
    if not context.enabled:
        return value
    tensor = torch.tensor([value], dtype=torch.float64)
    dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
    return float(tensor.item()) / context.world_size


def from_main(value: T | None, context: DistributedContext) -> T:
    """Rank 0's ``value`` on every rank (rank 0 computes it, the others pass None)."""
    if not context.enabled:
        assert value is not None
        return value
    box: list[Any] = [value if context.is_main else None]
    dist.broadcast_object_list(box, src=0)
    return box[0]  # type: ignore[no-any-return]


def barrier(context: DistributedContext) -> None:
    """Wait for every rank (nothing for one process)."""
    if context.enabled:
        dist.barrier()
