"""The ``classification`` task: a text -> one of the labels of the training file.

Without a graph this is the classic BERT fine-tuning recipe: a sequence classifier (pooled LM
output, dropout, linear) on any Hugging Face encoder, AdamW with warm-up and linear decay,
early stopping on dev accuracy, the freezing policy of ``encoder.freeze``, and scikit-learn's
per-class report on dev and test. With ``graph:`` each text is grounded in the knowledge graph
and a GNN over its subgraph is fused with the LM (``model.fusion``). ``training.adversarial``
adds FGM on the word embeddings in both cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from torch import nn

from kg_reasoner.errors import DataFormatError
from kg_reasoner.tasks.classification.collate import to_example
from kg_reasoner.tasks.classification.config import ClassificationConfig
from kg_reasoner.tasks.classification.data import LabelledText, read_labelled_texts
from kg_reasoner.tasks.classification.metrics import classification_scores
from kg_reasoner.tasks.text_graph.examples import ScoredExample
from kg_reasoner.tasks.text_graph.task_base import (
    TextGraphTask,
    evaluate_run,
    load_scorer,
    loaded_task,
)
from kg_reasoner.training.result import TrainResult
from kg_reasoner.training.task import run_task

CONFIG_CLASS = ClassificationConfig


class ClassificationTask(TextGraphTask):
    """``task: classification`` under the :class:`~kg_reasoner.training.task.Task` protocol."""

    name = "classification"
    config_class = ClassificationConfig

    def read_split(self, path: Path, *, limit: int | None) -> list[LabelledText]:
        data = self.config.data
        return read_labelled_texts(path, text_field=data.text_field, label_field=data.label_field,
                                   fmt=data.format, limit=limit)

    def label_vocabulary(self, train: list[LabelledText]) -> list[str]:
        if self.config.data.labels:
            return list(self.config.data.labels)
        labels = sorted({r.label for r in train if r.label is not None})
        if len(labels) < 2:
            raise DataFormatError(f"the training file has {len(labels)} label(s); a classifier "
                                  "needs at least 2")
        return labels

    def to_example(self, record: LabelledText | str) -> ScoredExample:
        if isinstance(record, str):
            record = LabelledText(record, None, "input")
        return to_example(record, self.labels)

    @property
    def out_channels(self) -> int:
        return len(self.labels)

    def scores(
        self, examples: Sequence[ScoredExample], probabilities: torch.Tensor, *, report: bool
    ) -> dict[str, Any]:
        gold = [int(e.gold) for e in examples if e.gold is not None]
        if len(gold) != len(examples):
            raise DataFormatError("scoring needs a label on every text")
        predicted = probabilities.argmax(-1).tolist() if len(examples) else []
        return classification_scores(gold, predicted, self.labels, report=report)


TASK = ClassificationTask


def train(
    config: ClassificationConfig, *, resume: bool = True, device: str | None = None
) -> TrainResult:
    """Fine-tune on train, early-stop on dev, report dev and test per class."""
    return run_task(ClassificationTask(), config, resume=resume, device=device)


def load(checkpoint_dir: str | Path) -> tuple[ClassificationConfig, nn.Module]:
    """The config and trained model of a classification run directory."""
    return load_scorer(ClassificationTask(), checkpoint_dir)


def evaluate(
    checkpoint_dir: str | Path, data_path: str | Path | None = None, *, split: str = "dev",
    **_: Any,
) -> dict[str, Any]:
    """Accuracy, macro F1 and the per-class report on a file, or on the config's ``dev`` /
    ``test`` file (``validation`` means dev)."""
    return evaluate_run(ClassificationTask(), checkpoint_dir, data_path, split=split)


def predict_texts(
    checkpoint_dir: str | Path, texts: list[str], *, top: int = 5
) -> list[dict[str, Any]]:
    """Label, probability and (with a graph) the attended nodes and paths of each text."""
    task = ClassificationTask()
    model = loaded_task(task, checkpoint_dir)
    prepared = task.prepare_unseen([task.to_example(t) for t in texts])
    results = task.predictions(model, prepared, top=top)
    for text, result in zip(texts, results, strict=True):
        result["text"] = text
        result["label"] = result["answer"]
    return results
