from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kg_reasoner.corpus import CorpusConfig, Document, Skipped, read_corpus
from kg_reasoner.errors import CorpusError


def _read(root: Path, **config: object) -> tuple[dict[str, Document], list[Skipped]]:
    items = list(read_corpus(root, CorpusConfig(**config)))  # type: ignore[arg-type]
    docs = {i.id: i for i in items if isinstance(i, Document)}
    return docs, [i for i in items if isinstance(i, Skipped)]


def test_reads_folders_recursively_with_relative_ids(corpus: Path) -> None:
    docs, skipped = _read(corpus)
    assert sorted(docs) == [
        "companies/google.txt",
        "people/curie.txt",
        "people/turing.md",
        "places/warsaw.txt",
    ]
    assert skipped == []
    assert docs["people/turing.md"].text.startswith("# Alan Turing")


def test_a_single_file_gets_its_name_as_id(corpus: Path) -> None:
    docs, _ = _read(corpus / "people" / "curie.txt")
    assert list(docs) == ["curie.txt"]


def test_jsonl_records_use_id_field_else_line_number(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": "Alpha text.", "topic": "x"}),
        json.dumps({"text": "Beta text."}),
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"id": "c", "body": "no text field"}),
        "",
    ]
    (tmp_path / "d.jsonl").write_text("\n".join(lines), encoding="utf-8")
    docs, skipped = _read(tmp_path)
    assert set(docs) == {"a", "d.jsonl#2"}
    assert docs["a"].metadata == {"topic": "x"}
    reasons = sorted(s.reason for s in skipped)
    assert any("line 3: malformed JSON" in r for r in reasons)
    assert any("line 4: not a JSON object" in r for r in reasons)
    assert any("line 5: no text in field 'text'" in r for r in reasons)


def test_csv_reads_the_chosen_column_and_reports_bad_rows(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(
        'id,body,extra\nr1,"First, with comma.",1\nr2,,2\nr3,Third.,3,surplus\n', encoding="utf-8"
    )
    docs, skipped = _read(tmp_path, text_field="body")
    assert list(docs) == ["r1"]
    assert docs["r1"].text == "First, with comma."
    assert {s.id for s in skipped} == {"t.csv#3", "t.csv#4"}
    _, skipped = _read(tmp_path)  # default column "text" is absent
    assert "no column 'text'" in skipped[0].reason and "body" in skipped[0].reason


def test_bad_files_are_skipped_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\n  ")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "big.txt").write_text("x" * 3000)
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 in M\xfcnchen.".encode("latin-1"))
    os.symlink(tmp_path / "missing-target", tmp_path / "dangling.txt")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    docs, skipped = _read(tmp_path, max_file_mb=0.002)
    reasons = {Path(s.source).name: s.reason for s in skipped}
    assert reasons["empty.txt"] == "empty file"
    assert "whitespace" in reasons["blank.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "over the limit" in reasons["big.txt"] and "max_file_mb" in reasons["big.txt"]
    assert "cannot stat" in reasons["dangling.txt"]
    assert "ignored.pdf" not in reasons and "ignored.pdf" not in docs
    assert docs["latin1.txt"].text == "Café in München."
    assert docs["latin1.txt"].metadata["decoded_with"] == "cp1252"


def test_non_utf8_can_be_skipped_instead_of_decoded(tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9.".encode("latin-1"))
    docs, skipped = _read(tmp_path, encoding_fallback="skip")
    assert not docs
    assert "not valid UTF-8" in skipped[0].reason


def test_content_hash_changes_with_text_only() -> None:
    a = Document("x", "same text")
    assert a.content_hash == Document("y", "same text", "elsewhere").content_hash
    assert a.content_hash != Document("x", "other text").content_hash


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        list(read_corpus(tmp_path / "nope"))
