"""Linking outcome as reported to users (which span, which entities, ambiguous or not)."""

from __future__ import annotations

from kg_reasoner.graph.vocabulary import sparql_term
from kg_reasoner.qa.answer import LinkedMention, QAResult
from kg_reasoner.retrieval.linking import EntityLinker, LinkResult


def report_mentions(link: LinkResult) -> list[LinkedMention]:
    return [
        LinkedMention(
            text=m.text,
            start=m.start,
            end=m.end,
            entities=tuple(
                {"id": c.entity_id, "label": c.label, "match": c.match, "score": c.score}
                for c in m.candidates
            ),
            ambiguous=m.ambiguous,
        )
        for m in link.mentions
    ]


def linking_notes(link: LinkResult) -> list[str]:
    """Human-readable warnings: unmatched names and ambiguous mentions."""
    notes = [f"no entity named {name!r} in the graph" for name in link.unmatched]
    for mention in link.ambiguous:
        labels = ", ".join(f"{c.label} ({sparql_term(c.entity_id)})" for c in mention.best)
        notes.append(
            f"{mention.text!r} is ambiguous: answered for all of {labels}; "
            "put the intended name or id in [brackets] to choose one"
        )
    if not link.mentions and not link.unmatched:
        notes.append("no entity of the graph was found in the question; mark it with [brackets]")
    return notes


def reading_notes(result: QAResult) -> list[str]:
    """For an ambiguous question: which reading each selected answer is for, or, when the
    answer was withheld, that the candidates come from different readings."""
    if not result.ambiguous:
        return []
    labels = {e["id"]: e["label"] for m in result.mentions for e in m.entities}
    chosen = result.selected or result.answers[:3]
    parts = [f"{a.label} for {labels.get(a.reading, a.reading)}" for a in chosen if a.reading]
    if not parts:
        return []
    verb = "answers by reading" if result.selected else "candidates by reading"
    return [f"{verb}: " + "; ".join(parts)]


def link_question(linker: EntityLinker, question: str, method: str) -> tuple[QAResult, LinkResult]:
    """Link the question and start its result with the linking report and warnings."""
    link = linker.link(question)
    result = QAResult(
        question,
        method,
        mentions=report_mentions(link),
        unmatched=list(link.unmatched),
        notes=linking_notes(link),
    )
    return result, link
