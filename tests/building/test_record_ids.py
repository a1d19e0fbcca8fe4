"""Record ids across files and builds: nothing is overwritten or left behind in silence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg_reasoner.building import BuildConfig, add_documents
from kg_reasoner.corpus import CorpusConfig, Document, read_corpus
from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.pipelines import build_graph
from tests.corpus.unlistable import refuse_listing

A_TEXT = "Marie Curie was born in Warsaw."
B_TEXT = "Alan Turing was born in London."


def _jsonl(path: Path, *records: dict[str, str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def _global() -> BuildConfig:
    return BuildConfig(corpus=CorpusConfig(global_ids=True))


def _people(kg: KnowledgeGraph) -> set[str]:
    return {e.label for e in kg.entities() if e.type == "PERSON"}


def test_equal_ids_in_two_files_built_one_after_the_other_both_stay(tmp_path: Path) -> None:
    a = _jsonl(tmp_path / "a.jsonl", {"id": "1", "text": A_TEXT})
    b = _jsonl(tmp_path / "b.jsonl", {"id": "1", "text": B_TEXT})
    graph = tmp_path / "kg"
    assert build_graph(a, graph).counts["added"] == 1
    report = build_graph(b, graph)
    assert report.counts == {**report.counts, "added": 1, "updated": 0}
    with KnowledgeGraph.open(graph, read_only=True) as kg:
        assert set(kg.documents()) == {"a.jsonl#1", "b.jsonl#1"}
        assert {"Marie Curie", "Alan Turing"} <= _people(kg)


def test_a_duplicate_id_in_one_build_names_both_files_and_the_fix(tmp_path: Path) -> None:
    _jsonl(tmp_path / "docs" / "a.jsonl", {"id": "1", "text": A_TEXT})
    _jsonl(tmp_path / "docs" / "b.jsonl", {"id": "1", "text": B_TEXT})
    with KnowledgeGraph.open(None) as kg:
        docs = read_corpus(tmp_path / "docs", _global().corpus)
        report = add_documents(kg, docs, config=_global(), progress=False)
        assert report.counts == {**report.counts, "added": 1, "skipped": 1}
        (skipped,) = [d for d in report.documents if d.status == "skipped"]
        assert skipped.id == "1"
        assert "b.jsonl line 1" in skipped.reason and "a.jsonl line 1" in skipped.reason
        assert "give the records unique ids or drop --global-ids" in skipped.reason
        assert set(kg.documents()) == {"1"} and "Marie Curie" in _people(kg)


def test_a_duplicate_id_within_one_file_is_skipped_with_both_lines(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "a.jsonl", {"id": "x", "text": A_TEXT}, {"text": "Filler."},
        {"id": "x", "text": B_TEXT},
    )  # fmt: skip
    report = build_graph(path, None)
    (skipped,) = [d for d in report.documents if d.status == "skipped"]
    assert skipped.id == "a.jsonl#x"
    assert f"{path} line 3 and {path} line 1 both have" in skipped.reason
    assert "drop --global-ids" not in skipped.reason  # not the fix when ids are file-scoped


def test_rebuilding_a_graph_built_with_bare_record_ids_leaves_no_stale_document(
    tmp_path: Path,
) -> None:
    path = _jsonl(tmp_path / "a.jsonl", {"id": "1", "text": A_TEXT})
    graph = tmp_path / "kg"
    with KnowledgeGraph.open(graph) as kg:  # as builds before ids included the file stored it
        add_documents(kg, [Document("1", A_TEXT, str(path))], progress=False)
    report = build_graph(path, graph)
    outcomes = {(d.id, d.status) for d in report.documents}
    assert outcomes == {("a.jsonl#1", "added"), ("1", "removed")}
    removed = next(d for d in report.documents if d.status == "removed")
    assert "now 'a.jsonl#1'" in removed.reason and "--global-ids" in removed.reason
    with KnowledgeGraph.open(graph, read_only=True) as kg:
        assert set(kg.documents()) == {"a.jsonl#1"}
    # and back: --global-ids replaces the file-scoped copy, and a rerun changes nothing
    report = build_graph(path, graph, config=_global())
    outcomes = {(d.id, d.status) for d in report.documents}
    assert outcomes == {("1", "added"), ("a.jsonl#1", "removed")}
    assert build_graph(path, graph, config=_global()).counts["unchanged"] == 1


def test_a_bare_id_from_another_file_is_not_taken_for_an_old_copy(tmp_path: Path) -> None:
    a = _jsonl(tmp_path / "a.jsonl", {"id": "1", "text": A_TEXT})
    b = _jsonl(tmp_path / "b.jsonl", {"id": "1", "text": B_TEXT})
    graph = tmp_path / "kg"
    build_graph(b, graph, config=_global())
    report = build_graph(a, graph)
    assert report.counts == {**report.counts, "added": 1, "removed": 0}
    with KnowledgeGraph.open(graph, read_only=True) as kg:
        assert set(kg.documents()) == {"1", "a.jsonl#1"}


def test_global_ids_replacing_another_files_record_says_so(tmp_path: Path) -> None:
    a = _jsonl(tmp_path / "a.jsonl", {"id": "1", "text": A_TEXT})
    b = _jsonl(tmp_path / "b.jsonl", {"id": "1", "text": B_TEXT})
    graph = tmp_path / "kg"
    build_graph(a, graph, config=_global())
    report = build_graph(b, graph, config=_global())
    (updated,) = report.documents
    assert updated.status == "updated" and f"replaces the copy read from {a}" in updated.reason


def test_a_record_id_can_be_deleted(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", {"id": "1", "text": A_TEXT}, {"id": "2", "text": B_TEXT})
    graph = tmp_path / "kg"
    build_graph(path, graph)
    with KnowledgeGraph.open(graph) as kg:
        assert kg.delete_document("a.jsonl#1") == "a.jsonl#1"
        assert set(kg.documents()) == {"a.jsonl#2"}
        assert "Marie Curie" not in _people(kg)


def test_prune_keeps_documents_under_a_folder_that_could_not_be_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "locked").mkdir(parents=True)
    (corpus / "locked" / "curie.txt").write_text(A_TEXT)
    (corpus / "turing.txt").write_text(B_TEXT)
    graph = tmp_path / "kg"
    build_graph(corpus, graph)
    refuse_listing(monkeypatch, "locked")
    report = build_graph(corpus, graph, prune=True)
    assert report.counts == {**report.counts, "unchanged": 1, "skipped": 1, "removed": 0}
    with KnowledgeGraph.open(graph, read_only=True) as kg:
        assert set(kg.documents()) == {"locked/curie.txt", "turing.txt"}


def test_an_old_copy_stays_when_its_record_fails_to_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg_reasoner.building import builder
    from kg_reasoner.extraction.pipeline import ProcessedDocument

    path = _jsonl(tmp_path / "a.jsonl", {"id": "1", "text": A_TEXT})
    graph = tmp_path / "kg"
    with KnowledgeGraph.open(graph) as kg:
        add_documents(kg, [Document("1", A_TEXT, str(path))], progress=False)

    def failing(pipeline, batches, *, workers=1):  # type: ignore[no-untyped-def]
        for batch in batches:
            yield [ProcessedDocument(doc, error="extraction broke") for doc in batch]

    monkeypatch.setattr(builder, "process_documents", failing)
    report = build_graph(path, graph)
    assert {(d.id, d.status) for d in report.documents} == {("a.jsonl#1", "failed")}
    with KnowledgeGraph.open(graph, read_only=True) as kg:
        assert set(kg.documents()) == {"1"}  # the record is still in the graph, under its old id


def test_files_with_one_relative_path_in_two_folders_get_the_folder_fix(tmp_path: Path) -> None:
    one = _jsonl(tmp_path / "one" / "a.jsonl", {"id": "1", "text": A_TEXT})
    two = _jsonl(tmp_path / "two" / "a.jsonl", {"id": "1", "text": B_TEXT})
    report = build_graph([one, two], None)
    (skipped,) = [d for d in report.documents if d.status == "skipped"]
    assert f"{two} line 1 and {one} line 1 both have document id 'a.jsonl#1'" in skipped.reason
    assert "build from their common parent folder" in skipped.reason
