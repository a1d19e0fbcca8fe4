"""Scoring graphs built from WebNLG texts against the DBpedia facts each text states.

Names are compared exactly after :func:`normalize_name` (the same function on both sides):
DBpedia ids lose underscores and disambiguators (``Big_Hero_6_(film)`` -> ``big hero 6``),
values are compared by their literal (``"1,234"`` = ``1234.0``; ``July 11th, 1907`` =
``1907-07-11``), and case, punctuation and a leading "the" are ignored (the dots of initials
too: ``Juventus F.C.`` = ``Juventus FC``; accents are kept: ``Díaz`` is not ``Diaz``).

- entity recall: gold subjects and objects found among the text's graph nodes and literals;
- pair recall / precision: unordered subject-object pairs, whatever the relation (also
  without the pairs that have a concept node, a common noun, at one end);
- typed-triple precision / recall / F1: subject, DBpedia property and object, in that order.

Every figure is also given by number of facts per entry and by object kind (entity,
number-date, string).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kg_reasoner.extraction.values import parse_value
from kg_reasoner.tasks.extraction.webnlg.data import Fact

_PAREN = re.compile(r"\s*\([^)]*\)\s*$")
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
# Initials written with dots ("F.C.", "D.C.", "A.C"): ignoring the punctuation joins the
# letters ("FC"), as the same name written without dots reads; a space would split them.
_INITIALS = re.compile(r"\b(?:[^\W\d_]\.)+[^\W\d_]\b\.?")


def normalize_name(name: str) -> str:
    """The comparison key of an entity name or a value (see the module docstring)."""
    text = unicodedata.normalize("NFKC", html.unescape(name)).replace("_", " ").strip()
    has_digit = any(c.isdigit() for c in text)
    value = parse_value(text.replace('"', " ").strip(), "DATE") if has_digit else None
    if value is not None and value.datatype != "string":
        return value.lexical
    text = text.strip('"').strip()
    while True:
        stripped = _PAREN.sub("", text)
        if stripped == text or not stripped:
            break
        text = stripped
    text = _INITIALS.sub(lambda m: m.group(0).replace(".", ""), text)
    words = _NON_WORD.sub(" ", text.lower()).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def text_key(text: str) -> str:
    """A whole text as :func:`normalize_name` writes a name, padded with spaces, so that
    ``f" {name} " in text_key(text)`` says whether a normalised name is written in it."""
    return f" {normalize_name(text)} "


def is_written(name: str, key: str) -> bool:
    """Whether a normalised gold name can be read from a text (its :func:`text_key`): a value
    (compared as a literal, however the text writes it), or a name written word for word."""
    return any(c.isdigit() for c in name) or f" {name} " in key


def object_kind(obj: str) -> str:
    """``number-date`` for numbers, measures and dates; ``string`` for other quoted values."""
    text = html.unescape(obj).replace("_", " ")
    if any(c.isdigit() for c in text):
        value = parse_value(text.replace('"', " ").strip())
        if value is not None and value.datatype != "string":
            return "number-date"
    return "string" if text.startswith('"') else "entity"


@dataclass(frozen=True)
class Predicted:
    """A triple read from the built graph: labels (or literal values) and the relation name."""

    subject: str
    relation: str
    object: str
    concept: bool = False  # an end is a concept node (a common noun), not a name or value


@dataclass
class Counts:
    """True positives, predictions and gold items of one measure."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.gold += other.gold

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "predicted": self.predicted,
            "gold": self.gold,
        }


