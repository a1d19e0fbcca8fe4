"""`kgr ask` and `kgr serve`: question answering over a graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from kg_reasoner.qa.loading import LoadedQA

console = Console()
err_console = Console(stderr=True)


def register(app: typer.Typer) -> None:
    """Question-answering commands."""
    app.command(name="ask")(ask_command)
    app.command(name="serve")(serve_command)


GraphOption = Annotated[
    str | None,
    typer.Option(
        "--graph",
        "--store",
        help="graph directory written by `kgr build`, or the URL of a SPARQL server holding it",
    ),
]
ModelOption = Annotated[
    Path | None, typer.Option("--model", help="run directory of `kgr train` (task kgqa)")
]


ThresholdOption = Annotated[
    float | None,
    typer.Option(
        "--answer-threshold",
        help="zero-shot: a best answer scoring below this is 'not found in the graph' "
        "(default: the calibrated value, see benchmarks/results/answer_threshold.json)",
    ),
]


def ask_command(
    question: Annotated[
        str | None, typer.Argument(help="the question; [brackets] mark its entity")
    ] = None,
    graph: GraphOption = None,
    model: ModelOption = None,
    questions: Annotated[
        Path | None,
        typer.Option(
            "--questions",
            exists=True,
            dir_okay=False,
            help="file of questions, one a line, optionally TAB gold answer(s) separated by |",
        ),
    ] = None,
    top_k: Annotated[int, typer.Option("--top-k", min=1, max=100, help="answers shown")] = 10,
    answer_threshold: ThresholdOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
) -> None:
    """Answer a question with scores and the evidence path(s) behind each answer.

    With --model, a trained KGQA reasoner answers over its knowledge base (or over --graph);
    with --graph only, answering is zero-shot (relation paths ranked by the language model).
    When no answer scores above the answer threshold the reply is "not found in the graph"
    and the best candidates are listed as candidates; an ambiguous name is reported with the
    reading each answer is for.

    With --questions FILE, every question of the file is answered in one process (models load
    once); with gold answers after a TAB, accuracy at rank 1 is printed too. Bad lines are
    reported and skipped.

    Examples:

        kgr ask --model runs/metaqa/ "which person directed the movies starred by [John Krasinski]"

        kgr ask --graph kg/ "Where was Marie Curie born?"

        kgr ask --graph kg/ --json "Who founded [Acme Corp]?"

        kgr ask --graph kg/ --questions questions.tsv --json
    """
    from kg_reasoner.errors import ConfigError
    from kg_reasoner.pipelines import load_answerer

    if (question is None) == (questions is None):
        raise ConfigError("give a QUESTION or --questions FILE, not both")
    with console.status("loading the graph and models..."):
        loaded = load_answerer(graph=graph, model=model, answer_threshold=answer_threshold)
    try:
        if questions is not None:
            _ask_many(loaded, questions, top_k=top_k, as_json=as_json)
            return
        result = loaded.answerer.answer(str(question), top_k=top_k)
    finally:
        loaded.close()
    if as_json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        from kg_reasoner.qa.text_report import format_result

        console.print(format_result(result), highlight=False, markup=False, soft_wrap=True)


def _ask_many(loaded: LoadedQA, path: Path, *, top_k: int, as_json: bool) -> None:
    """Answer every question of ``path``; print each answer, bad lines and the accuracy."""
    from kg_reasoner.qa.batch import BatchRow, read_questions, row_line, summary, summary_line

    items, problems = read_questions(path)
    rows = []
    for item in items:
        row = BatchRow(item, loaded.answerer.answer(item.question, top_k=top_k))
        rows.append(row)
        if not as_json:
            console.print(row_line(row), highlight=False, markup=False, soft_wrap=True)
    figures = summary(rows, problems)
    if as_json:
        data = {
            "questions": [r.to_dict() for r in rows],
            "bad_lines": problems,
            "summary": figures,
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for problem in problems:
        err_console.print(f"skipped {problem}", highlight=False, markup=False)
    console.print(summary_line(figures), highlight=False, markup=False, soft_wrap=True)


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
    query_memory_mb: Annotated[
        int, typer.Option(min=16, help="MB of memory one SPARQL query may add before it is stopped")
    ] = 1024,
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
    from kg_reasoner.graph.stores import is_store_url
    from kg_reasoner.pipelines import load_answerer
    from kg_reasoner.serve.query_worker import QueryLimits
    from kg_reasoner.serve.reload import reopen_qa
    from kg_reasoner.serve.run import serve

    limits = QueryLimits(
        seconds=query_timeout,
        max_rows=max_rows,
        max_running=max_queries,
        memory_mb=query_memory_mb,
    )

    with console.status("loading the graph and models..."):
        loaded = load_answerer(graph=graph, model=model)
        loaded.answerer.warm_up()
    console.print(f"serving on http://{host}:{port}/ (API docs at /docs)")
    # a graph directory is reopened after each build; a server store is read live
    local = Path(graph) if graph is not None and not is_store_url(graph) else None
    try:
        serve(
            loaded, host=host, port=port, limits=limits, graph_dir=local,
            reopen=reopen_qa(local, model) if local is not None else None,
            reload_seconds=reload_every,
        )  # fmt: skip
    finally:
        loaded.close()
