"""`kgr predict`: applying a trained reasoner to a story and a query pair."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()


def register(app: typer.Typer) -> None:
    """Reasoner commands."""
    app.command(name="predict")(predict_command)


def predict_command(
    checkpoint: Annotated[Path, typer.Argument(help="run directory written by `kgr train`")],
    story: Annotated[str, typer.Option("--story", "-s", help="the story; mark people as [Name]")],
    query: Annotated[
        tuple[str, str],
        typer.Option("--query", "-q", help="HEAD TAIL: what is TAIL to HEAD?"),
    ],
    gender: Annotated[
        list[str] | None,
        typer.Option("--gender", "-g", help="NAME=male|female, repeatable (optional)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the full result as JSON")] = False,
) -> None:
    """Predict the kinship relation of a query pair in a story, with the supporting graph path.

    Examples:

        kgr predict runs/clutrr_fused --query Ann Cat
            --story "[Ann] took her son [Bob] to school. [Bob]'s sister [Cat] waved."

        kgr predict runs/clutrr_fused -s "Ann met her brother Bob." -q Ann Bob --json
    """
    from kg_reasoner.errors import ConfigError
    from kg_reasoner.pipelines import predict

    genders: dict[str, str] = {}
    for item in gender or []:
        name, sep, value = item.partition("=")
        if not sep or value not in ("male", "female"):
            raise ConfigError(f"--gender {item!r} must look like NAME=male or NAME=female")
        genders[name.strip()] = value
    result = predict(checkpoint, story, query[0], query[1], genders=genders)
    if as_json:
        console.print_json(json.dumps(result))
        return
    console.print(
        f"[bold]{result['tail']}[/] is [bold green]{result['relation']}[/] of "
        f"[bold]{result['head']}[/]  (p = {result['probability']:.3f})", highlight=False,
    )
    if result["path"]:
        steps = " -> ".join(
            f"{step['from']} --{step['relation']} ({step['confidence']:.2f})--> {step['to']}"
            for step in result["path"]
        )
        console.print(f"path: {steps}", highlight=False)
    else:
        console.print("path: (none: no graph path joins them, or this run reads only the text)")
    for alt in result["alternatives"]:
        console.print(f"  or {alt['relation']} (p = {alt['probability']:.3f})", highlight=False)
