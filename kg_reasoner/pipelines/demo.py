"""``demo``: build the sample corpus and show stats, entities with their sources, a SPARQL query
and questions answered zero-shot (what `kgr demo` prints)."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

DEFAULT_SAMPLE = Path(__file__).resolve().parents[2] / "kg_data" / "sample_corpus"
DEMO_ENTITIES = ("Marie Curie", "Ada Lovelace", "Tim Berners-Lee")
DEMO_QUERY = (
    "SELECT DISTINCT ?person ?place WHERE { ?p rel:born_in ?l . ?p rdfs:label ?person . "
    "?l rdfs:label ?place } ORDER BY ?person LIMIT 10"
)
DEMO_QUESTIONS = (
    "Where was Marie Curie born?",
    "Whom did Pierre Curie marry?",
    "How many employees does Arm Holdings have?",  # a literal value with its sentence
    "Where is Sandra?",  # a current state: the latest of her moves, in text order
)


def demo(
    graph: str | Path = Path("runs/demo_graph"),
    corpus: str | Path = DEFAULT_SAMPLE,
    *,
    console: Console | None = None,
) -> None:
    """Build ``corpus`` into ``graph`` twice (the second build skips every document), then print
    stats, a few entities with their provenance, a SPARQL query and answered questions."""
    from kg_reasoner.errors import KGReasonerError
    from kg_reasoner.graph.entity_view import entity_view
    from kg_reasoner.pipelines.ask import load_answerer
    from kg_reasoner.pipelines.build import build, build_config
    from kg_reasoner.pipelines.console_report import print_build_report, print_entity
    from kg_reasoner.qa.text_report import format_result
    from kg_reasoner.retrieval.kb_graph import open_graph

    if console is None:
        from rich.console import Console

        console = Console()
    graph, corpus = Path(graph), Path(corpus)
    if not corpus.exists():
        raise KGReasonerError(f"sample corpus not found at {corpus}: pass --corpus DIR")
    cfg = build_config()
    for title, progress in (
        ("1. build", True),
        ("2. a second build: unchanged documents are skipped", False),
    ):
        console.rule(title)
        kg, report = build([corpus], graph, config=cfg, progress=progress)
        kg.close()
        print_build_report(
            console, report.to_dict(), graph, corpus=[corpus], extensions=cfg.corpus.extensions
        )
    with closing(open_graph(graph, kb_files=False)) as kg:
        console.rule("3. stats")
        stats = kg.stats()
        for key in ("documents", "entities", "triples", "relation_types", "statements"):
            console.print(f"  {key}: {stats[key]}")
        console.print(f"  top relations: {stats['top_relations']}")
        console.rule("4. entities with their provenance")
        for name in DEMO_ENTITIES:
            try:
                print_entity(console, entity_view(kg, name, limit=4))
            except KGReasonerError as exc:
                console.print(f"  {exc}")
        console.rule("5. SPARQL: who was born where")
        console.print(f"  {DEMO_QUERY}")
        result = kg.sparql(DEMO_QUERY)
        assert isinstance(result, list)
        for row in result:
            console.print(f"  {row['person']} -> {row['place']}")
    console.rule("6. questions, answered zero-shot from the graph (with evidence)")
    loaded = load_answerer(graph=graph)
    try:
        for question in DEMO_QUESTIONS:
            answered = loaded.answerer.answer(question, top_k=2)
            console.print(format_result(answered), highlight=False, markup=False, soft_wrap=True)
    finally:
        loaded.close()
    console.print(
        f"\nTry: kgr entity --graph {graph} 'Alan Turing'   |   kgr stats --graph {graph}   |   "
        f"kgr ask --graph {graph} 'Where is Microsoft headquartered?'",
        soft_wrap=True,  # commands to copy: never broken inside, whatever the path's length
    )


__all__ = ["DEFAULT_SAMPLE", "demo"]
