"""Canonical entities: normalised names, alias merging within a document, pronoun resolution.

A mention's *key* (lower case, no titles, articles, possessives or punctuation) together with its
coarse type names the entity across documents. Within a document, a later short form joins an
earlier full form of a compatible type (``Curie`` -> ``Marie Curie``, ``Microsoft`` ->
``Microsoft Corp.``, ``IBM`` -> ``International Business Machines``). Pronouns (he/she/it/they)
resolve within their paragraph to the most recent compatible subject (else the most recent
compatible mention), never to an entity already called by the other gender's pronoun, or are
dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from kg_reasoner.extraction.base import Mention
from kg_reasoner.extraction.class_nouns import DESCRIPTION_TYPES
from kg_reasoner.extraction.countries import DEMONYMS, is_country
from kg_reasoner.extraction.entity_types import coarse_type

# Pronoun class -> coarse types it may refer to.
PRONOUN_TARGETS = {
    "PERSON": ("PERSON",),
    "THING": ("ORG", "PLACE", "WORK", "PRODUCT", "EVENT", "MISC", "CONCEPT"),
    "GROUP": ("ORG", "GROUP", "CONCEPT"),
}
_PRONOUN_CLASS = {
    "he": "PERSON", "him": "PERSON", "his": "PERSON", "she": "PERSON", "her": "PERSON",
    "it": "THING", "its": "THING", "they": "GROUP", "them": "GROUP", "their": "GROUP",
}  # fmt: skip
_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
TITLES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "president", "senator", "sen", "rep", "gov", "governor", "gen", "general", "col", "capt",
    "captain", "st", "saint", "rev", "reverend", "king", "queen", "prince", "princess", "pope",
    "judge", "justice", "chancellor", "minister", "prime", "mayor", "ceo", "chairman",
}  # fmt: skip
# Titles that are also first names ("Dean Martin"): dropped only before a name of two words.
NAME_TITLES = {"dean", "major"}
ARTICLES = {"the", "a", "an"}
CORPORATE_SUFFIXES = {
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
    "plc", "gmbh", "ag", "sa", "nv", "bv", "group", "holdings",
}  # fmt: skip
# Types whose names can be shortened to a part of themselves (a surname, a company stem).
_SHORTENABLE = {"PERSON", "ORG"}
_MERGE_WILDCARDS = {"MISC"}
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


@lru_cache(maxsize=1 << 16)  # pure, and called for every alias of every cluster on every merge
def clean_label(text: str, ctype: str = "MISC") -> str:
    """A display label: whitespace collapsed, possessive, leading article and titles removed."""
    text = unicodedata.normalize("NFKC", text)
    text = " ".join(text.split()).strip(" \t\"'“”‘’()[]{}<>,;:!?")
    text = _POSSESSIVE.sub("", text).strip()
    if text.endswith(".") and any(c.isdigit() for c in text.rsplit(" ", 1)[-1]):
        text = text[:-1]  # "17L/35R.": the full stop of the sentence, not of an abbreviation
    words = text.split(" ")
    while len(words) > 1 and words[0] in ARTICLES:  # "the University" but not "The Hague"
        words = words[1:]
    if ctype == "PERSON":
        while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
            words = words[1:]
        if len(words) > 2 and words[0].lower() in NAME_TITLES:
            words = words[1:]  # "Dean Mario Botta", but "Dean Martin"
    return " ".join(words)


def word_key(text: str) -> str:
    """The words of ``text`` in lower case, dots dropped and other punctuation a space
    ("U.S. Route 83" -> "us route 83"): how keys and the texts searched for them compare."""
    return " ".join(_NON_WORD.sub(" ", text.lower().replace(".", "")).split())


@lru_cache(maxsize=1 << 16)
def canonical_key(text: str, ctype: str = "MISC") -> str:
    """The merge key: the cleaned label, lower case, punctuation removed, ORG suffixes dropped."""
    words = word_key(clean_label(text, ctype)).split()
    while len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    if ctype == "ORG":
        while len(words) > 1 and words[-1] in CORPORATE_SUFFIXES:
            words = words[:-1]
    return " ".join(words)


def acronym(key: str) -> str:
    words = [w for w in key.split() if w not in {"of", "and", "the", "for", "de"}]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


@dataclass
class EntityCluster:
    """One entity within a document: its key, type, best label and every surface form."""

    key: str
    ctype: str
    label: str
    aliases: set[str] = field(default_factory=set)
    mentions: list[int] = field(default_factory=list)
    gender: str = ""  # set when a he/she pronoun resolves here
    kinds: set[str] = field(default_factory=set)  # class nouns said of it ("Lyon is a city")

    @property
    def alias_keys(self) -> set[str]:
        return {canonical_key(a, self.ctype) for a in self.aliases} | {self.key}


class _Seen(NamedTuple):
    """An entity mention met while reading, for resolving references back to it."""

    paragraph: int
    cluster: int
    subject: bool  # the grammatical subject of its clause
    sentence: int


@dataclass
class CanonicalDocument:
    """Result of canonicalising one document's mentions."""

    clusters: list[EntityCluster]
    mention_cluster: dict[int, int]  # mention index -> cluster index (pronouns included)
    resolved_pronouns: set[int]


