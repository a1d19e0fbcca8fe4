"""A labelled text as what the scorer reads: the text alone, grounded without choices."""

from __future__ import annotations

from collections.abc import Sequence

from kg_reasoner.errors import DataFormatError
from kg_reasoner.tasks.classification.data import LabelledText
from kg_reasoner.tasks.text_graph.collate import collate_scored
from kg_reasoner.tasks.text_graph.examples import ScoredExample

__all__ = ["collate_scored", "to_example"]


def to_example(record: LabelledText, labels: Sequence[str]) -> ScoredExample:
    """The record with its label's index in ``labels`` (a label outside them is an error)."""
    gold = None
    if record.label is not None:
        if record.label not in labels:
            raise DataFormatError(
                f"{record.source}: label {record.label!r} is not one of the training labels "
                f"({', '.join(labels)})"
            )
        gold = list(labels).index(record.label)
    return ScoredExample(texts=(record.text,), item=(record.text, []), gold=gold,
                         source=record.source)
