"""What `kgr build`, `kgr entity` and the demo print: a build report and an entity view."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from kg_reasoner.graph.stores import is_store_url


def print_build_report(
    console: Console,
    summary: dict[str, Any],
    graph: str | Path,
    *,
    corpus: Sequence[Path],
    extensions: Sequence[str],
) -> None:
    """One line of counts, the skipped and failed documents, and where the report is; a warning
    when the corpus held no document at all. ``summary`` is ``BuildReport.to_dict()``."""
    counts = summary["counts"]
    console.print(
        f"[bold]{graph}[/]: "
        + ", ".join(f"{v} {k}" for k, v in counts.items() if v)
        + f" in {summary['seconds']:.1f}s ({summary['sentences_processed']} sentences, "
        f"{summary['relations_added']} relations)"
    )
    problems = [d for d in summary["documents"] if d["status"] in {"skipped", "failed"}]
    for d in problems[:20]:
        console.print(f"  [yellow]{d['status']}[/] {d['id'] or d['source']}: {d['reason']}")
    if len(problems) > 20:
        console.print(f"  ... and {len(problems) - 20} more")
    if not is_store_url(str(graph)):  # a server store keeps no report folder
        console.print(f"report: {Path(graph) / 'reports' / 'last_build.json'}")
    if not any(counts.values()):
        console.print(
            f"[yellow]warning[/]: no documents found in {', '.join(map(str, corpus))}: "
            f"kgr build reads {', '.join(extensions)} files",
            highlight=False,
        )


def print_entity(console: Console, view: dict[str, Any]) -> None:
    """An entity view (:func:`kg_reasoner.graph.entity_view.entity_view`): label, aliases,
    relations in and out with their first sentences, and where it is mentioned."""
    from kg_reasoner.graph.vocabulary import sparql_term

    e = view["entity"]
    console.print(f"[bold]{e['label']}[/] ({e['type']})  {sparql_term(e['id'])}", highlight=False)
    console.print(f"  aliases: {', '.join(e['aliases']) or '-'}")
    if view["other_matches"]:
        others = ", ".join(f"{o['label']} ({o['type']})" for o in view["other_matches"])
        console.print(f"  [yellow]also matches[/]: {others}")
    for direction, arrow in (("outgoing", "->"), ("incoming", "<-")):
        for t in view[direction]:
            console.print(f"  {arrow} [cyan]{t['relation']}[/] {t['other_label']}")
            for p in t["provenance"][:2]:
                console.print(
                    f"       [dim]{p['document']} [{p['start']}:{p['end']}] "
                    f"{p['extractor']} {p['confidence']:.2f}[/] {p['sentence']}",
                    highlight=False,
                )
    if view["mentions"]:
        console.print("  mentioned in:")
        for m in view["mentions"][:5]:
            console.print(f"       [dim]{m['document']}[/] {m['sentence']}", highlight=False)


__all__ = ["print_build_report", "print_entity"]
