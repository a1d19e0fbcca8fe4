"""``task: multiple_choice``: question + choices -> choice, by a fine-tuned LM scoring each
pair, optionally fused with a GNN over the KG subgraph joining question and choice (see
``.task``)."""

from kg_reasoner.tasks.multiple_choice.config import MultipleChoiceConfig
from kg_reasoner.tasks.multiple_choice.task import (
    CONFIG_CLASS,
    TASK,
    MultipleChoiceTask,
    evaluate,
    load,
    predict_choice,
    train,
)

__all__ = [
    "CONFIG_CLASS", "TASK", "MultipleChoiceConfig", "MultipleChoiceTask", "evaluate", "load",
    "predict_choice", "train",
]
