"""What a build does to the store besides writing documents: flushes beside the parser, and a
compaction only when deleted or replaced graphs left space to reclaim."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_reasoner.building import BuildConfig, add_documents
from kg_reasoner.corpus import read_corpus
from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.stores.oxigraph import OxigraphStore
from tests.conftest import write_corpus

DOCS = {
    "a.txt": "IBM is based in Armonk. Ginni Rometty worked for IBM.",
    "b.txt": "Arvind Krishna works for IBM. IBM was founded in 1911.",
    "c.txt": "IBM acquired Red Hat in 2019. Jim Whitehurst worked for Red Hat.",
}


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    flush, compact = OxigraphStore.flush, OxigraphStore.compact

    def counting_flush(self: OxigraphStore) -> None:
        seen.append("flush")
        flush(self)

    def counting_compact(self: OxigraphStore) -> None:
        seen.append("compact")
        compact(self)

    monkeypatch.setattr(OxigraphStore, "flush", counting_flush)
    monkeypatch.setattr(OxigraphStore, "compact", counting_compact)
    return seen


def test_the_writer_flushes_as_it_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calls: list[str]
) -> None:
    from kg_reasoner.building import builder

    monkeypatch.setattr(builder, "_FLUSH_EVERY_QUADS", 1)
    corpus = write_corpus(tmp_path / "docs", DOCS)
    with KnowledgeGraph.open(tmp_path / "kg") as kg:
        add_documents(kg, read_corpus(corpus), progress=False, config=BuildConfig(commit_every=1))
        assert calls.count("flush") >= len(DOCS) + 1  # one per write, then the build's own
        assert len(kg.documents()) == len(DOCS)


def test_only_a_build_that_deleted_or_replaced_graphs_compacts(
    tmp_path: Path, calls: list[str]
) -> None:
    corpus = write_corpus(tmp_path / "docs", DOCS)
    with KnowledgeGraph.open(tmp_path / "kg") as kg:
        add_documents(kg, read_corpus(corpus), progress=False)
        assert "compact" not in calls and "flush" in calls  # additions: nothing to reclaim
        calls.clear()
        (corpus / "d.txt").write_text("Sam Palmisano worked for IBM.")
        add_documents(kg, read_corpus(corpus), progress=False)
        assert "compact" not in calls
        (corpus / "a.txt").write_text("Ginni Rometty was born in Chicago.")
        add_documents(kg, read_corpus(corpus), progress=False)
        assert calls.count("compact") == 1  # a replaced graph
        calls.clear()
        (corpus / "b.txt").unlink()
        add_documents(kg, read_corpus(corpus), progress=False, prune=True)
        assert calls.count("compact") == 1  # a deleted one
        assert sorted(kg.documents()) == ["a.txt", "c.txt", "d.txt"]
