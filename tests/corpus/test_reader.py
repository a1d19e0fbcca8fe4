from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from kg_reasoner.corpus import CorpusConfig, Document, Skipped, read_corpus
from kg_reasoner.errors import CorpusError
from tests.corpus.unlistable import refuse_listing


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


def test_jsonl_records_use_file_and_id_field_else_line_number(tmp_path: Path) -> None:
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
    assert set(docs) == {"d.jsonl#a", "d.jsonl#2"}
    assert docs["d.jsonl#a"].metadata == {"topic": "x"}
    assert docs["d.jsonl#a"].line == 1
    reasons = sorted(s.reason for s in skipped)
    assert any("line 3: malformed JSON" in r for r in reasons)
    assert any("line 4: not a JSON object" in r for r in reasons)
    assert any("line 5: no text in field 'text'" in r for r in reasons)


def test_csv_reads_the_chosen_column_and_reports_bad_rows(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(
        'id,body,extra\nr1,"First, with comma.",1\nr2,,2\nr3,Third.,3,surplus\n', encoding="utf-8"
    )
    docs, skipped = _read(tmp_path, text_field="body")
    assert list(docs) == ["t.csv#r1"]
    assert docs["t.csv#r1"].text == "First, with comma."
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


def test_equal_record_ids_in_two_files_stay_apart(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "1", "text": "Alpha."}), encoding="utf-8")
    (tmp_path / "b.csv").write_text("id,text\n1,Beta.\n", encoding="utf-8")
    docs, _ = _read(tmp_path)
    assert {i: d.text for i, d in docs.items()} == {"a.jsonl#1": "Alpha.", "b.csv#1": "Beta."}
    assert docs["a.jsonl#1"].alt_ids == ("1",)  # its id before ids included the file


def test_global_ids_keep_the_id_field_as_is(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"id": "1", "text": "Alpha."}) + "\n" + json.dumps({"text": "No id."}),
        encoding="utf-8",
    )
    docs, _ = _read(tmp_path, global_ids=True)
    assert set(docs) == {"1", "a.jsonl#2"}  # a record without an id keeps file#line
    assert docs["1"].alt_ids == ("a.jsonl#1",)


CSV_HEADER = "id,text,n\n"


def test_csv_unterminated_quote_is_reported_and_the_rows_it_swallowed_are_read(
    tmp_path: Path,
) -> None:
    (tmp_path / "eof.csv").write_text(
        CSV_HEADER + 'r1,"Broken text,1\nr2,Fine.,2\nr3,Also fine.,3\n', encoding="utf-8"
    )
    (tmp_path / "next.csv").write_text(
        CSV_HEADER + 'r1,"Broken text,1\nr2,Fine.,2\nr3,"Quoted, yes",3\n', encoding="utf-8"
    )
    docs, skipped = _read(tmp_path)
    assert {i: d.text for i, d in docs.items()} == {
        "eof.csv#r2": "Fine.",
        "eof.csv#r3": "Also fine.",
        "next.csv#r2": "Fine.",
        "next.csv#r3": "Quoted, yes",
    }
    reasons = {s.id: s.reason for s in skipped}
    assert set(reasons) == {"eof.csv#2", "next.csv#2"}
    assert reasons["eof.csv#2"].startswith("lines 2-4: the quote opened on line 2 is not closed")
    assert reasons["next.csv#2"].startswith("lines 2-4: the quote opened on line 2 is not closed")
    assert "line 2 is skipped and lines 3-4 are read as rows" in reasons["eof.csv#2"]


def test_csv_quoted_multiline_fields_are_read_whole(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text(
        CSV_HEADER + 'r1,"Line one,\nline two, with commas",1\nr2,"Said ""hi"".",2\n',
        encoding="utf-8",
    )
    docs, skipped = _read(tmp_path)
    assert skipped == []
    assert docs["m.csv#r1"].text == "Line one,\nline two, with commas"
    assert docs["m.csv#r1"].line == 2
    assert docs["m.csv#r2"].text == 'Said "hi".'


def test_csv_one_line_quote_slips_are_read_leniently_as_before(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text(
        CSV_HEADER + 'r1,He said "hi" there,1\nr2,"Quoted"tail,2\nr3,"open,3', encoding="utf-8"
    )
    docs, skipped = _read(tmp_path)
    assert docs["s.csv#r1"].text == 'He said "hi" there'
    assert docs["s.csv#r2"].text == "Quotedtail"
    assert [(s.id, "not closed" in s.reason) for s in skipped] == [("s.csv#4", True)]


def test_a_folder_that_cannot_be_listed_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "secret.txt").write_text("Hidden text.")
    (tmp_path / "open.txt").write_text("Open text.")
    refuse_listing(monkeypatch, "locked")
    docs, skipped = _read(tmp_path)
    assert list(docs) == ["open.txt"]
    assert [(s.source, s.reason.split(" (")[0]) for s in skipped] == [
        (str(tmp_path / "locked"), "unreadable folder: permission denied")
    ]


def test_a_chmod_000_folder_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "secret.txt").write_text("Hidden text.")
    locked.chmod(0)
    try:
        try:
            os.listdir(locked)
        except PermissionError:
            pass
        else:  # e.g. root with CAP_DAC_OVERRIDE; `setpriv --bounding-set=-dac_override,...`
            pytest.skip("this user lists a chmod 000 folder anyway (root)")
        _, skipped = _read(tmp_path)
    finally:
        locked.chmod(0o755)
    assert [s.reason.split(" (")[0] for s in skipped] == ["unreadable folder: permission denied"]


def test_a_fifo_is_reported_and_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "ok.txt").write_text("Fine text.")
    results: list[tuple[dict[str, Document], list[Skipped]]] = []
    # opening a FIFO blocks until a writer comes: read in a thread, so a regression fails here
    reader = threading.Thread(
        target=lambda: results.extend([_read(tmp_path), _read(tmp_path / "pipe.txt")]),
        daemon=True,
    )
    reader.start()
    reader.join(timeout=30)
    assert results, "reading the corpus blocked on the FIFO"
    (docs, skipped), (_, direct) = results
    assert list(docs) == ["ok.txt"]
    assert [s.reason for s in skipped] == ["not a regular file (FIFO): not read"]
    assert [s.reason for s in direct] == ["not a regular file (FIFO): not read"]


def test_a_csv_header_with_an_open_quote_skips_the_file_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "h.csv").write_text('"id,text\nr1,One.\n', encoding="utf-8")
    docs, skipped = _read(tmp_path)
    assert not docs
    assert [s.reason for s in skipped] == [
        'malformed CSV header: a quote is not closed on line 1 (close it, or escape it as "")'
    ]
