"""A document to be read into the graph, and the reasons a file can be skipped."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """One unit of text with a stable id (path relative to the corpus root, or a given id)."""

    id: str
    text: str
    source: str = ""
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

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
