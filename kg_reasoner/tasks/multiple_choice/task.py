"""The ``multiple_choice`` task: a question and its choices -> the right choice.

Each (question, choice) pair is read by the LM as two segments and scored once; the scores of a
question's choices go through a softmax (cross-entropy on the right one). With ``graph:`` the
question's and the choice's nodes are grounded in the knowledge graph, the subgraph joining
them retrieved, and a GNN over it fused with the LM (``model.fusion``), as QA-GNN and GreaseLM
do on ConceptNet. Early stopping and model choice on dev accuracy.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from torch import nn

from kg_reasoner.errors import DataFormatError
from kg_reasoner.tasks.multiple_choice.collate import to_example
from kg_reasoner.tasks.multiple_choice.config import MultipleChoiceConfig
from kg_reasoner.tasks.multiple_choice.data import ChoiceQuestion, read_choice_questions
from kg_reasoner.tasks.multiple_choice.metrics import choice_accuracy
from kg_reasoner.tasks.text_graph.examples import ScoredExample
from kg_reasoner.tasks.text_graph.task_base import (
    TextGraphTask,
    evaluate_run,
    load_scorer,
    loaded_task,
)
from kg_reasoner.training.result import TrainResult
from kg_reasoner.training.task import run_task

CONFIG_CLASS = MultipleChoiceConfig


class MultipleChoiceTask(TextGraphTask):
    """``task: multiple_choice`` under the :class:`~kg_reasoner.training.task.Task` protocol."""

    name = "multiple_choice"
    config_class = MultipleChoiceConfig
    multiple_choice = True
    dev_scores_from_fit = True

    def read_split(self, path: Path, *, limit: int | None) -> list[ChoiceQuestion]:
        return read_choice_questions(path, fmt=self.config.data.format, limit=limit)

    def label_vocabulary(self, train: list[ChoiceQuestion]) -> list[str]:
        return []

    def to_example(self, record: ChoiceQuestion | tuple[str, Sequence[str]]) -> ScoredExample:
        if not isinstance(record, ChoiceQuestion):
            question, choices = record
            if len(choices) < 2:
                raise DataFormatError("give at least 2 choices")
            record = ChoiceQuestion(question, tuple(choices), None, "", "input")
        return to_example(record)

    @property
    def out_channels(self) -> int:
        return 1

    def answer_name(self, example: ScoredExample, index: int) -> str:
        return example.item[1][index]

    def scores(
        self, examples: Sequence[ScoredExample], probabilities: torch.Tensor, *, report: bool
    ) -> dict[str, Any]:
        gold = [int(e.gold) for e in examples if e.gold is not None]
        if len(gold) != len(examples):
            raise DataFormatError("scoring needs the answer of every question")
        predicted = probabilities.argmax(-1).tolist() if len(examples) else []
        return choice_accuracy(gold, predicted)


TASK = MultipleChoiceTask


def train(
    config: MultipleChoiceConfig, *, resume: bool = True, device: str | None = None
) -> TrainResult:
    """Fine-tune on train, early-stop and choose on dev accuracy."""
    return run_task(MultipleChoiceTask(), config, resume=resume, device=device)


def load(checkpoint_dir: str | Path) -> tuple[MultipleChoiceConfig, nn.Module]:
    """The config and trained model of a multiple-choice run directory."""
    return load_scorer(MultipleChoiceTask(), checkpoint_dir)


def evaluate(
    checkpoint_dir: str | Path, data_path: str | Path | None = None, *, split: str = "dev",
    **_: Any,
) -> dict[str, Any]:
    """Accuracy on a questions file, or on the config's ``dev`` / ``test`` file."""
    return evaluate_run(MultipleChoiceTask(), checkpoint_dir, data_path, split=split)


def predict_choice(
    checkpoint_dir: str | Path, question: str, choices: Sequence[str], *, top: int = 5
) -> dict[str, Any]:
    """The chosen answer, its probability, every choice's probability and (with a graph) the
    attended nodes and paths of the chosen pair's subgraph."""
    task = MultipleChoiceTask()
    model = loaded_task(task, checkpoint_dir)
    prepared = task.prepare_unseen([task.to_example((question, list(choices)))])
    result = task.predictions(model, prepared, top=top)[0]
    result["question"] = question
    result["choices"] = list(choices)
    return result
