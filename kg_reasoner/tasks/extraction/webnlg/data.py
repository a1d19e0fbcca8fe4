"""Reading WebNLG v1.6 (enriched) XML files: entries of DBpedia triples and their texts.

Each ``<entry>`` holds the facts (``modifiedtripleset/mtriple``: ``subject | property |
object``) and several human-written texts (``<lex>``) with ``references`` that tie the surface
strings of the text to the entities. A path may be one XML file or a folder searched
recursively (``train/1triples/Airport.xml`` ...). An entry that cannot be read (a triple without
three parts, a text missing) is skipped and reported in :attr:`WebNLGCorpus.skipped` with the
file and entry id; a file that is not well-formed XML raises :class:`DataFormatError`.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg_reasoner.errors import DataFormatError


@dataclass(frozen=True)
class Fact:
    """One DBpedia triple as WebNLG writes it (``Alan_Bean | birthPlace | Wheeler,_Texas``)."""

    subject: str
    property: str
    object: str


@dataclass(frozen=True)
class Reference:
    """A surface string of the text that names ``entity`` (tag AGENT-1, BRIDGE-1, PATIENT-1)."""

    entity: str
    tag: str
    kind: str  # name | pronoun | description | demonym ...
    text: str


@dataclass(frozen=True)
class Lexicalisation:
    """One text of an entry, with its references."""

    lid: str
    text: str
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class Entry:
    """A set of 1-7 facts about one DBpedia category, and the texts that state them."""

    eid: str
    category: str
    source: str
    facts: tuple[Fact, ...]
    texts: tuple[Lexicalisation, ...]

    @property
    def key(self) -> str:
        """Unique over a split: ``<file stem>/<size>/<eid>`` (eids repeat across files)."""
        return f"{self.category}/{len(self.facts)}/{self.eid}"


@dataclass
class WebNLGCorpus:
    """The entries read from one split, and the entries skipped with their reasons."""

    entries: list[Entry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def texts(self) -> Iterator[tuple[Entry, Lexicalisation]]:
        for entry in self.entries:
            for lex in entry.texts:
                yield entry, lex


def read_webnlg(path: str | Path) -> WebNLGCorpus:
    """Read every entry under ``path`` (an XML file or a folder of them), in a stable order."""
    root = Path(path)
    if root.is_dir():
        files = sorted(root.rglob("*.xml"))
    elif root.is_file():
        files = [root]
    else:
        raise DataFormatError(f"no WebNLG data at {root}: give a split folder or an XML file")
    if not files:
        raise DataFormatError(f"no .xml files under {root}: is this a WebNLG split folder?")
    corpus = WebNLGCorpus()
    for file in files:
        _read_file(file, corpus)
    return corpus


def _read_file(file: Path, corpus: WebNLGCorpus) -> None:
    try:
        tree = ET.parse(file)
    except (ET.ParseError, OSError) as exc:
        raise DataFormatError(f"{file}: not a readable WebNLG XML file ({exc})") from exc
    for element in tree.getroot().iter("entry"):
        eid = element.get("eid", "?")
        try:
            corpus.entries.append(_entry(element, file))
        except ValueError as exc:
            corpus.skipped.append(f"{file}: entry {eid}: {exc}")


def _entry(element: ET.Element, file: Path) -> Entry:
    facts = tuple(_fact(t.text or "") for t in element.iter("mtriple"))
    if not facts:
        raise ValueError("no <mtriple> facts")
    texts = []
    for lex in element.iter("lex"):
        text = " ".join((lex.findtext("text") or "").split())
        if not text:
            continue
        refs = tuple(
            Reference(
                ref.get("entity", ""),
                ref.get("tag", ""),
                ref.get("type", ""),
                " ".join((ref.text or "").split()),
            )
            for ref in lex.iter("reference")
        )
        texts.append(Lexicalisation(lex.get("lid", ""), html.unescape(text), refs))
    if not texts:
        raise ValueError("no <lex> text")
    return Entry(element.get("eid", ""), element.get("category", file.stem), str(file), facts,
                 tuple(texts))  # fmt: skip


def _fact(raw: str) -> Fact:
    parts = [p.strip() for p in html.unescape(raw).split(" | ")]
    if len(parts) != 3 or not all(parts):
        expected = "expected 'subject | property | object'"
        raise ValueError(f"malformed triple {raw.strip()!r}: {expected}")
    return Fact(*parts)
