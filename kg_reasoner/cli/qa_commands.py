"""`kgr ask` and `kgr serve`: question answering over a graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()


def register(app: typer.Typer) -> None:
    """Question-answering commands."""
    app.command(name="ask")(ask_command)
    app.command(name="serve")(serve_command)


GraphOption = Annotated[
    Path | None, typer.Option("--graph", help="graph directory written by `kgr build`")
]
ModelOption = Annotated[
    Path | None, typer.Option("--model", help="run directory of `kgr train` (task kgqa)")
]


def ask_command(
    question: Annotated[str, typer.Argument(help="the question; [brackets] mark its entity")],
    graph: GraphOption = None,
    model: ModelOption = None,
    top_k: Annotated[int, typer.Option("--top-k", min=1, max=100, help="answers shown")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
) -> None:
    """Answer a question with scores and the evidence path(s) behind each answer.

    With --model, a trained KGQA reasoner answers over its knowledge base (or over --graph);
    with --graph only, answering is zero-shot (relation paths ranked by the language model).

    Examples:

        kgr ask --model runs/metaqa/ "which person directed the movies starred by [John Krasinski]"

        kgr ask --graph kg/ "Where was Marie Curie born?"

        kgr ask --graph kg/ --json "Who founded [Acme Corp]?"
    """
    from kg_reasoner.qa.loading import load_qa
    from kg_reasoner.qa.text_report import format_result

    with console.status("loading the graph and models..."):
        loaded = load_qa(graph=graph, model=model)
    try:
        result = loaded.answerer.answer(question, top_k=top_k)
    finally:
        loaded.close()
    if as_json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        console.print(format_result(result), highlight=False, markup=False, soft_wrap=True)


def serve_command(
    graph: GraphOption = None,
    model: ModelOption = None,
    host: Annotated[str, typer.Option(help="interface to bind (127.0.0.1 = this machine only)")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    query_timeout: Annotated[
        float, typer.Option(min=0.1, help="seconds a SPARQL query may run before it is stopped")
    ] = 10.0,
    max_rows: Annotated[int, typer.Option(min=1, help="rows a SPARQL reply holds at most")] = 1000,
    max_queries: Annotated[
        int, typer.Option(min=1, help="SPARQL queries running at once (more get a 503)")
    ] = 4,
    reload_every: Annotated[
        float,
        typer.Option(
            min=0.0,
            help="seconds between checks for a newer build of --graph, which is then served "
            "(0: never; restart to serve a newer build)",
        ),
    ] = 2.0,
) -> None:
    """Serve the JSON API (/ask, /entity/{id}, /sparql, /health, /docs) and the web page at /.

    Each SPARQL query runs in its own process, stopped at --query-timeout; SIGTERM stops the
    server within a few seconds. A `kgr build` into --graph while it serves is picked up once
    the build commits (checked every --reload-every seconds; /health names the build served).

    Examples:

        kgr serve --graph kg/ --port 8000

        kgr serve --model runs/metaqa/ --port 8000

        kgr serve --graph kg/ --model runs/metaqa/
    """
    from kg_reasoner.qa.loading import load_qa
    from kg_reasoner.serve.query_worker import QueryLimits
    from kg_reasoner.serve.reload import reopen_qa
    from kg_reasoner.serve.run import serve

    limits = QueryLimits(seconds=query_timeout, max_rows=max_rows, max_running=max_queries)

    with console.status("loading the graph and models..."):
        loaded = load_qa(graph=graph, model=model)
        loaded.answerer.warm_up()
    console.print(f"serving on http://{host}:{port}/ (API docs at /docs)")
    try:
        serve(
            loaded, host=host, port=port, limits=limits, graph_dir=graph,
            reopen=reopen_qa(graph, model) if graph is not None else None,
            reload_seconds=reload_every,
        )  # fmt: skip
    finally:
        loaded.close()