def canonicalize(mentions: list[Mention], paragraph_of: list[int]) -> CanonicalDocument:
    """Group a document's mentions into entities.

    ``paragraph_of[i]`` is the paragraph of mention ``i``; pronouns only resolve within it.
    Mentions are visited in text order, so a short form joins the full form seen before it
    (and a full form seen later absorbs earlier short forms of the same type).
    """
    order = sorted(range(len(mentions)), key=lambda i: (mentions[i].start, -mentions[i].end))
    clusters: list[EntityCluster] = []
    by_key: dict[tuple[str, str], int] = {}
    mention_cluster: dict[int, int] = {}
    resolved: set[int] = set()
    recent: list[_Seen] = []  # in text order
    in_sentence: list[int] = []  # the mentions met so far in the sentence of ``i``
    for i in order:
        m = mentions[i]
        if in_sentence and mentions[in_sentence[-1]].sentence != m.sentence:
            in_sentence = []
        in_sentence.append(i)
        lemma = m.lemma
        if m.is_pronoun:
            target = _resolve_pronoun(m, paragraph_of[i], recent, clusters)
            if target is not None:
                mention_cluster[i] = target
                resolved.add(i)
                continue
            if not m.label.startswith("DEF:"):
                continue
            lemma = m.label[4:]  # "the library" with nothing named before it: the concept
        if m.is_value:
            continue  # a literal, stored on the statement that uses it
        ctype = "CONCEPT" if m.is_pronoun else coarse_type(m.label)
        if ctype == "CONCEPT" and lemma:
            key = canonical_key(lemma, ctype)  # concept nodes merge by lemma
            index = by_key.get((key, ctype))
            if index is None:
                index = len(clusters)
                clusters.append(EntityCluster(key, ctype, clean_label(lemma, ctype)))
                by_key[(key, ctype)] = index
            clusters[index].aliases.add(" ".join(m.text.split()))
            clusters[index].mentions.append(i)
            mention_cluster[i] = index
            recent.append(_Seen(paragraph_of[i], index, m.is_subject, m.sentence))
            continue
        if m.name:
            index = _add_named(m, i, ctype, clusters, by_key)
            mention_cluster[i] = index
            if m.text not in DEMONYMS:  # "a Swiss architect ... designed it": not Switzerland
                recent.append(_Seen(paragraph_of[i], index, m.is_subject, m.sentence))
            continue
        key = canonical_key(m.text, ctype)
        if not key:
            continue
        index = _find_cluster(
            key,
            ctype,
            by_key,
            clusters,
            initials=_is_initials(m.text),
            beside={mention_cluster[j] for j in in_sentence if j in mention_cluster},
        )
        if index is None:
            index = len(clusters)
            clusters.append(EntityCluster(key, ctype, clean_label(m.text, ctype)))
            by_key[(key, ctype)] = index
        cluster = clusters[index]
        if cluster.ctype in _MERGE_WILDCARDS and ctype not in _MERGE_WILDCARDS:
            cluster.ctype = ctype
            by_key[(cluster.key, ctype)] = index
        label = clean_label(m.text, cluster.ctype)
        if len(canonical_key(label, cluster.ctype)) > len(cluster.key):
            cluster.key, cluster.label = canonical_key(label, cluster.ctype), label
            by_key[(cluster.key, cluster.ctype)] = index
        cluster.aliases.add(" ".join(m.text.split()))
        cluster.mentions.append(i)
        if m.kind:
            cluster.kinds.add(m.kind)
        mention_cluster[i] = index
        recent.append(_Seen(paragraph_of[i], index, m.is_subject, m.sentence))
    return CanonicalDocument(clusters, mention_cluster, resolved)


