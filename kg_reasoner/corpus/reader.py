"""Reading documents from files and folders, with a bad-input policy that never raises.

Every file either yields :class:`Document` objects or a :class:`Skipped` record with the reason:
binary content, an undecodable encoding, an empty file, a file over the size limit, an
unreadable file, malformed JSONL lines or CSV rows.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from kg_reasoner.corpus.config import CorpusConfig
from kg_reasoner.corpus.document import Document, Skipped
from kg_reasoner.errors import CorpusError

_BINARY_SNIFF = 8192


def iter_files(root: Path, config: CorpusConfig) -> Iterator[Path]:
    """Files under ``root`` (recursively, sorted) whose extension is accepted."""
    if root.is_file():
        yield root
        return
    extensions = {e.lower() if e.startswith(".") else f".{e.lower()}" for e in config.extensions}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=config.follow_symlinks):
        if not config.include_hidden:
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        dirnames.sort()
        for name in sorted(filenames):
            if not config.include_hidden and name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.suffix.lower() in extensions:
                yield path


def read_corpus(
    paths: list[Path] | Path, config: CorpusConfig | None = None
) -> Iterator[Document | Skipped]:
    """Documents (or skip records) from files and folders.

    A document's id is its path relative to the folder given (the file name for a file given
    directly); records of JSONL/CSV files use their ``id`` field when present, else
    ``path#line``.
    """
    config = config or CorpusConfig()
    for root in [paths] if isinstance(paths, Path) else paths:
        root = Path(root)
        if not root.exists():
            raise CorpusError(f"corpus path does not exist: {root}")
        base = root.parent if root.is_file() else root
        for path in iter_files(root, config):
            yield from read_file(path, path.relative_to(base).as_posix(), config)


def read_file(path: Path, doc_id: str, config: CorpusConfig) -> Iterator[Document | Skipped]:
    """Read one file according to its extension."""
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Skipped(source, f"cannot stat file: {exc.strerror or exc}", doc_id)
        return
    if size == 0:
        yield Skipped(source, "empty file", doc_id)
        return
    if size > config.max_file_mb * 1024 * 1024:
        yield Skipped(
            source,
            f"file is {size / 1e6:.1f} MB, over the limit of {config.max_file_mb} MB "
            "(raise corpus.max_file_mb to read it)",
            doc_id,
        )
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield Skipped(source, f"unreadable file: {exc.strerror or exc}", doc_id)
        return
    if b"\x00" in raw[:_BINARY_SNIFF]:
        yield Skipped(source, "binary file (contains NUL bytes)", doc_id)
        return
    text, problem = decode(raw, config.encoding_fallback)
    if text is None:
        yield Skipped(source, problem, doc_id)
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(text, source, doc_id, config)
    elif suffix == ".csv":
        yield from _read_csv(text, source, doc_id, config)
    elif not text.strip():
        yield Skipped(source, "file has only whitespace", doc_id)
    else:
        meta = {"decoded_with": problem} if problem else {}
        yield Document(doc_id, text, source, meta)


def decode(raw: bytes, fallback: str) -> tuple[str | None, str]:
    """Decode UTF-8 (with BOM), else the fallback encoding; returns (text, note or reason)."""
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    if fallback == "skip":
        return None, "not valid UTF-8 (set corpus.encoding_fallback to an encoding to read it)"
    try:
        text = raw.decode(fallback)
    except (UnicodeDecodeError, LookupError) as exc:
        return None, f"not valid UTF-8 and not {fallback}: {exc}"
    controls = sum(1 for ch in text[:_BINARY_SNIFF] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > len(text[:_BINARY_SNIFF]) * 0.05:
        return None, "not text: too many control characters"
    return text, fallback


def _read_jsonl(
    text: str, source: str, doc_id: str, config: CorpusConfig
) -> Iterator[Document | Skipped]:
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
        given = record.get(config.id_field)
        meta = {
            k: v
            for k, v in record.items()
            if k not in {config.text_field, config.id_field}
            and isinstance(v, (str, int, float, bool))
        }
        yield Document(str(given) if given not in (None, "") else record_id, body, source, meta)


def _read_csv(
    text: str, source: str, doc_id: str, config: CorpusConfig
) -> Iterator[Document | Skipped]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        fields = reader.fieldnames or []
    except csv.Error as exc:
        yield Skipped(source, f"malformed CSV header: {exc}", doc_id)
        return
    if config.text_field not in fields:
        yield Skipped(
            source,
            f"no column {config.text_field!r} (columns: {', '.join(fields) or 'none'}; "
            "choose one with --text-field)",
            doc_id,
        )
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Skipped(source, f"line {reader.line_num}: malformed CSV ({exc})", doc_id)
            break
        record_id = f"{doc_id}#{reader.line_num}"
        if None in row:
            yield Skipped(source, f"line {reader.line_num}: more fields than the header", record_id)
            continue
        body = row.get(config.text_field)
        if not body or not body.strip():
            yield Skipped(source, f"line {reader.line_num}: empty {config.text_field!r}", record_id)
            continue
        given = row.get(config.id_field)
        meta = {k: v for k, v in row.items() if k not in {config.text_field, config.id_field} and v}
        yield Document(given or record_id, body, source, meta)
