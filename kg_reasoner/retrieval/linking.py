"""Entity linking: question text -> graph entities, with ambiguity made explicit.

``[bracketed]`` names are linked directly (by id, then label). Without brackets, question
n-grams are matched against labels and aliases in three tiers: exact, normalised (case,
accents, punctuation, leading article), then fuzzy (character-trigram candidates re-scored by
edit similarity). Between normalised and fuzzy, a *partial* tier knows a person by the surname
("Marsh" for Helen Marsh), an organisation by its first word ("Northwind" for Northwind
Analytics) or by its initials when the question writes them in capitals ("NWA"). Longer matches
win over the shorter ones inside them. When the best tier gives several entities, the mention is
*ambiguous*: every tied candidate is reported, never silently one of them. A bare surname that
is a node of its own ("Curie") and the surname of two or more people is ambiguous too: the node
and each of those people are readings.

Relation words are not entities: a mention whose words all belong to a relation name of the
graph ("chief executive" beside ``chief_executive_of``) is dropped when the question names
another entity, so "Who is the chief executive of X?" is about X.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kg_reasoner.graph.vocabulary import expand_term
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.retrieval.label_normalisation import normalise_label, trigrams

_TOKEN = re.compile(r"[\w'’.-]+")
_BRACKET = re.compile(r"\[([^\[\]]+)\]")
_STOPWORD_TEXT = (
    "a an the of in on at to for by with from and or is are was were be been did do does who "
    "whom whose what which when where why how that this these those it its his her their he "
    "she they them me my i you your we our as about movie movies film films person people"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_ACRONYM_SKIP = frozenset({"of", "and", "the", "for", "de", "&"})
_PARTIAL_TYPES = {"PERSON": "last", "PER": "last", "ORG": "first"}
_RELATION_SPLIT = re.compile(r"[_\W]+")
_NOT_NAMES = frozenset({"CONCEPT", "VALUE", "DATE"})
_PERSON_TYPES = frozenset(t for t, part in _PARTIAL_TYPES.items() if part == "last")


@dataclass(frozen=True)
class Candidate:
    """A possible referent of a mention; ``match`` is bracket, exact, normalised, surname,
    partial or fuzzy."""

    entity: int
    entity_id: str
    label: str
    score: float
    match: str


@dataclass(frozen=True)
class Mention:
    """A span of the question and the entities it may name (best first)."""

    text: str
    start: int
    end: int
    candidates: tuple[Candidate, ...]

    @property
    def ambiguous(self) -> bool:
        """True when more than one candidate shares the best score."""
        return len(self.best) > 1

    @property
    def best(self) -> tuple[Candidate, ...]:
        if not self.candidates:
            return ()
        top = self.candidates[0].score
        return tuple(c for c in self.candidates if c.score >= top - 1e-9)


@dataclass
class LinkResult:
    """Mentions found in a question and the names in brackets that matched nothing."""

    question: str
    mentions: list[Mention] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)

    @property
    def topic_entities(self) -> list[int]:
        """Entity indices to start reasoning from: every best candidate of every mention."""
        seen: dict[int, None] = {}
        for mention in self.mentions:
            for cand in mention.best:
                seen.setdefault(cand.entity, None)
        return list(seen)

    @property
    def ambiguous(self) -> list[Mention]:
        return [m for m in self.mentions if m.ambiguous]

    def spans(self) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in self.mentions]


class EntityLinker:
    """Links question text to the entities of a :class:`KBIndex`.

    Args:
        index: the graph's entities, labels and aliases.
        max_ngram: longest n-gram (in tokens) tried without brackets.
        fuzzy_threshold: minimum edit similarity (0-1) of a fuzzy match.
        max_candidates: candidates kept per mention.
    """

    def __init__(
        self,
        index: KBIndex,
        *,
        max_ngram: int = 8,
        fuzzy_threshold: float = 0.85,
        max_candidates: int = 5,
    ) -> None:
        self.index = index
        self.max_ngram = max_ngram
        self.fuzzy_threshold = fuzzy_threshold
        self.max_candidates = max_candidates
        self._exact: dict[str, set[int]] = defaultdict(set)
        self._normalised: dict[str, set[int]] = defaultdict(set)
        for i, (label, aliases) in enumerate(
            zip(index.entity_labels, index.entity_aliases, strict=True)
        ):
            for name in (label, *aliases):
                self._exact[name].add(i)
                self._normalised[normalise_label(name)].add(i)
        self._partial: dict[str, set[int]] = defaultdict(set)
        self._acronyms: dict[str, set[int]] = defaultdict(set)
        for i, label in enumerate(index.entity_labels):
            self._add_partial(i, label, index.entity_type(i).upper())
        self._relation_words = frozenset(
            w for r in index.relations for w in _RELATION_SPLIT.split(r.lower()) if w
        )
        self._trigram_index: dict[str, list[str]] | None = None

    def _add_partial(self, entity: int, label: str, etype: str) -> None:
        """Surname / first word / initials of multi-word person and organisation names."""
        which = _PARTIAL_TYPES.get(etype)
        words = normalise_label(label).split()
        if which is None or len(words) < 2:
            return
        part = words[-1] if which == "last" else words[0]
        if part not in _STOPWORDS and len(part) > 2:
            self._partial[part].add(entity)
        if which == "first":
            initials = "".join(w[0] for w in words if w not in _ACRONYM_SKIP)
            if len(initials) >= 2:
                self._acronyms[initials].add(entity)

    def link(self, question: str) -> LinkResult:
        """Find the entity mentions of ``question``; brackets, when present, are authoritative."""
        brackets = list(_BRACKET.finditer(question))
        if brackets:
            return self._link_brackets(question, brackets)
        return self._link_ngrams(question)

    def _link_brackets(self, question: str, brackets: list[re.Match[str]]) -> LinkResult:
        result = LinkResult(question)
        for match in brackets:
            name = match.group(1).strip()
            iri = expand_term(name)  # an id as printed: ent:place.gdansk or <https://...>
            by_id = self.index.entity_to_id.get(name if iri is None else iri)
            if by_id is not None:
                candidates: list[Candidate] = [self._candidate(by_id, 1.0, "bracket")]
            else:
                candidates = self._lookup(name, allow_fuzzy=True)
            if candidates:
                result.mentions.append(Mention(name, match.start(), match.end(), tuple(candidates)))
            else:
                result.unmatched.append(name)
        return result

    def _link_ngrams(self, question: str) -> LinkResult:
        tokens = [(m.group(0).rstrip(".,'’"), m.start()) for m in _TOKEN.finditer(question)]
        tokens = [(t, s) for t, s in tokens if t]
        spans = []
        for n in range(min(self.max_ngram, len(tokens)), 0, -1):
            for i in range(len(tokens) - n + 1):
                start = tokens[i][1]
                end = tokens[i + n - 1][1] + len(tokens[i + n - 1][0])
                spans.append((start, end, [t for t, _ in tokens[i : i + n]]))
        result = LinkResult(question)
        taken: list[tuple[int, int]] = []
        for allow_fuzzy in (False, True):
            if allow_fuzzy and result.mentions:
                break
            for start, end, words in spans:
                if any(start < e and s < end for s, e in taken):
                    continue
                if all(w.casefold() in _STOPWORDS for w in words):
                    continue
                if allow_fuzzy and len(" ".join(words)) < 4:
                    continue
                candidates = self._lookup(question[start:end], allow_fuzzy=allow_fuzzy)
                if candidates:
                    result.mentions.append(
                        Mention(question[start:end], start, end, tuple(candidates))
                    )
                    taken.append((start, end))
        result.mentions.sort(key=lambda m: m.start)
        self._drop_relation_words(result)
        return result

    def short_forms(self, entity: int) -> list[int]:
        """Other entities named by this name's last word alone ("Vogt" beside "Lena Vogt"),
        when one of the two is a person: the same person whom the tagger typed differently
        in one place, so the two stayed apart."""
        words = normalise_label(self.index.entity_labels[entity]).split()
        etype = self.index.entity_type(entity).upper()
        if len(words) < 2 or etype in _NOT_NAMES:
            return []
        return [
            e
            for e in sorted(self._normalised.get(words[-1], ()))
            if e != entity
            and self.index.entity_type(e).upper() not in _NOT_NAMES
            and "PERSON" in {etype, self.index.entity_type(e).upper()}
        ]

    def _is_relation_phrase(self, text: str) -> bool:
        words = [w for w in normalise_label(text).split() if w not in _STOPWORDS]
        return bool(words) and all(w in self._relation_words for w in words)

    def _drop_relation_words(self, result: LinkResult) -> None:
        """Drop mentions made only of relation words when another mention names an entity."""
        keep = [m for m in result.mentions if not self._is_relation_phrase(m.text)]
        if keep and len(keep) < len(result.mentions):
            result.mentions = keep

    def _lookup(self, text: str, *, allow_fuzzy: bool) -> list[Candidate]:
        """Candidates of the first tier that matches: exact, normalised, fuzzy."""
        exact = self._exact.get(text)
        if exact:
            return self._tier(exact, normalise_label(text), 1.0, "exact")
        key = normalise_label(text)
        if not key:
            return []
        normalised = self._normalised.get(key)
        if normalised:
            return self._tier(normalised, key, 0.95, "normalised")
        partial = self._partial.get(key)
        if not partial and text.isupper() and " " not in key:
            partial = self._acronyms.get(key)
        if partial:
            return self._rank(partial, 0.9, "partial")
        if allow_fuzzy:
            return self._fuzzy(key)
        return []

    def _tier(self, found: set[int], key: str, score: float, kind: str) -> list[Candidate]:
        """The candidates of an exact or normalised match, with the namesakes of a surname.

        A bare surname that is a node of its own ("Curie", from "Curie won the prize") may
        name any of several people of that surname (Marie Curie, Pierre Curie): with two or
        more such people, each is a reading of the mention (match ``surname``), tied with the
        node itself, so the mention is reported as ambiguous."""
        people: set[int] = set()
        if " " not in key:
            people = {
                e
                for e in self._partial.get(key, ())
                if e not in found and self.index.entity_type(e).upper() in _PERSON_TYPES
            }
        if len(people) < 2:
            return self._rank(found, score, kind)
        ranked = self._rank(people, score, "surname") + self._rank(found, score, kind)
        return ranked[: self.max_candidates]

    def _fuzzy(self, key: str) -> list[Candidate]:
        index = self._trigrams()
        counts: Counter[str] = Counter()
        for gram in trigrams(key):
            counts.update(index.get(gram, ()))
        scored: list[tuple[float, str]] = []
        for name, _ in counts.most_common(50):
            ratio = difflib.SequenceMatcher(None, key, name).ratio()
            if ratio >= self.fuzzy_threshold:
                scored.append((ratio, name))
        scored.sort(reverse=True)
        out: list[Candidate] = []
        for ratio, name in scored:
            out += self._rank(self._normalised[name], round(0.9 * ratio, 4), "fuzzy")
        out.sort(key=lambda c: (-c.score, -self.index.degree(c.entity), c.entity))
        return out[: self.max_candidates]

    def _trigrams(self) -> dict[str, list[str]]:
        if self._trigram_index is None:
            grams: dict[str, list[str]] = defaultdict(list)
            for name in self._normalised:
                for gram in trigrams(name):
                    grams[gram].append(name)
            self._trigram_index = dict(grams)
        return self._trigram_index

    def _rank(self, entities: set[int], score: float, kind: str) -> list[Candidate]:
        ordered = sorted(entities, key=lambda e: (-self.index.degree(e), e))
        return [self._candidate(e, score, kind) for e in ordered[: self.max_candidates]]

    def _candidate(self, entity: int, score: float, kind: str) -> Candidate:
        return Candidate(
            entity, self.index.entity_ids[entity], self.index.entity_labels[entity], score, kind
        )
