"""``task: extraction``: the supervised entity + relation extractor (see ``.task``)."""

from kg_reasoner.tasks.extraction.task import (
    CONFIG_CLASS,
    TASK,
    ExtractionConfig,
    ExtractionTask,
    evaluate,
    load,
    train,
)

__all__ = [
    "CONFIG_CLASS", "TASK", "ExtractionConfig", "ExtractionTask", "evaluate", "load", "train",
]