def _add_named(
    m: Mention,
    i: int,
    ctype: str,
    clusters: list[EntityCluster],
    by_key: dict[tuple[str, str], int],
) -> int:
    """A mention linked to a canonical name joins (or starts) the cluster of that name, whose
    label is the name itself; its surface text becomes an alias."""
    key = canonical_key(m.name, ctype)
    index = by_key.get((key, ctype))
    if index is None:
        index = len(clusters)
        clusters.append(EntityCluster(key, ctype, m.name))
        by_key[(key, ctype)] = index
    clusters[index].aliases.add(" ".join(m.text.split()))
    clusters[index].mentions.append(i)
    if m.kind:
        clusters[index].kinds.add(m.kind)
    return index


def _is_initials(text: str) -> bool:
    """``U.S.``, ``UK``, ``the U.A.E.``: capitals only, the way a place's initials are written."""
    letters = clean_label(text).replace(".", "")
    return 2 <= len(letters) <= 4 and letters.isalpha() and letters.isupper()


def _find_cluster(
    key: str,
    ctype: str,
    by_key: dict[tuple[str, str], int],
    clusters: list[EntityCluster],
    *,
    initials: bool = False,
    beside: set[int] | frozenset[int] = frozenset(),
) -> int | None:
    """An existing cluster this mention belongs to, or None (ambiguous short forms stay apart).
    ``initials``: the mention is written in capitals (``U.S.``), so a place may be named by
    its initials as an organisation is (``IBM``). ``beside``: the clusters named earlier in
    the same sentence, which a name that only extends one of them does not join ("The BBC
    produces BBC Radio": two entities)."""
    found = by_key.get((key, ctype))
    if found is not None:
        return found
    if ctype in _MERGE_WILDCARDS:
        same_key = [i for (k, _), i in by_key.items() if k == key]
        if len(set(same_key)) == 1:
            return same_key[0]
    # Pure tests, cheapest first; a second candidate makes the answer None, so stop there.
    candidate = None
    words = key.split()
    joined = key.replace(" ", "")
    full_initials = acronym(key)  # a full name after its acronym: "IBM ... International..."
    wildcard = ctype in _MERGE_WILDCARDS
    for index, cluster in enumerate(clusters):
        if not _compatible(ctype, cluster.ctype):
            continue
        if not _has_alias_key(cluster, key):
            ctype_eff = cluster.ctype if wildcard else ctype
            if ctype_eff in _SHORTENABLE:
                cluster_words = cluster.key.split()
                matches = _is_short_form(words, cluster_words) or (
                    _is_short_form(cluster_words, words)
                    and (index not in beside or words[-len(cluster_words) :] == cluster_words)
                )  # "Curie ... Marie Curie" is one person, "The BBC produces BBC Radio" two
            else:
                matches = False
            is_acronym = (ctype_eff == "ORG" or (initials and ctype_eff == "PLACE")) and (
                acronym(cluster.key) == joined or (full_initials and full_initials == cluster.key)
            )
            if not matches and not is_acronym:
                continue
        if candidate is not None:
            return None  # ambiguous
        candidate = index
    return candidate


