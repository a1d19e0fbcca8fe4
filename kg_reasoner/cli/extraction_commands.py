"""`kgr eval-extractor`: scoring a trained entity/relation extractor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

console = Console()


def register(app: typer.Typer) -> None:
    """Extractor commands."""
    app.command(name="eval-extractor")(eval_extractor_command)


def eval_extractor_command(
    run: Annotated[Path, typer.Argument(help="run directory written by `kgr train` (extraction)")],
    data: Annotated[
        Path | None,
        typer.Argument(help="JSON/JSONL file in the CoNLL04 format (default: the config's dev)"),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="write all scores as JSON here")
    ] = None,
    batch_size: Annotated[int, typer.Option(help="sentences per inference batch")] = 32,
    threshold: Annotated[
        float | None, typer.Option(help="relation probability cut-off (default: the model's)")
    ] = None,
) -> None:
    """Strict entity and relation P/R/F1 (boundaries + types must match), per type, micro, macro.

    Examples:

        kgr eval-extractor runs/conll04/ ../shared/data/conll04/dev.json

        kgr eval-extractor runs/conll04/ my_labels.jsonl -o scores.json
    """
    from kg_reasoner.pipelines import score_extractor

    with console.status("scoring..."):
        scores = score_extractor(run, data, batch_size=batch_size, relation_threshold=threshold)
    console.print(_table(scores))
    headline = ("data", "entity_f1", "relation_f1_micro", "relation_f1_macro")
    summary = {k: scores[k] for k in headline}
    console.print_json(json.dumps(summary))
    if output is not None:
        output.write_text(json.dumps(scores, indent=2), encoding="utf-8")
        console.print(f"all scores written to {output}")


def _table(scores: dict[str, Any]) -> Table:
    table = Table(title=f"strict scores on {scores['data']} ({scores['sentences']} sentences)")
    for name in ("kind", "type", "P", "R", "F1", "support", "predicted"):
        table.add_column(name, justify="left" if name in {"kind", "type"} else "right")
    for kind in ("entity", "relation"):
        block = scores[kind]
        for label, row in block["per_type"].items():
            table.add_row(kind, label, *_cells(row), str(row["support"]), str(row["predicted"]))
        for avg in ("micro", "macro"):
            table.add_row(
                kind, f"[bold]{avg}[/]", *_cells(block[avg]),
                str(block["support"]), str(block["predicted"]),
            )
        table.add_section()
    return table


def _cells(row: dict[str, float]) -> list[str]:
    return [f"{row['precision']:.2f}", f"{row['recall']:.2f}", f"{row['f1']:.2f}"]
