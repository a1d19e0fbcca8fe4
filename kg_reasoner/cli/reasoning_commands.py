"""`kgr predict`: applying a trained run to new input (a CLUTRR story and query pair, a text to
classify, or a question with choices)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

console = Console()


def register(app: typer.Typer) -> None:
    """Reasoner commands."""
    app.command(name="predict")(predict_command)


def predict_command(
    checkpoint: Annotated[Path, typer.Argument(help="run directory written by `kgr train`")],
    story: Annotated[
        str | None, typer.Option("--story", "-s", help="clutrr: the story; mark people as [Name]")
    ] = None,
    query: Annotated[
        tuple[str, str] | None,
        typer.Option("--query", "-q", help="clutrr: HEAD TAIL: what is TAIL to HEAD?"),
    ] = None,
    gender: Annotated[
        list[str] | None,
        typer.Option("--gender", "-g", help="clutrr: NAME=male|female, repeatable (optional)"),
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", "-t", help="classification: the text to label")
    ] = None,
    question: Annotated[
        str | None, typer.Option("--question", help="multiple choice: the question")
    ] = None,
    choices: Annotated[
        str | None, typer.Option("--choices", help="multiple choice: comma-separated choices")
    ] = None,
    top: Annotated[int, typer.Option(help="nodes and paths shown from the subgraph")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="print the full result as JSON")] = False,
) -> None:
    """Predict with a trained run: the answer, its probability and what supports it.

    Examples:

        kgr predict runs/sample_classifier --text "Marie Curie discovered polonium in Paris."

        kgr predict runs/csqa_wordnet --question "Where would you find a jellyfish?"
        --choices "ocean,desert,library,garage,oven"

        kgr predict runs/clutrr_fused --query Ann Cat
        --story "[Ann] took her son [Bob] to school. [Bob]'s sister [Cat] waved."

    A run with a graph also prints the subgraph nodes with the highest attention and the
    paths from the question's nodes to them, each edge with its source (the KG relation, or
    the sentence a `kgr build` graph extracted it from).
    """
    from kg_reasoner.errors import ConfigError
    from kg_reasoner.pipelines import predict, predict_choice, predict_text

    if text is not None:
        _print_scored(predict_text(checkpoint, text, top=top), as_json, "label")
        return
    if question is not None or choices is not None:
        options = [c.strip() for c in (choices or "").split(",")]
        _print_scored(predict_choice(checkpoint, question or "", options, top=top), as_json,
                      "answer")
        return
    if story is None or query is None:
        raise ConfigError(
            "give --text (classification), --question and --choices (multiple choice), or "
            "--story and --query (clutrr)"
        )
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


def _print_scored(result: dict[str, Any], as_json: bool, what: str) -> None:
    """The answer line, then the attended nodes and paths of a classification or MC result."""
    if as_json:
        console.print_json(json.dumps(result, default=str))
        return
    console.print(f"{what}: [bold green]{result['answer']}[/]  (p = {result['probability']:.3f})",
                  highlight=False)
    explanation = result.get("explanation")
    if explanation is None:
        console.print("(this run reads only the text: no subgraph to show)")
        return
    if not explanation["nodes"]:
        console.print("subgraph: (empty: nothing in the text matched a node of the graph)")
        return
    console.print("nodes with the highest attention:")
    for node in explanation["nodes"]:
        console.print(f"  {node['attention']:.3f}  {node['label']}  ({node['role']}, "
                      f"{node['node']})", highlight=False, markup=False)
    console.print("paths from the question's nodes:")
    if not explanation["paths"]:
        console.print("  (none: no question node is joined to them)")
    for path in explanation["paths"]:
        steps = " ; ".join(f"{s['from']} --{s['relation']}--> {s['to']}"
                           + (f"  [source: {s['source']}]" if s["source"] else "")
                           for s in path["steps"])
        console.print(f"  {path['weight']:.3f}  {steps}", highlight=False, markup=False)
