"""Splitting documents into paragraph chunks that fit spaCy's limits, with their offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
_SOFT_BREAKS = ("\n", ". ", "? ", "! ", "; ", ", ", " ")


@dataclass(frozen=True)
class Chunk:
    """A piece of a document: its text, where it starts in the document and its paragraph."""

    text: str
    offset: int
    paragraph: int


def chunk_text(text: str, max_chars: int = 20_000) -> Iterator[Chunk]:
    """Paragraphs of ``text`` (blank-line separated), long ones cut at soft boundaries.

    Offsets are exact: ``text[c.offset : c.offset + len(c.text)] == c.text``.
    """
    position = 0
    for paragraph, match in enumerate([*_PARAGRAPH_BREAK.finditer(text), None]):
        end = match.start() if match else len(text)
        yield from _split_long(text, position, end, paragraph, max_chars)
        if match:
            position = match.end()


def _split_long(text: str, start: int, end: int, paragraph: int, max_chars: int) -> Iterator[Chunk]:
    while start < end:
        while start < end and text[start].isspace():
            start += 1
        if start >= end:
            return
        stop = end
        if end - start > max_chars:
            stop = start + max_chars
            window = text[start:stop]
            for sep in _SOFT_BREAKS:
                cut = window.rfind(sep)
                if cut > max_chars // 2:
                    stop = start + cut + len(sep)
                    break
        piece = text[start:stop].rstrip()
        if piece:
            yield Chunk(piece, start, paragraph)
        start = stop
