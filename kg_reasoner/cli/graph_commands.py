"""`kgr build`, `delete`, `stats`, `entity`, `sparql`, `export`, `demo`: the graph commands."""

from __future__ import annotations

import json
import sys
from contextlib import closing
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kg_reasoner.errors import KGReasonerError
from kg_reasoner.pipelines.demo import DEFAULT_SAMPLE

console = Console()
GraphOption = Annotated[
    str,
    typer.Option(
        "--graph",
        "--store",
        "-g",
        help="graph directory (created by `kgr build`), or the URL of a SPARQL server holding "
        "the graph (http://host:7878/query for Oxigraph, http://host:8890/sparql for Virtuoso)",
    ),
]


def register(app: typer.Typer) -> None:
    app.command(name="build")(build_command)
    app.command(name="delete")(delete_command)
    app.command(name="stats")(stats_command)
    app.command(name="entity")(entity_command)
    app.command(name="sparql")(sparql_command)
    app.command(name="export")(export_command)
    app.command(name="demo")(demo_command)


def build_command(
    corpus: Annotated[list[Path], typer.Argument(help="folders (read recursively) or files")],
    graph: GraphOption,
    config: Annotated[Path | None, typer.Option(help="YAML build config (see configs/)")] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="override, e.g. --set workers=2")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "--num-workers", help="extraction processes (or Ray actors)"),
    ] = None,
    engine: Annotated[
        str | None, typer.Option(help="where extraction runs: 'local' (default) or 'ray'")
    ] = None,
    address: Annotated[
        str | None,
        typer.Option(help="--engine ray: 'auto' or ray://host:port (default: a local Ray)"),
    ] = None,
    extractor: Annotated[
        str | None, typer.Option(help="'rules' or a trained extractor directory")
    ] = None,
    spacy_model: Annotated[str | None, typer.Option(help="spaCy package name or path")] = None,
    text_field: Annotated[
        str | None, typer.Option(help="JSONL field / CSV column with the text")
    ] = None,
    global_ids: Annotated[
        bool,
        typer.Option(
            "--global-ids",
            help="use JSONL/CSV id fields as document ids as is (by default file#id)",
        ),
    ] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="delete documents no longer in the corpus")
    ] = False,
    report: Annotated[Path | None, typer.Option(help="also write the JSON report here")] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="print each committed document")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
) -> None:
    """Build or update a knowledge graph from documents (.txt, .md, .jsonl, .csv).

    Unchanged documents are skipped, changed ones replaced; each batch of documents is
    committed atomically, so an interrupted build resumes where it stopped.

    Examples:

        kgr build my_docs/ --graph kg/

        kgr build my_docs/ --graph kg/ --prune --workers 2

        kgr build my_docs/ --graph kg/ --engine ray --address auto --num-workers 8

        kgr build notes.jsonl --graph kg/ --text-field body --extractor runs/conll04/

        kgr build notes.jsonl --graph kg/ --global-ids   # ids "7", not "notes.jsonl#7"

        kgr build my_docs/ --store http://localhost:7878/query   # into a SPARQL server
    """
    from kg_reasoner.building import BuildConfig
    from kg_reasoner.config import apply_overrides, read_yaml, validate_config
    from kg_reasoner.pipelines import build
    from kg_reasoner.pipelines.console_report import print_build_report

    data = read_yaml(config) if config else {}
    data = apply_overrides(data, set_)
    options = {
        ("workers",): workers,
        ("engine",): engine,
        ("address",): address,
        ("extraction", "extractor"): extractor,
        ("extraction", "spacy_model"): spacy_model,
        ("corpus", "text_field"): text_field,
        ("corpus", "global_ids"): True if global_ids else None,
    }
    for keys, value in options.items():  # validated with the rest, so errors read the same
        if value is not None:
            *parents, last = keys
            node = data
            for key in parents:
                node = node.setdefault(key, {})
            node[last] = value
    cfg = validate_config(BuildConfig, data, source=str(config or "build options"))

    def show(ids: list[str]) -> None:
        if verbose:
            for doc_id in ids:
                print(f"committed {doc_id}", flush=True)

    kg, result = build(
        corpus, graph, config=cfg, prune=prune, progress=not quiet, on_commit=show
    )
    kg.close()
    if report is not None:
        result.save(report)
    print_build_report(
        console, result.to_dict(), graph, corpus=corpus, extensions=cfg.corpus.extensions
    )


def delete_command(
    documents: Annotated[list[str], typer.Argument(help="document ids (or their paths)")],
    graph: GraphOption,
) -> None:
    """Delete documents and every triple only they stated.

    Examples:

        kgr delete --graph kg/ reports/2019.txt

        kgr delete --graph kg/ my_docs/reports/2019.txt notes.jsonl#3
    """
    from kg_reasoner.pipelines import open_graph

    with closing(open_graph(graph, read_only=False, kb_files=False)) as kg:
        for doc in documents:
            console.print(f"deleted {kg.delete_document(doc)}")


