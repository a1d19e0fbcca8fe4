"""The answering index is kept per build generation in the graph directory, and only then."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.labels import mark_labels_pending
from kg_reasoner.pipelines import build_graph
from kg_reasoner.retrieval.index_cache import CACHE_DIR, answer_index
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.retrieval.kb_readers import index_from_graph


def _same(a: KBIndex, b: KBIndex) -> None:
    assert a.entity_ids == b.entity_ids and a.relations == b.relations
    assert a.entity_labels == b.entity_labels and a.entity_aliases == b.entity_aliases
    assert a.entity_types == b.entity_types
    assert torch.equal(a.triples_factory.mapped_triples, b.triples_factory.mapped_triples)


def _cache_files(kg_dir: Path) -> list[str]:
    return sorted(p.name for p in (kg_dir / CACHE_DIR).glob("answer-index-*"))


def _born_in_warsaw(index: KBIndex) -> int:
    return next(
        i
        for i in range(index.num_triples)
        if index.triple(i)[1] == "born_in" and index.triple(i)[2].endswith("warsaw")
    )


def test_the_second_process_reads_the_index_the_first_wrote(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_graph(corpus, tmp_path / "kg")
    with KnowledgeGraph.open(tmp_path / "kg", read_only=True) as kg:
        fresh = index_from_graph(kg, lazy_times=True)
        first = answer_index(kg)
        files = _cache_files(tmp_path / "kg")
        assert len(files) == 2  # the names (JSON) and the triple ids (.npy)

        def no_scan(*args: object, **kwargs: object) -> None:
            raise AssertionError("the graph was indexed again")

        monkeypatch.setattr("kg_reasoner.retrieval.index_cache.index_from_graph", no_scan)
        second = answer_index(kg)
        _same(first, fresh)
        _same(second, fresh)
        # statement times are still read from the graph, for the triples asked about
        triple = _born_in_warsaw(second)
        assert second.times_of(triple) == fresh.times_of(triple) != ()


def test_a_new_build_generation_is_indexed_again(corpus: Path, tmp_path: Path) -> None:
    build_graph(corpus, tmp_path / "kg")
    with KnowledgeGraph.open(tmp_path / "kg", read_only=True) as kg:
        before = answer_index(kg)
    old_files = _cache_files(tmp_path / "kg")
    (corpus / "extra.txt").write_text("Ada Lovelace was born in London.", encoding="utf-8")
    build_graph(corpus, tmp_path / "kg")
    with KnowledgeGraph.open(tmp_path / "kg", read_only=True) as kg:
        after = answer_index(kg)
        _same(after, index_from_graph(kg, lazy_times=True))
    assert any("Ada Lovelace" in label for label in after.entity_labels)
    assert not any("Ada Lovelace" in label for label in before.entity_labels)
    new_files = _cache_files(tmp_path / "kg")
    assert len(new_files) == 2 and not set(new_files) & set(old_files)  # one generation kept


def test_no_cache_while_a_build_has_writes_it_has_not_finished(
    corpus: Path, tmp_path: Path
) -> None:
    build_graph(corpus, tmp_path / "kg")
    with KnowledgeGraph.open(tmp_path / "kg") as kg:
        mark_labels_pending(kg.store)  # as a build killed between its writes and its end leaves
        answer_index(kg)
    assert _cache_files(tmp_path / "kg") == []


def test_a_damaged_cache_is_indexed_again(corpus: Path, tmp_path: Path) -> None:
    build_graph(corpus, tmp_path / "kg")
    with KnowledgeGraph.open(tmp_path / "kg", read_only=True) as kg:
        answer_index(kg)
        for name in _cache_files(tmp_path / "kg"):
            (tmp_path / "kg" / CACHE_DIR / name).write_bytes(b"\x00garbage")
        _same(answer_index(kg), index_from_graph(kg, lazy_times=True))
