"""A tiny regression task trained through :func:`run_task`, run by the distributed tests as a
script: under ``torchrun --nproc_per_node=2`` (each rank trains its shard) or as one process.

``python ddp_worker.py OUTPUT_DIR BATCH_SIZE PARAMS_DIR`` trains, then each rank writes its
final parameters to ``PARAMS_DIR/rank<R>.safetensors``.
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import save_file
from torch import nn

from kg_reasoner.config import StrictModel
from kg_reasoner.training.config import OptimConfig
from kg_reasoner.training.loop import FitResult
from kg_reasoner.training.task import FitPlan, run_task

SAMPLES = 32


class TinyConfig(StrictModel):
    output_dir: str
    training: OptimConfig


@dataclass
class TinyOutput:
    loss: torch.Tensor | None


class TinyRegressor(nn.Module):
    """Two linear layers; loss = mean squared error over the batch."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = nn.Linear(4, 8)
        self.out = nn.Linear(8, 1)

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> TinyOutput:
        pred = self.out(torch.tanh(self.hidden(x))).squeeze(-1)
        return TinyOutput(loss=None if y is None else ((pred - y) ** 2).mean())


class TinyTask:
    name = "tiny"
    config_class = TinyConfig

    def prepare(self, config: TinyConfig, *, resume: bool) -> None:
        self.config = config
        data = torch.Generator().manual_seed(0)
        self.x = torch.randn(SAMPLES, 4, generator=data)
        self.y = self.x @ torch.tensor([0.5, -1.0, 2.0, 0.3]) + 0.1

    def build_model(self) -> nn.Module:
        self.model = TinyRegressor()  # kept: the worker saves its final parameters
        return self.model

    def train_data(self) -> Callable[[int], Iterator[dict[str, torch.Tensor]]]:
        size, seed = self.config.training.batch_size, self.config.training.seed

        def batches(epoch: int) -> Iterator[dict[str, torch.Tensor]]:
            order = list(range(SAMPLES))
            random.Random(seed + epoch).shuffle(order)
            for s in range(0, SAMPLES, size):
                rows = order[s : s + size]
                yield {"x": self.x[rows], "y": self.y[rows]}

        return batches

    def fit_plan(self, model: nn.Module) -> FitPlan:
        size = self.config.training.batch_size
        return FitPlan(select="neg_mse", checkpoint_config={"task": "tiny"},
                       steps_per_epoch=-(-SAMPLES // size), progress=False)

    @torch.no_grad()
    def evaluate(self, model: nn.Module) -> dict[str, float]:
        loss = model(x=self.x, y=self.y).loss
        assert loss is not None
        return {"neg_mse": -float(loss)}

    def predict(self, model: nn.Module, inputs: Any) -> list[Any]:
        return []

    def post_fit(self, model: nn.Module, fit_result: FitResult) -> dict[str, Any]:
        return dict(fit_result.best_metrics)


def main(output_dir: str, batch_size: int, params_dir: str) -> None:
    config = TinyConfig(output_dir=output_dir, training=OptimConfig(
        lr=0.05, epochs=3, batch_size=batch_size, warmup_ratio=0.0, patience=0,
        num_threads=1, device="cpu",
    ))
    task = TinyTask()
    result = run_task(task, config)
    rank = os.environ.get("RANK", "0")
    Path(params_dir).mkdir(parents=True, exist_ok=True)
    final = {k: v.detach().contiguous() for k, v in task.model.state_dict().items()}
    save_file(final, str(Path(params_dir) / f"rank{rank}.safetensors"))
    print(f"rank {rank} metrics {result.metrics} epochs {result.fit.epochs_run}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
