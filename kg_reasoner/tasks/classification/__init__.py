"""``task: classification``: text -> label by a fine-tuned LM, optionally fused with a GNN over
the subgraph of a knowledge graph retrieved for the text (see ``.task``)."""

from kg_reasoner.tasks.classification.config import ClassificationConfig
from kg_reasoner.tasks.classification.task import (
    CONFIG_CLASS,
    TASK,
    ClassificationTask,
    evaluate,
    load,
    predict_texts,
    train,
)

__all__ = [
    "CONFIG_CLASS", "TASK", "ClassificationConfig", "ClassificationTask", "evaluate", "load",
    "predict_texts", "train",
]
