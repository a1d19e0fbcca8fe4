"""``task: kgqa``: multi-hop question answering over a KB (see ``.task``)."""

from kg_reasoner.tasks.kgqa.task import (
    CONFIG_CLASS,
    TASK,
    KGQATask,
    evaluate,
    load,
    load_reasoner,
    load_splits,
    train,
)

__all__ = [
    "CONFIG_CLASS", "TASK", "KGQATask", "evaluate", "load", "load_reasoner", "load_splits",
    "train",
]
