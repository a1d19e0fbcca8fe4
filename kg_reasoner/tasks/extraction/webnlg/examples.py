"""WebNLG texts -> labelled extractor examples (token spans typed ENTITY / VALUE / STRING).

Each text of an entry becomes one :class:`Example` (the whole text, so a relation may cross
sentences). Every subject and object of the entry's facts is located in the text through the
text's ``references`` (their surface strings, compared without whitespace and case) and through
its own name; a leading article and trailing punctuation or possessive are trimmed, pronouns are
ignored, and overlapping candidates are resolved in favour of the one whose words equal the
entity's name, then the longer one. A fact becomes a relation typed by its DBpedia property
between the closest occurrences of its subject and object, preferring occurrences that spell the
name. Facts whose subject or object cannot be found are counted in :class:`AlignmentReport`: the
ceiling of any span extractor on these texts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg_reasoner.extraction.supervised.data import Entity, Example, Relation, Span
from kg_reasoner.extraction.supervised.names import display_name
from kg_reasoner.tasks.extraction.webnlg.data import (
    Entry,
    Lexicalisation,
    WebNLGCorpus,
    read_webnlg,
)
from kg_reasoner.tasks.extraction.webnlg.metrics import normalize_name, object_kind

ENTITY, VALUE, STRING = "ENTITY", "VALUE", "STRING"
ENTITY_TYPES = {"entity": ENTITY, "number-date": VALUE, "string": STRING}
VALUE_TYPES = (VALUE, STRING)  # spans the extractor emits as literals
_ARTICLES = {"the", "a", "an"}
_PAREN = re.compile(r"\s*\([^)]*\)\s*$")
_PRONOUNS = {
    "it", "its", "they", "their", "them", "he", "his", "him", "she", "her", "this", "these",
    "that", "those", "which", "who", "whose", "there",
}  # fmt: skip
_TRAILING = {".", ",", ";", ":", "'s", "’s", "'", "’"}

Tokenizer = Callable[[str], Any]  # text -> spaCy Doc (tokens with .text and .idx)


@dataclass
class AlignmentReport:
    """How many facts became relations; the rest cannot be learnt or predicted as spans."""

    texts: int = 0
    facts: int = 0
    aligned: int = 0
    exact: int = 0  # aligned facts whose subject and object spans spell their names
    skipped_entries: list[str] = field(default_factory=list)
    unaligned_by_kind: Counter[str] = field(default_factory=Counter)

    @property
    def ceiling(self) -> float:
        return self.aligned / self.facts if self.facts else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "texts": self.texts,
            "facts": self.facts,
            "aligned": self.aligned,
            "aligned_exact_names": self.exact,
            "ceiling": round(self.ceiling, 4),
            "unaligned_by_object_kind": dict(self.unaligned_by_kind),
            "skipped_entries": len(self.skipped_entries),
        }


@dataclass(frozen=True)
class _Occurrence:
    span: Span
    entity: str
    exact: bool


def entity_type(name: str) -> str:
    """ENTITY, VALUE (numbers, measures, dates) or STRING (other quoted values)."""
    return ENTITY_TYPES[object_kind(name)]


def read_webnlg_examples(
    path: str | Path, tokenizer: Tokenizer | None = None
) -> tuple[list[Example], AlignmentReport]:
    """Read a WebNLG split (folder or XML file) as examples, with the alignment report."""
    return webnlg_examples(read_webnlg(path), tokenizer)


def webnlg_examples(
    corpus: WebNLGCorpus, tokenizer: Tokenizer | None = None
) -> tuple[list[Example], AlignmentReport]:
    """One example per text of every entry (texts without any token are left out)."""
    tokenizer = tokenizer or blank_tokenizer()
    report = AlignmentReport(skipped_entries=list(corpus.skipped))
    examples = []
    for entry, lex in corpus.texts():
        example = text_example(entry, lex, tokenizer, report)
        if example is not None:
            examples.append(example)
    return examples, report


def blank_tokenizer() -> Tokenizer:
    """spaCy's English tokenizer (the same rules as the packaged pipeline's), from the one
    cached blank pipeline of :func:`load_spacy`."""
    from kg_reasoner.extraction.spacy_loader import load_spacy

    return load_spacy("blank:en").tokenizer  # type: ignore[no-any-return]


def text_example(
    entry: Entry, lex: Lexicalisation, tokenizer: Tokenizer, report: AlignmentReport
) -> Example | None:
    """The labelled example of one text; unaligned facts are counted in ``report``."""
    tokens = [t for t in tokenizer(lex.text) if not t.is_space]
    if not tokens:
        return None
    report.texts += 1
    text = _IndexedText(lex, tokens)
    names = list(dict.fromkeys(n for f in entry.facts for n in (f.subject, f.object)))
    kept = _resolve_overlaps(occ for name in names for occ in text.occurrences(name))
    by_entity: dict[str, list[_Occurrence]] = {}
    for occ in kept:
        by_entity.setdefault(occ.entity, []).append(occ)
    entities = tuple(
        Entity(o.span[0], o.span[1], entity_type(o.entity), name=o.entity)
        for o in sorted(kept, key=lambda o: o.span)
    )
    relations: dict[tuple[Span, Span, str], Relation] = {}
    for fact in entry.facts:
        report.facts += 1
        pair = _closest(by_entity.get(fact.subject, []), by_entity.get(fact.object, []))
        if pair is None:
            report.unaligned_by_kind[object_kind(fact.object)] += 1
            continue
        head, tail = pair
        report.aligned += 1
        report.exact += head.exact and tail.exact
        relations.setdefault(
            (head.span, tail.span, fact.property), Relation(head.span, tail.span, fact.property)
        )
    return Example(text.words, entities, tuple(relations.values()))


class _IndexedText:
    """One text prepared for searching: its characters without whitespace, lower case, mapped
    back to character offsets, and which tokens start and end where."""

    def __init__(self, lex: Lexicalisation, tokens: Sequence[Any]) -> None:
        self.text = lex.text
        self.tokens = tokens
        self.words = tuple(t.text for t in tokens)
        self.references = [
            (normalize_name(r.entity), r.text) for r in lex.references if r.kind != "pronoun"
        ]
        squashed: list[str] = []
        self.origin: list[int] = []
        for i, ch in enumerate(lex.text):
            if not ch.isspace():
                low = ch.lower()  # may be longer than one character ("İ")
                squashed.append(low)
                self.origin += [i] * len(low)
        self.haystack = "".join(squashed)
        self.token_at = {i: k for k, t in enumerate(tokens) for i in range(t.idx, t.idx + len(t))}

    def occurrences(self, name: str) -> list[_Occurrence]:
        """Token spans where the text names ``name`` (its references, then its own name)."""
        key = normalize_name(name)
        shown = display_name(name)
        surfaces = [text for ref_key, text in self.references if ref_key == key]
        surfaces += [shown, _PAREN.sub("", shown)]
        found: dict[Span, _Occurrence] = {}
        article = key.split(" ", 1)[0] in _ARTICLES  # "A Fortress of Grey Ice" keeps its "A"
        for surface in dict.fromkeys(s for s in surfaces if s.strip()):
            for span in self.find(surface):
                span = _trim(span, self.words, keep_article=article)
                if span is None or span in found:
                    continue
                exact = normalize_name(self.span_text(span)) == key
                found[span] = _Occurrence(span, name, exact)
        return list(found.values())

    def find(self, surface: str) -> list[Span]:
        """Token spans whose characters, whitespace and case aside, are ``surface``; a match
        may leave out punctuation glued to its first or last token ("18R/36L." is one token)."""
        needle = "".join(surface.lower().split())
        spans = []
        at = self.haystack.find(needle) if needle else -1
        while at >= 0:
            first, last = self.origin[at], self.origin[at + len(needle) - 1] + 1
            head, tail = self.token_at.get(first), self.token_at.get(last - 1)
            if head is not None and tail is not None:
                before = self.text[self.tokens[head].idx : first]
                end = self.tokens[tail].idx + len(self.tokens[tail])
                if not any(c.isalnum() for c in before + self.text[last:end]):
                    spans.append((head, tail + 1))
            at = self.haystack.find(needle, at + 1)
        return spans

    def span_text(self, span: Span) -> str:
        """The characters a token span covers (``1988-11-22``, not ``1988 - 11 - 22``)."""
        last = self.tokens[span[1] - 1]
        return self.text[self.tokens[span[0]].idx : last.idx + len(last.text)]


def _trim(span: Span, words: tuple[str, ...], *, keep_article: bool = False) -> Span | None:
    """Drop a leading article (unless ``keep_article``: the name begins with it) and trailing
    punctuation or possessive ("the", "'s", ".")."""
    start, end = span
    while end - start > 1 and words[end - 1].lower() in _TRAILING:
        end -= 1
    if end - start > 1 and words[start].lower() in _ARTICLES and not keep_article:
        start += 1
    if words[start].lower() in _TRAILING:
        return None
    if end - start == 1 and words[start].lower() in _ARTICLES | _PRONOUNS:
        return None  # a reference cut down to "the" or "their" names nothing
    return (start, end)


def _resolve_overlaps(occurrences: Iterable[_Occurrence]) -> list[_Occurrence]:
    """Non-overlapping occurrences: names spelt out first, then longer spans, then text order."""
    ranked = sorted(occurrences, key=lambda o: (not o.exact, o.span[0] - o.span[1], o.span[0]))
    kept: list[_Occurrence] = []
    for occ in ranked:
        start, end = occ.span
        if any(start < k.span[1] and k.span[0] < end for k in kept):
            continue
        kept.append(occ)
    return kept


def _closest(
    subjects: list[_Occurrence], objects: list[_Occurrence]
) -> tuple[_Occurrence, _Occurrence] | None:
    """The subject/object occurrences that spell their names most, then lie closest."""
    best, best_key = None, None
    for s in subjects:
        for o in objects:
            if s.span == o.span:
                continue
            gap = max(o.span[0] - s.span[1], s.span[0] - o.span[1], 0)
            key = (-(s.exact + o.exact), gap)
            if best_key is None or key < best_key:
                best, best_key = (s, o), key
    return best
