"""A question as what the scorer reads: one (question, choice) pair per choice, grounded with
the question's nodes and each choice's nodes."""

from __future__ import annotations

from kg_reasoner.tasks.multiple_choice.data import ChoiceQuestion
from kg_reasoner.tasks.text_graph.collate import collate_scored
from kg_reasoner.tasks.text_graph.examples import ScoredExample

__all__ = ["collate_scored", "to_example"]


def to_example(record: ChoiceQuestion) -> ScoredExample:
    return ScoredExample(
        texts=tuple((record.question, choice) for choice in record.choices),
        item=(record.question, list(record.choices)), gold=record.answer, source=record.source,
    )
