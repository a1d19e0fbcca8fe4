"""The one record both tasks score: what the LM reads, what is grounded, the gold index."""

from __future__ import annotations

from dataclasses import dataclass

from kg_reasoner.tasks.text_graph.collate import LMText


@dataclass(frozen=True)
class ScoredExample:
    """``texts``: one text (classification) or one (question, choice) pair per choice;
    ``item``: (text or question, choices) for grounding; ``gold``: the class or choice index
    (None when unlabelled); ``source``: ``file:line`` for messages."""

    texts: tuple[LMText, ...]
    item: tuple[str, list[str]]
    gold: int | None
    source: str = ""
