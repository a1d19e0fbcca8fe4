"""CLUTRR kinship reasoning: story -> extracted graph -> GNN (+ LM) -> relation of a query pair.

The task module of ``task: clutrr`` configs (see kg_reasoner.tasks).
"""

from kg_reasoner.tasks.clutrr.config import ClutrrConfig
from kg_reasoner.tasks.clutrr.inference import predict
from kg_reasoner.tasks.clutrr.task import TASK, ClutrrTask, evaluate, load, train

CONFIG_CLASS = ClutrrConfig

__all__ = [
    "CONFIG_CLASS", "TASK", "ClutrrConfig", "ClutrrTask", "evaluate", "load", "predict", "train",
]