def _has_alias_key(cluster: EntityCluster, key: str) -> bool:
    """``key in cluster.alias_keys``, without building the set."""
    return key == cluster.key or any(
        canonical_key(a, cluster.ctype) == key for a in cluster.aliases
    )


def _compatible(a: str, b: str) -> bool:
    return a == b or a in _MERGE_WILDCARDS or b in _MERGE_WILDCARDS


def _is_short_form(short: list[str], full: list[str]) -> bool:
    """``curie`` of ``marie curie``; ``microsoft`` of ``microsoft research``: a proper part."""
    if not short or len(short) >= len(full):
        return False
    n = len(short)
    return full[-n:] == short or full[:n] == short


_COUNTRY_NOUNS = {"country", "nation"}


def _resolve_description(
    mention: Mention, paragraph: int, recent: list[_Seen], clusters: list[EntityCluster]
) -> int | None:
    """``the airport``, within its paragraph: the latest entity whose name has the noun
    (``Agra Airport``), that the text called one (``Lyon is a city``) or, for "the country",
    that is a known country, else the entity of a type the noun allows (a company is an ORG;
    MISC names fit any noun) that the text last spoke about: the latest such subject, else the
    latest such mention. As for pronouns, the paragraph before is searched only when this one
    names no such entity before it."""
    noun = mention.label[4:]
    allowed = DESCRIPTION_TYPES.get(noun, ())
    by_type: list[tuple[int, bool]] = []
    current = paragraph
    for para, index, subject, sentence in reversed(recent):
        if para != current:
            if by_type or current != paragraph:
                break  # found in this paragraph, or the one before is searched already
            current = para
            allowed = allowed[:1]  # "the museum" a paragraph on is no longer the city named
        cluster = clusters[index]
        if cluster.ctype != "CONCEPT" and noun in cluster.kinds:
            return index  # "the comic character Blockbuster ..., the character was created"
        if noun in _COUNTRY_NOUNS and cluster.ctype != "CONCEPT" and is_country(cluster.label):
            # "the country": a name known to be one, before any subject, also in the same
            # sentence ("X is in Pakistan, the leader of the country is Y")
            return index
        if cluster.ctype == "CONCEPT" or (sentence == mention.sentence and not mention.is_subject):
            # "Priya moved to the library" is not about Priya; the subject of a later clause
            # may be ("X played in 2014, the team has 27250 members")
            continue
        if noun in cluster.key.split():
            return index
        if cluster.ctype in allowed or cluster.ctype == "MISC":
            by_type.append((index, subject))
    return next((i for i, subject in by_type if subject), by_type[0][0] if by_type else None)


def _resolve_pronoun(
    mention: Mention,
    paragraph: int,
    recent: list[_Seen],
    clusters: list[EntityCluster],
) -> int | None:
    """The antecedent: the most recent compatible subject of the paragraph, else the most
    recent compatible mention (of the paragraph before, when this one has none yet); he/she
    never resolve to an entity already called she/he."""
    if mention.label.startswith("DEF:"):
        return _resolve_description(mention, paragraph, recent, clusters)
    word = mention.text.lower()
    pronoun_class = _PRONOUN_CLASS.get(word)
    if pronoun_class is None:
        return None
    allowed = PRONOUN_TARGETS[pronoun_class]
    gender = _GENDER.get(word)
    candidates = []
    previous = None  # a paragraph that opens with a pronoun continues the one before it
    for para, index, subject, _ in reversed(recent):
        if para != paragraph:
            if candidates or (previous is not None and para != previous):
                break
            previous = para
        cluster = clusters[index]
        if cluster.ctype in allowed and not (gender and cluster.gender not in ("", gender)):
            candidates.append((index, subject))
    if not candidates:
        return None
    index = next((i for i, subject in candidates if subject), candidates[0][0])
    if gender:
        clusters[index].gender = gender
    return index