@dataclass
class WebNLGScores:
    """Accumulates the measures over texts, overall and per group."""

    entities: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    pairs: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    triples: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    named_pairs: Counts = field(default_factory=Counts)  # pairs without a concept node
    # gold pairs whose two names are written in the text: what a span extractor can reach
    written_pairs: Counts = field(default_factory=Counts)
    texts: int = 0
    empty_texts: int = 0

    def add_text(
        self,
        facts: Iterable[Fact],
        predicted: Iterable[Predicted],
        nodes: Iterable[str],
        text: str | None = None,
    ) -> None:
        """Score one text: its gold facts, the triples built from it and its node names (and,
        given the ``text``, how many gold pairs name only what it writes)."""
        facts = list(facts)
        predicted = list(predicted)
        self.texts += 1
        self.empty_texts += not predicted
        size = f"size_{len(facts)}"
        node_keys = {normalize_name(n) for n in nodes} | {
            normalize_name(x) for p in predicted for x in (p.subject, p.object)
        }
        gold_names = {normalize_name(n) for f in facts for n in (f.subject, f.object)}
        found = Counts(len(gold_names & node_keys), len(node_keys), len(gold_names))
        for group in ("overall", size):
            self.entities[group].add(found)

        pred_pairs = {_pair(p.subject, p.object) for p in predicted}
        named = {_pair(p.subject, p.object) for p in predicted if not p.concept}
        all_gold_pairs = {_pair(f.subject, f.object) for f in facts}
        self.named_pairs.add(Counts(len(named & all_gold_pairs), len(named), len(all_gold_pairs)))
        if text is not None:
            key = text_key(text)
            written = {p for p in all_gold_pairs if all(is_written(n, key) for n in p)}
            self.written_pairs.add(Counts(len(written & pred_pairs), len(pred_pairs), len(written)))
        pred_triples = {
            (normalize_name(p.subject), p.relation, normalize_name(p.object)) for p in predicted
        }
        gold_by_kind: dict[str, list[Fact]] = defaultdict(list)
        for fact in facts:
            gold_by_kind[object_kind(fact.object)].append(fact)
        for group in ("overall", size):
            gold_pairs = {_pair(f.subject, f.object) for f in facts}
            self.pairs[group].add(
                Counts(len(gold_pairs & pred_pairs), len(pred_pairs), len(gold_pairs))
            )
            gold_triples = {_triple(f) for f in facts}
            self.triples[group].add(
                Counts(len(gold_triples & pred_triples), len(pred_triples), len(gold_triples))
            )
        for kind, kind_facts in gold_by_kind.items():
            gold_pairs = {_pair(f.subject, f.object) for f in kind_facts}
            gold_triples = {_triple(f) for f in kind_facts}
            # precision per kind counts the predictions whose object is of that kind
            kind_pred_pairs = {
                _pair(p.subject, p.object) for p in predicted if _pred_kind(p.object) == kind
            }
            kind_pred_triples = {t for t in pred_triples if _pred_kind(t[2]) == kind}
            self.pairs[kind].add(
                Counts(len(gold_pairs & pred_pairs), len(kind_pred_pairs), len(gold_pairs))
            )
            self.triples[kind].add(
                Counts(len(gold_triples & pred_triples), len(kind_pred_triples), len(gold_triples))
            )

    def summary(self) -> dict[str, object]:
        """Fractions in [0, 1] with the raw counts, overall and by group."""
        return {
            "texts": self.texts,
            "texts_without_triples": self.empty_texts,
            "entity": _grouped(self.entities),
            "pair": _grouped(self.pairs),
            "pair_without_concepts": self.named_pairs.summary(),
            **(
                {"pair_written_in_text": self._written_summary()} if self.written_pairs.gold else {}
            ),
            "triple": _grouped(self.triples),
        }

    def _written_summary(self) -> dict[str, float | int]:
        """``share``: the gold pairs whose two names the text writes, the pair recall any
        extractor of text spans can reach; ``recall``: the share of those found."""
        gold = self.pairs["overall"].gold
        written = self.written_pairs
        return {
            "share": round(written.gold / gold, 4) if gold else 0.0,
            "recall": round(written.recall, 4),
            "tp": written.tp,
            "gold": written.gold,
        }


def _pair(a: str, b: str) -> frozenset[str]:
    return frozenset((normalize_name(a), normalize_name(b)))


def _triple(fact: Fact) -> tuple[str, str, str]:
    return (normalize_name(fact.subject), fact.property, normalize_name(fact.object))


def _pred_kind(obj: str) -> str:
    return "number-date" if obj and parse_value(obj) is not None else "entity"


def _grouped(counts: Mapping[str, Counts]) -> dict[str, dict[str, float | int]]:
    def order(key: str) -> tuple[int, str]:
        return (0 if key == "overall" else 1 if key.startswith("size") else 2, key)

    return {key: counts[key].summary() for key in sorted(counts, key=order)}
