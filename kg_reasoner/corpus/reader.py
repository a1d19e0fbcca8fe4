"""Reading documents from files and folders, with a bad-input policy that never raises.

Every file either yields :class:`Document` objects or a :class:`Skipped` record with the reason:
binary content, an undecodable encoding, an empty file, a file over the size limit, an
unreadable file or folder, a FIFO, socket or device (never opened: opening a FIFO blocks),
malformed JSONL lines or CSV rows.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from kg_reasoner.corpus.config import CorpusConfig
from kg_reasoner.corpus.document import Document, Skipped
from kg_reasoner.corpus.records import read_csv, read_jsonl
from kg_reasoner.errors import CorpusError

_BINARY_SNIFF = 8192
_SPECIAL_KINDS = {
    stat.S_IFIFO: "FIFO",
    stat.S_IFSOCK: "socket",
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
}


def iter_files(root: Path, config: CorpusConfig) -> Iterator[Path | Skipped]:
    """Files under ``root`` (recursively, sorted) whose extension is accepted.

    A folder that cannot be listed comes as a :class:`Skipped` record (``os.walk`` would pass
    over it in silence).
    """
    if not root.is_dir():  # a file given directly, whatever its kind: read_file reports it
        yield root
        return
    extensions = {e.lower() if e.startswith(".") else f".{e.lower()}" for e in config.extensions}
    unlisted: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(
        root, onerror=unlisted.append, followlinks=config.follow_symlinks
    ):
        yield from (_unlisted_folder(exc) for exc in unlisted)
        unlisted.clear()
        if not config.include_hidden:
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        dirnames.sort()
        for name in sorted(filenames):
            if not config.include_hidden and name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.suffix.lower() in extensions:
                yield path
    yield from (_unlisted_folder(exc) for exc in unlisted)


def _unlisted_folder(exc: OSError) -> Skipped:
    why = "permission denied" if isinstance(exc, PermissionError) else exc.strerror or str(exc)
    return Skipped(str(exc.filename), f"unreadable folder: {why} (its files were not read)")


def read_corpus(
    paths: list[Path] | Path, config: CorpusConfig | None = None
) -> Iterator[Document | Skipped]:
    """Documents (or skip records) from files and folders.

    A document's id is its path relative to the folder given (the file name for a file given
    directly); a record of a JSONL/CSV file is ``path#<its id field>`` when it has one (the
    bare id with ``config.global_ids``), else ``path#line``.
    """
    config = config or CorpusConfig()
    for root in [paths] if isinstance(paths, Path) else paths:
        root = Path(root)
        if not root.exists():
            raise CorpusError(f"corpus path does not exist: {root}")
        base = root if root.is_dir() else root.parent
        for path in iter_files(root, config):
            if isinstance(path, Skipped):
                yield path
            else:
                yield from read_file(path, path.relative_to(base).as_posix(), config)


def read_file(path: Path, doc_id: str, config: CorpusConfig) -> Iterator[Document | Skipped]:
    """Read one file according to its extension."""
    source = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        yield Skipped(source, f"cannot stat file: {exc.strerror or exc}", doc_id)
        return
    if not stat.S_ISREG(info.st_mode):
        kind = _SPECIAL_KINDS.get(stat.S_IFMT(info.st_mode), "special file")
        yield Skipped(source, f"not a regular file ({kind}): not read", doc_id)
        return
    size = info.st_size
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
        yield from read_jsonl(text, source, doc_id, config)
    elif suffix == ".csv":
        yield from read_csv(text, source, doc_id, config)
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
