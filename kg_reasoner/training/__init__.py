"""Shared training machinery: the Task contract and its runner, the loop, TrainResult, configs,
optimisation, schedules, checkpoints, logging."""

from kg_reasoner.training.checkpoint import load_model, save_model
from kg_reasoner.training.config import FreezeConfig, OptimConfig
from kg_reasoner.training.early_stopping import EarlyStopping
from kg_reasoner.training.loop import FitResult, fit
from kg_reasoner.training.result import TrainResult
from kg_reasoner.training.task import FitPlan, Task, run_task

__all__ = [
    "EarlyStopping",
    "FitPlan",
    "FitResult",
    "FreezeConfig",
    "OptimConfig",
    "Task",
    "TrainResult",
    "fit",
    "load_model",
    "run_task",
    "save_model",
]