def stats_command(
    graph: GraphOption,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Counts of documents, entities, relations and the store size.

    Examples:

        kgr stats --graph kg/

        kgr stats --graph kg/ --json
    """
    from kg_reasoner.pipelines import open_graph

    with closing(open_graph(graph, kb_files=False)) as kg:
        stats = kg.stats()
    if as_json:
        print(json.dumps(stats, indent=2))
        return
    table = Table(title=f"graph {graph}", show_header=False)
    for key, value in stats.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        table.add_row(key, str(value))
    console.print(table)


def entity_command(
    name: Annotated[
        str, typer.Argument(help="entity name, alias, IRI or ent: name (ent:org.ibm)")
    ],
    graph: GraphOption,
    limit: Annotated[int, typer.Option(help="triples shown in each direction")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Show an entity: aliases, triples in and out, and the sentences behind each.

    Examples:

        kgr entity --graph kg/ "Marie Curie"

        kgr entity --graph kg/ Curie --json

        kgr entity --graph kg/ ent:person.marie_curie
    """
    from kg_reasoner.graph.entity_view import entity_view
    from kg_reasoner.pipelines import open_graph
    from kg_reasoner.pipelines.console_report import print_entity

    with closing(open_graph(graph, kb_files=False)) as kg:
        view = entity_view(kg, name, limit=limit)
    if as_json:
        print(json.dumps(view, indent=2))
        return
    print_entity(console, view)


def sparql_command(
    query: Annotated[str, typer.Argument(help="SPARQL text, @file.rq, or - for stdin")],
    graph: GraphOption,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv")] = "table",
) -> None:
    """Run a read-only SPARQL query (kgr:, rel:, ent:, doc:, rdf:, rdfs: are predeclared).

    Relations are rel:<label> (rel:born_in, rel:work_for); entities are ent:<type>.<name>
    (ent:person.marie_curie) with one rdfs:label and every kgr:alias; updates are refused.
    The table prints IRIs as a query takes them (ent:org.ibm or <https://...>); json and csv
    give full IRIs.

    Examples:

        kgr sparql --graph kg/ 'SELECT ?s ?o WHERE { ?s rel:work_for ?o } LIMIT 10'

        kgr sparql --graph kg/ @queries/people.rq --format csv
    """
    from kg_reasoner.pipelines import open_graph

    if query == "-":
        query = sys.stdin.read()
    elif query.startswith("@"):
        path = Path(query[1:])
        if not path.is_file():
            raise KGReasonerError(f"query file not found: {path}")
        query = path.read_text(encoding="utf-8")
    with closing(open_graph(graph, kb_files=False)) as kg:
        result = kg.sparql(query) if fmt != "table" else kg.store.query(query)
    if isinstance(result, bool):
        print("true" if result else "false")
        return
    if fmt == "table":  # store terms: IRIs print as they are typed in a query
        from kg_reasoner.graph.vocabulary import display_term

        rows = [r if isinstance(r, dict) else dict(zip("spo", r, strict=True)) for r in result]
        table = Table()
        for name in rows[0].keys() if rows else ["(no results)"]:
            table.add_column(name, overflow="fold")  # wrapped, never cut short with an ellipsis
        for row in rows:
            table.add_row(*(Text(display_term(v)) for v in row.values()))  # no markup in values
        console.print(table)
    elif fmt == "json":
        print(json.dumps(result, indent=2))
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        if result:
            writer.writerow(result[0].keys())
        for row in result:
            writer.writerow(row.values())
    else:
        raise KGReasonerError(f"unknown --format {fmt!r}: choose table, json or csv")


def export_command(
    graph: GraphOption,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="ttl, nt, jsonld, nq, graphml or csv")
    ] = "ttl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file to write (graph.<format>)")
    ] = None,
) -> None:
    """Export the graph (ttl/nt/jsonld merge all documents; nq keeps one graph per document).

    Examples:

        kgr export --graph kg/ --format ttl -o kg.ttl

        kgr export --graph kg/ --format csv -o triples.csv
    """
    from kg_reasoner.graph.export import export_graph
    from kg_reasoner.pipelines import open_graph

    with closing(open_graph(graph, kb_files=False)) as kg:
        path = export_graph(kg, fmt, output or Path(f"graph.{fmt.lower().lstrip('.')}"))
    console.print(f"wrote {path} ({path.stat().st_size:,} bytes)")


def demo_command(
    graph: Annotated[
        Path, typer.Option("--graph", "-g", help="graph directory (created by `kgr build`)")
    ] = Path("runs/demo_graph"),
    corpus: Annotated[Path, typer.Option(help="documents to build")] = DEFAULT_SAMPLE,
) -> None:
    """Build the sample corpus and show stats, entities with their sources, and a query.

    Examples:

        kgr demo

        kgr demo --graph /tmp/kg --corpus my_docs/
    """
    from kg_reasoner.pipelines import demo

    demo(graph, corpus, console=console)
