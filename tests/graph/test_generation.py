"""The build generation: bumped by each committed build and deletion, not by a no-op rebuild."""

from __future__ import annotations

from pathlib import Path

from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.generation import GENERATION_FILE, bump_generation, read_generation
from kg_reasoner.pipelines import build_graph
from tests.conftest import write_corpus


def test_builds_and_deletions_bump_the_generation_and_unchanged_rebuilds_do_not(
    tmp_path: Path,
) -> None:
    corpus, graph = tmp_path / "corpus", tmp_path / "kg"
    write_corpus(corpus, {"a.txt": "Alan Turing was born in London."})
    build_graph(corpus, graph)
    first = read_generation(graph)
    assert first.number == 1 and first.committed_at.endswith("Z")
    build_graph(corpus, graph)  # nothing changed: nothing committed
    assert read_generation(graph).number == 1
    write_corpus(corpus, {"b.txt": "Marie Curie was born in Warsaw."})
    build_graph(corpus, graph)
    assert read_generation(graph).number == 2
    with KnowledgeGraph.open(graph) as kg:
        kg.delete_document("a.txt")
    assert read_generation(graph).number == 3


def test_a_missing_or_damaged_marker_reads_as_generation_zero(tmp_path: Path) -> None:
    assert read_generation(tmp_path).number == 0
    (tmp_path / GENERATION_FILE).write_text("{half")
    assert read_generation(tmp_path).number == 0
    assert bump_generation(tmp_path).number == 1 and read_generation(tmp_path).number == 1
