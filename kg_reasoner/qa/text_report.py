"""A QA result as plain text for the terminal."""

from __future__ import annotations

from kg_reasoner.qa.answer import QAResult


def format_result(result: QAResult, *, show_unselected: bool = True) -> str:
    """Answers with scores, each followed by its evidence paths and source sentences; says
    "not found in the graph" when nothing was selected (the list then holds candidates), and
    which reading of an ambiguous name each answer is for."""
    lines = [f"Q: {result.question}  ({result.method})"]
    for mention in result.mentions:
        names = ", ".join(f"{e['label']} [{e['match']}]" for e in mention.entities)
        flag = "  AMBIGUOUS" if mention.ambiguous else ""
        lines.append(f"  linked {mention.text!r} -> {names}{flag}")
    lines += [f"  note: {note}" for note in result.notes]
    if not result.answers:
        lines.append("  no answer: not found in the graph")
    elif result.abstained:
        lines.append("  no answer: not found in the graph; best candidates (not answers):")
    labels = {e["id"]: e["label"] for m in result.mentions for e in m.entities}
    for rank, answer in enumerate(result.answers, start=1):
        if not answer.selected and not show_unselected:
            continue
        mark = "*" if answer.selected else " "
        reading = f"  (for {labels.get(answer.reading, answer.reading)})" if answer.reading else ""
        lines.append(f"{mark}{rank:>2}. {answer.label}  score {answer.score:.3f}{reading}")
        for path in answer.paths:
            lines.append(f"      {path.text()}  ({path.score:.3f})")
            for hop in path.hops:
                for sentence in hop.sentences:
                    lines.append(f'        [{hop.relation}] "{sentence}"')
    return "\n".join(lines)
