"""Shared training machinery: configs, optimisation, schedules, checkpoints, logging."""

from kg_reasoner.training.checkpoint import load_model, save_model
from kg_reasoner.training.config import FreezeConfig, OptimConfig
from kg_reasoner.training.early_stopping import EarlyStopping

__all__ = ["EarlyStopping", "FreezeConfig", "OptimConfig", "load_model", "save_model"]
