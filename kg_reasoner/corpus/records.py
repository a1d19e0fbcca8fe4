"""Record files (JSONL lines, CSV rows) read into one document per record.

A record's id is ``<file id>#<its id field>`` (``notes.jsonl#7``), or ``<file id>#<line>`` when
it has none, so equal ids in two files never collide; ``corpus.global_ids`` keeps the id field
as is. CSV is parsed strictly: a quote left open swallows the rows below it, so such a row is
reported with the lines it ran over and skipped, and reading resumes on the line after it.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator

from kg_reasoner.corpus.config import CorpusConfig
from kg_reasoner.corpus.document import Document, Skipped


def read_jsonl(
    text: str, source: str, doc_id: str, config: CorpusConfig
) -> Iterator[Document | Skipped]:
    """One document per JSON object line; malformed lines are skipped with their line number."""
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        record_id = f"{doc_id}#{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(source, f"line {lineno}: malformed JSON ({exc.msg})", record_id)
            continue
        if not isinstance(record, dict):
            yield Skipped(source, f"line {lineno}: not a JSON object", record_id)
            continue
        body = record.get(config.text_field)
        if not isinstance(body, str) or not body.strip():
            yield Skipped(
                source, f"line {lineno}: no text in field {config.text_field!r}", record_id
            )
            continue
        meta = {
            k: v
            for k, v in record.items()
            if k not in {config.text_field, config.id_field}
            and isinstance(v, (str, int, float, bool))
        }
        given = record.get(config.id_field)
        yield _document(doc_id, given, record_id, body, source, meta, lineno, config)


def read_csv(
    text: str, source: str, doc_id: str, config: CorpusConfig
) -> Iterator[Document | Skipped]:
    """One document per CSV row with text in ``config.text_field``; bad rows are skipped."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    rows = csv_rows(list(io.StringIO(text, newline="")))
    header: list[str] | None = None
    for first, last, row in rows:
        if isinstance(row, str):
            if header is None:
                if last > first:
                    row = f"a quote is not closed on line {first} (close it, or escape it as \"\")"
                yield Skipped(source, f"malformed CSV header: {row}", doc_id)
                return
            lines = f"lines {first}-{last}" if last > first else f"line {first}"
            yield Skipped(source, f"{lines}: {row}", f"{doc_id}#{first}")
            continue
        if header is None:
            header = row
            if config.text_field not in header:
                yield Skipped(
                    source,
                    f"no column {config.text_field!r} (columns: {', '.join(header) or 'none'}; "
                    "choose one with --text-field)",
                    doc_id,
                )
                return
            continue
        record_id = f"{doc_id}#{last}"
        if len(row) > len(header):
            yield Skipped(source, f"line {last}: more fields than the header", record_id)
            continue
        values = dict(zip(header, row, strict=False))
        body = values.get(config.text_field)
        if not body or not body.strip():
            yield Skipped(source, f"line {last}: empty {config.text_field!r}", record_id)
            continue
        given = values.get(config.id_field)
        meta = {
            k: v for k, v in values.items() if k not in {config.text_field, config.id_field} and v
        }
        yield _document(doc_id, given, record_id, body, source, meta, first, config)


def csv_rows(lines: list[str]) -> Iterator[tuple[int, int, list[str] | str]]:
    """``(first line, last line, fields)`` per non-blank CSV record, 1-based.

    A record the strict parser rejects comes as ``(first, last, reason)``. When it spans
    several lines (a quote opened and not closed where it should be), reading resumes on the
    line after its first, so the rows it ran over are read on their own. A malformed record on
    a single line is parsed leniently, as Python's csv module does by default.
    """
    start = 0  # index of the first line the current reader was given
    while start < len(lines):
        reader = csv.reader(lines[start:], strict=True)
        consumed = 0  # lines of lines[start:] read by complete records
        try:
            for row in reader:
                first, consumed = start + consumed + 1, reader.line_num
                if row:
                    yield first, start + consumed, row
            return
        except csv.Error as exc:
            error = exc  # the name "exc" is unbound after the except block
            first, last = start + consumed + 1, start + max(reader.line_num, consumed + 1)
        if last > first:
            rest = (
                f"line {last} is read as a row"
                if last == first + 1
                else f"lines {first + 1}-{last} are read as rows"
            )
            yield first, last, (
                f"the quote opened on line {first} is not closed, so its row swallowed the "
                f"lines after it (csv: {error}); line {first} is skipped and {rest} "
                '(close the quote, or escape it as "")'
            )
        else:
            yield first, last, _lenient_row(lines[first - 1], error)
        start = first  # resume on the line after the record's first line


def _lenient_row(line: str, strict_error: csv.Error) -> list[str] | str:
    """A one-line record as the default (lenient) csv parser reads it, or why it cannot be."""
    if "unexpected end of data" in str(strict_error):
        return 'malformed CSV (a quote is not closed: close it, or escape it as "")'
    try:
        return next(csv.reader([line]), [])
    except csv.Error as exc:
        return f"malformed CSV ({exc})"


def _document(
    doc_id: str,
    given: object,
    record_id: str,
    body: str,
    source: str,
    meta: dict[str, object],
    line: int,
    config: CorpusConfig,
) -> Document:
    """The record's document: its id scoped by the file unless ``global_ids``."""
    if given in (None, ""):
        return Document(record_id, body, source, meta, line)
    scoped, bare = f"{doc_id}#{given}", str(given)
    doc, alt = (bare, scoped) if config.global_ids else (scoped, bare)
    return Document(doc, body, source, meta, line, (alt,))
