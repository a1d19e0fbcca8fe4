"""A document to be read into the graph, and the reasons a file can be skipped."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """One unit of text with a stable id (path relative to the corpus root, then ``#record``).

    ``line`` is where a JSONL/CSV record starts in its file (0 for a whole file), so reports can
    point at it; ``alt_ids`` are the ids the same record has under the other id policy
    (``corpus.global_ids``), so a build can replace a copy stored under one of them.
    """

    id: str
    text: str
    source: str = ""
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    line: int = field(default=0, compare=False)
    alt_ids: tuple[str, ...] = field(default=(), compare=False)

    @property
    def location(self) -> str:
        """``source line N`` for a record, the source alone for a whole file."""
        return f"{self.source} line {self.line}" if self.line else self.source

    @property
    def content_hash(self) -> str:
        """SHA-256 of the text (and metadata): decides whether a document is new or changed."""
        digest = hashlib.sha256(self.text.encode("utf-8"))
        if self.metadata:
            digest.update(repr(sorted(self.metadata.items())).encode("utf-8"))
        return digest.hexdigest()


@dataclass(frozen=True)
class Skipped:
    """A file or record that was not read, and why (reported in the build report)."""

    source: str
    reason: str
    id: str | None = None
