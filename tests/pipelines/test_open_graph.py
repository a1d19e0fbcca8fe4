"""``open_graph``: a build folder, or a KB triple file, as a KnowledgeGraph."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest

from kg_reasoner.errors import StoreError
from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.vocabulary import name_iri
from kg_reasoner.pipelines import build_graph, open_graph
from tests.conftest import write_corpus

KB = "Leatherheads|directed_by|George Clooney\nLeatherheads|starred_actors|John Krasinski\n"


def _kb(tmp_path: Path) -> Path:
    path = tmp_path / "kb.txt"
    path.write_text(KB, encoding="utf-8")
    return path


def test_a_build_folder_opens_read_only(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Alan Turing was born in London."})
    build_graph(corpus, tmp_path / "kg")
    with closing(open_graph(tmp_path / "kg")) as kg:
        assert isinstance(kg, KnowledgeGraph) and kg.store.read_only
        assert kg.entity("Alan Turing").label == "Alan Turing"
    with closing(open_graph(tmp_path / "kg", read_only=False)) as kg:
        assert isinstance(kg, KnowledgeGraph) and not kg.store.read_only


def test_opening_never_creates_a_graph(tmp_path: Path) -> None:
    for read_only in (True, False):
        with pytest.raises(StoreError, match=r"no graph at .*kgr build"):
            open_graph(tmp_path / "missing", read_only=read_only)
    assert not (tmp_path / "missing").exists()


def test_a_kb_triple_file_opens_as_an_in_memory_graph(tmp_path: Path) -> None:
    graph = open_graph(_kb(tmp_path))
    assert isinstance(graph, KnowledgeGraph) and graph.knowledge_base is not None
    assert {e.label for e in graph.entities()} == {
        "Leatherheads", "George Clooney", "John Krasinski",
    }  # fmt: skip
    assert [t.object for t in graph.triples(predicate="directed_by")] == [
        name_iri("George Clooney")
    ]
    assert graph.entity("George Clooney").id == name_iri("George Clooney")


def test_a_kb_file_is_refused_where_a_store_is_needed(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a file, not a graph folder"):
        open_graph(_kb(tmp_path), kb_files=False)
    with pytest.raises(StoreError, match="opens read-only"):
        open_graph(_kb(tmp_path), read_only=False)
