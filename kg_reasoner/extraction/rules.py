"""Relations from dependency patterns: an extractor that needs no training.

Patterns (each gives a relation label normalised from lemmas, and a confidence):

- subject-verb-object: ``Curie discovered polonium`` -> ``discover``
- verb + preposition object: ``Curie works for Sorbonne`` -> ``work_for``
- passive with a preposition: ``Curie was born in Warsaw`` -> ``born_in`` (the participle is kept);
  a participle modifying a noun works the same: ``the airport, located in Greenville``
- passive agent, turned active: ``Google was founded by Page`` -> ``Page -found-> Google``
- apposition: ``Cook, the CEO of Apple`` -> ``ceo_of``; ``Curie, a physicist`` -> ``is_a``
- copula: ``Warsaw is the capital of Poland`` -> ``capital_of``; ``Bernhard is white`` ->
  ``is`` (an attribute); ``X is in Y`` -> ``is_in``
- nominal relations: ``the leader of X is Z``, ``X's leader is Z``, ``X, whose leader is Z``,
  ``X's leader, Z`` -> ``X -leader-> Z``
- counts and measures: ``X has 34 floors`` / ``there are 34 floors at X`` -> ``floor_count 34``;
  ``X has an elevation of 211 metres`` -> ``elevation 211`` (unit metre)
- noun modifiers: ``the memorial in Azerbaijan`` -> ``located_in``; ``Cleveland, where the
  square is located`` -> ``located_in``
- possessive: ``Google's founder Larry Page`` -> ``Larry Page -founder_of-> Google``

Arguments are named entities (spans extended over numbers and compounds: ``20 Fenchurch
Street``, ``Arrabbiata sauce``, ``Greenville, Wisconsin``), pronouns, values (numbers,
measures, dates and quoted strings become literals, see :mod:`kg_reasoner.extraction.values`)
and common nouns (concept nodes merged by lemma: ``the hallway``, ``wolves``). A country written
in short form and a language named by one word take their standard names (``the U.S.`` ->
``United States``, ``English`` -> ``English language``, not a second "English" beside the
people). Subjects and objects are expanded over conjunctions; relative clauses (``Curie, who
was born in Warsaw``) take the noun they modify as subject; a verb joined to another (``was
born in A and moved to B``) inherits its subject. Negated verbs give no relation.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from kg_reasoner.extraction.base import Extraction, Mention, RelationMention
from kg_reasoner.extraction.canonical import TITLES
from kg_reasoner.extraction.class_nouns import ATTRIBUTE_NOUNS, CLASS_NOUNS, DESCRIPTION_TYPES
from kg_reasoner.extraction.countries import DEMONYMS, full_country_name, is_country
from kg_reasoner.extraction.values import DATE_TYPES, VALUE_LABELS, Value, parse_value

PRONOUNS = {
    "he": "PERSON", "him": "PERSON", "his": "PERSON", "she": "PERSON", "her": "PERSON",
    "it": "THING", "its": "THING", "they": "GROUP", "them": "GROUP", "their": "GROUP",
}  # fmt: skip
_NAMED = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT"}
_PLACES = {"GPE", "LOC", "FAC"}
# Entity types whose names may end in a common noun ("Arrabbiata sauce", "Hoover Dam").
_NOUN_HEADED = {"PRODUCT", "FAC", "WORK_OF_ART", "EVENT", "LAW", "LOC"}
_RELATIVE = {"who", "which", "that", "whom", "whose"}
_SUBJ = {"nsubj", "csubj"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
_LABEL_CLEAN = re.compile(r"[^a-z0-9]+")
_VALUE_TOKEN = re.compile(r"^[\d.,:/+\-−]+$")
# A code of letters and digits joined by a slash or dash ("05L/23R", "10L-28R")
_CODE = re.compile(r"^(?=[^/\-]*\d)(?=.*[A-Za-z])[A-Za-z\d]+(?:[/\-][A-Za-z\d]+)+\.?$")
# Confidence of each pattern: how often it was right on the sample corpus when written.
CONFIDENCE = {
    "svo": 0.85,
    "prep": 0.8,
    "passive_prep": 0.85,
    "passive_agent": 0.85,
    "appos": 0.8,
    "copula": 0.8,
    "possessive": 0.75,
    "is_a": 0.7,
    "nominal": 0.8,
    "count": 0.85,
    "attribute": 0.7,
    "modifier": 0.7,
    "path": 0.5,
    "value": 0.6,
}
# Code schemes: "the ISSN number 0001-8392", "its ICAO identifier" name a kind of code.
_CODE_SCHEMES = {"ISSN", "EISSN", "ISBN", "LCCN", "OCLC", "CODEN", "IATA", "ICAO", "DOI", "ATA"}
# Words that end an attribute phrase, never a name ("X runway length", "the ICAO Location
# Identifier of X"): what a name is followed or preceded by when the text gives its attribute
_ATTRIBUTE_WORDS = {"length", "identifier", "elevation", "name", "number", "code"}
# Parts of a thing whose properties are the thing's ("the 1st runway at X is made from Y").
_PART_NOUNS = {"runway", "campus", "surface"}
_VERSUS = {"versus", "vs", "vs."}  # inside the titles of works: "Alcatraz Versus the Evil ..."
# Nouns that name the kind of what follows them ("the discipline of Physics" is Physics).
_NAMING_NOUNS = {"discipline", "field", "genre", "division", "category", "genus", "order"}
# Entity labels of the numbers a fallback may attach (a "DATE" may be a count: "47290 members")
_LOOSE_VALUE_LABELS = {"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE"}
_MAX_PATH = 3  # dependency edges between two names for the fallback relation
_CONCEPT_FACTOR = 0.8
# Nouns that only say "how many" (their number is the value of the verb's object).
_QUANTITY_VERBS = {"have", "contain", "include", "employ", "house", "seat", "hold", "comprise"}
# Verbs of what a thing is made of, which never describe a place ("a dish from Spain made
# with rice": the dish is made with it).
_MATERIAL_VERBS = {"make", "cook", "prepare", "serve", "fill", "stuff", "top", "bake", "fry",
                   "build", "construct", "compose"}  # fmt: skip
# Words that pick some of a noun's members ("some of its ingredients").
_PART_WORDS = {"one", "some", "many", "several", "all", "both", "each", "most", "any"}
# Passive verbs that say where or how something is put, not a state of it ("X is located").
_PLACING_VERBS = {"locate", "situate", "base", "find", "place", "set", "position", "house"}
# Prepositions of a noun that place it ("the memorial in Azerbaijan").
_PLACE_PREPS = {"in": "located_in", "at": "located_in", "near": "located_near"}
_ROLE_OWNER_PREPS = {"of", "for", "at", "in"}
# Nouns that a place or demonym names a group with: "the Indian people", "the Netherlands
# national football team".
_GROUP_NOUNS = {"people", "team"}
# Verbs that list the values of a noun: "X's ingredients include Y".
_LISTING_VERBS = {"include", "comprise", "contain", "feature"}
# Nouns that only classify the name they introduce: "the city of Athens", "the Karnataka region".
_ORG_ENDINGS = {
    "Corporation", "Corp", "Inc", "Ltd", "LLC", "plc", "PLC", "GmbH", "AG", "Company", "Co",
    "Group", "Holdings", "Bank", "Systems", "Motors", "Airlines", "Airways", "Industries",
    "Technologies", "Labs", "Laboratories", "Partners", "Associates", "University", "Institute",
    "Foundation", "Agency", "Ministry", "Council", "Hospital", "Museum", "College", "School",
}  # fmt: skip
_FIRM_ENDINGS = {"Partners", "Sons", "Associates", "Co", "Co.", "Company", "Daughters"}
# Common nouns that end the name of a place, building, work or dish when written after it in
# lower case ("Aarhus airport", "the Baku Turkish Martyrs memorial", "Amatriciana sauce"), unlike
# nouns that only classify a name ("the Karnataka region", "the Texas city").
_NAME_HEAD_NOUNS = {
    "airport", "airbase", "aerodrome", "station", "memorial", "monument", "statue", "bridge",
    "tower", "stadium", "arena", "dam", "canal", "tunnel", "cathedral", "church", "abbey",
    "chapel", "mosque", "temple", "palace", "castle", "manor", "hall", "museum", "library",
    "university", "college", "academy", "hospital", "hotel", "building", "centre", "center",
    "square", "street", "road", "avenue", "boulevard", "park", "garden", "gardens", "sauce",
    "tart", "pudding", "cake", "pie", "soup", "bread", "salad", "curry", "stew", "cheese",
    "examiner", "gazette", "review", "language", "cuisine",
}  # fmt: skip
# The abbreviations sports clubs put before or after their names.
_CLUB_MARKS = {
    "FC", "F.C.", "AC", "A.C.", "AS", "A.S.", "SC", "S.C.", "SV", "SK", "AFC", "A.F.C.", "CF",
    "C.F.", "FK", "BC", "B.C.", "CD", "SS", "S.S.", "S.S.D.", "SSD",
}  # fmt: skip
# Those that end the name of a place or building, not of a person.
_FACILITY_ENDINGS = {
    "airport", "airbase", "aerodrome", "station", "memorial", "monument", "bridge", "tower",
    "stadium", "arena", "dam", "canal", "tunnel", "cathedral", "church", "abbey", "chapel",
    "mosque", "temple", "palace", "castle", "manor", "hall", "building", "centre", "center",
    "square", "street", "road", "avenue", "boulevard", "park", "hotel",
}  # fmt: skip
# What a name ending in one of those nouns is, whatever the tagger called its first word
# ("the Tamil language" with "Tamil" tagged PERSON).
_HEAD_NOUN_LABELS = {"language": "LANGUAGE", "cuisine": "PRODUCT"}
# Lower-case nouns after a name that say what kind of thing it is, not part of it ("the Serie A
# league", "the Addiction journal", "the 2014 season").
_KIND_NOUNS = {
    "league", "season", "journal", "magazine", "newspaper", "course", "book", "novel",
    "edition", "item", "team", "club", "award", "series", "genre", "format", "dish", "food",
}  # fmt: skip
# Adjectives that grade, date, count or place a thing rather than name its kind: "a large
# city" is a city, while "sweet potato" and "fried chicken" are kinds of their own.
_DESCRIBING_ADJECTIVES = {
    "large", "small", "big", "little", "huge", "tiny", "new", "old", "young", "good", "bad",
    "great", "best", "famous", "popular", "well-known", "major", "minor", "local", "many",
    "several", "various", "other", "same", "different", "certain", "own", "only", "whole",
    "entire", "first", "last", "next", "previous", "former", "current", "present", "recent",
    "early", "late", "final", "original", "typical", "traditional", "common", "important",
    "largest", "biggest", "smallest", "oldest", "highest", "total", "full", "such",
    "particular", "specific", "similar", "famed", "notable", "known", "called", "named",
}  # fmt: skip
# Adjectives that state a measure of their subject ("50 metres tall") and the attribute it is.
_DIMENSIONS = {
    "long": "length", "high": "height", "tall": "height", "wide": "width", "deep": "depth",
    "thick": "thickness", "broad": "width",
}  # fmt: skip
# Verbs the tagger reads as plural nouns after a name ("Bhajji originates from India").
_MISREAD_VERBS = {"originate", "hail", "stem", "derive", "belong", "come"}
_REGNAL = re.compile(r"^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})$")
_DATED_PERIODS = {"season", "year", "seasons"}
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")
_DIGITS = re.compile(r"^\d{1,4}$")
_ROMANCE_LINKS = {"e", "y", "da", "das", "do", "dos", "de", "del", "della", "di", "du", "des"}
_NAME_LINKS = _ROMANCE_LINKS | {"of", "der", "for", "at"}


def relation_label(*parts: str) -> str:
    """``("work", "for")`` -> ``work_for``; lower case, only letters, digits and underscores."""
    words = [_LABEL_CLEAN.sub("_", p.lower()).strip("_") for p in parts if p]
    return "_".join(w for w in words if w)


class RuleExtractor:
    """Entities from spaCy's NER, relations from dependency patterns (see module docstring)."""

    name = "rules-v2"

    def extract(self, docs: list[Doc]) -> list[Extraction]:
        return [self.extract_doc(doc) for doc in docs]

    def extract_doc(self, doc: Doc) -> Extraction:
        builder = _DocRelations(doc)
        for sent_index, sent in enumerate(doc.sents):
            builder.sentence(sent, sent_index)
        return builder.result()


class _DocRelations:
    """Collects mentions and relations of one ``Doc`` (mentions deduplicated by offsets)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.token_ent: dict[int, Span] = {}
        self.ents = list(doc.ents)  # built once: each ``doc.ents`` makes new spans
        self.ent_starts = [ent.start for ent in self.ents]  # in order, for ``_sentence_ents``
        for ent in self.ents:
            if ent.start in self.token_ent:
                continue  # inside a name widened before ("Glen Ridge, New Jersey")
            if all(t.text.upper() in _CODE_SCHEMES for t in ent):
                continue  # "the ISSN number": the name of a code, not an entity
            span = _extend_entity(doc, ent)
            for i in range(span.start, span.end):
                self.token_ent[i] = span
        self.mentions: list[Mention] = []
        self.index: dict[tuple[int, int], int] = {}
        self.relations: list[RelationMention] = []
        self.seen: set[tuple[int, int, str]] = set()
        self.sentence_start = 0  # index of the first relation of the sentence in progress
        self.topic: Token | None = None  # the named subject of the sentences so far
        self.name_words = {
            t.text for ent in self.ents if ent.label_ in _NAMED for t in ent if t.is_title
        }
        # the last word of a name of several words ("Springfield Hospital" -> "hospital"):
        # "the hospital" then refers back to it, whether or not it is a listed class noun
        self.name_heads = {
            ent[-1].lower_
            for ent in {*self.ents, *self.token_ent.values()}  # as tagged and as widened
            if ent.label_ in _NAMED and len(ent) > 1
        }

    def result(self) -> Extraction:
        return Extraction(self.mentions, self.relations)

    # -- mentions -------------------------------------------------------------------------
    def sentence(self, sent: Span, sent_index: int) -> None:
        self.sentence_start = len(self.relations)
        seen_ents: set[int] = set()
        for tok in sent:
            ent = self.token_ent.get(tok.i)
            if ent is not None and ent.start not in seen_ents:
                seen_ents.add(ent.start)
                if ent.label_ == "ORDINAL":
                    continue  # "the 1st runway": a rank, no entity
                if _is_definite_name(ent, self.name_heads):
                    self._definite(ent[-1], sent_index)
                elif ent.label_ not in VALUE_LABELS or _value_of(ent) is None:
                    self._mention(ent, _entity_label(ent), sent_index)
        for tok in sent:
            if tok.pos_ in {"VERB", "AUX"} or (tok.dep_ == "acl" and tok.tag_ == "VBN"):
                self._verb(tok, sent_index)
            if tok.dep_ == "appos":
                self._apposition(tok, sent_index)
            elif tok.dep_ == "conj" and tok.head.i < tok.i:
                self._place_part(tok.head, tok, sent_index)
            if tok.pos_ in {"NOUN", "PROPN"}:
                if tok.dep_ in {"compound", "nmod"}:
                    self._possessive_title(tok, sent_index)
                self._noun_modifiers(tok, sent_index)
        self._measures(sent, sent_index)
        self._role_prefixes(sent, sent_index)
        self._misread_verb(sent, sent_index)
        self._place_countries(sent, sent_index)
        self._loose_values(sent, sent_index)
        self._nationalities(sent, sent_index)
        self._short_paths(sent, sent_index)
        if self.topic is None or self.topic.sent.start != sent.start:
            subjects = [
                t
                for t in sent
                if t.dep_ in _SUBJECT_DEPS and (self._is_named(t) or _is_described_thing(t))
            ]
            if subjects:
                self.topic = subjects[0]

    def _mention(
        self,
        span: Span,
        label: str,
        sent_index: int,
        *,
        pronoun: bool = False,
        value: Value | None = None,
        lemma: str = "",
    ) -> int:
        key = (span.start_char, span.end_char)
        found = self.index.get(key)
        if found is not None:
            return found
        self.index[key] = len(self.mentions)
        self.mentions.append(
            Mention(
                span.text,
                span.start_char,
                span.end_char,
                label,
                sent_index,
                1.0,
                pronoun,
                is_subject=_is_topic(span.root),
                value=value.lexical if value else None,
                datatype=value.datatype if value else "",
                unit=value.unit if value else "",
                lemma=lemma,
                name="" if pronoun or value or lemma else _standard_name(span, label),
                kind="" if pronoun or value or lemma else _predicated_class(span.root),
            )
        )
        return self.index[key]

    def _argument(self, tok: Token, sent_index: int, *, concept: bool) -> tuple[int, float] | None:
        """The mention a token stands for (entity, value, pronoun, proper or common noun)."""
        if tok.text.upper() in _CODE_SCHEMES:
            return None  # "ISSN", "ICAO": what kind of code follows, not a thing
        ent = self.token_ent.get(tok.i)
        if ent is not None and ent.label_ == "ORDINAL":
            return None  # "his first appearance", "the 3rd runway": a rank, not a thing
        if ent is not None and _is_definite_name(ent, self.name_heads):
            return self._definite(ent[-1], sent_index), 0.9  # "The Institute was founded"
        if ent is not None:
            if ent.label_ in VALUE_LABELS:
                joined = _identifier(tok) if ent.label_ == "CARDINAL" and len(ent) == 1 else None
                if joined is not None and (value := _string_value(joined.text)) is not None:
                    # "978-0-15-204770-2": an identifier the tagger cut at its first number
                    return self._mention(joined, "CARDINAL", sent_index, value=value), 1.0
                value = _value_of(ent)
                if value is not None:
                    return self._mention(ent, ent.label_, sent_index, value=value), 1.0
                if ent.label_ in {"CARDINAL", "PERCENT", "QUANTITY", "TIME"} and not any(
                    c.isalpha() for c in ent.text.replace("th", "").replace("nd", "")
                ):
                    return None
            return self._mention(ent, _entity_label(ent), sent_index), 1.0
        if tok.pos_ == "NUM" or (tok.like_num and tok.pos_ != "PROPN"):
            span = _value_tokens(tok)
            value = parse_value(span.text) or _string_value(span.text)
            if value is None:
                return None
            return self._mention(span, "CARDINAL", sent_index, value=value), 1.0
        if _CODE.match(tok.text) and tok.i not in self.token_ent:
            # "a runway named 05L/23R": a code of letters and digits, kept as written
            span = self.doc[tok.i : tok.i + 1]
            code = Value(tok.text.rstrip("."), "string")  # "05L/23R." ends the sentence
            return self._mention(span, "STRING", sent_index, value=code), 0.9
        if _is_quoted(tok):
            span = _quoted_span(tok)
            if span is not None:
                value = Value(span.text.strip('"“”'), "string")
                return self._mention(span, "STRING", sent_index, value=value), 0.9
        named = _classified_name(tok, self.token_ent) or _named_apposition(tok, self.token_ent)
        if named is not None:
            return self._argument(named, sent_index, concept=concept)
        lower = tok.lower_
        if tok.pos_ == "PRON" and lower in PRONOUNS:
            span = self.doc[tok.i : tok.i + 1]
            return self._mention(span, f"PRON:{lower}", sent_index, pronoun=True), 1.0
        if tok.pos_ == "PROPN" and tok.dep_ in _SUBJECT_DEPS and self._is_role_title(tok):
            # "The President of X is Y": a role of X, which the relation says; as an object
            # the title is a name ("he served as the Chief of the Astronaut Office")
            return None
        if tok.pos_ == "PROPN":
            span = _name_span(self._compound_span(tok))
            after = span.end
            if after < len(self.doc) and (
                self.doc[after].dep_ == "nummod"
                and self.doc[after].head.i == span.end - 1
                and _DIGITS.match(self.doc[after].text)
            ):
                span = self.doc[span.start : after + 1]  # "Big Hero 6", "AS Gubbio 1910"
            end = _region_end(self.doc, span.end)
            if end != span.end:  # "Abilene, Texas"
                return self._mention(self.doc[span.start : end], "GPE", sent_index), 0.9
            return self._mention(span, "MISC", sent_index), 0.9
        if tok.is_title and tok.text in self.name_words:
            # a surname the tagger missed ("Turing worked..." tagged VERB): a known name part
            return self._mention(self.doc[tok.i : tok.i + 1], "MISC", sent_index), 0.9
        if _is_definite_class(tok, self.name_heads):
            # "the airport", "the company": a reference to a named entity met before
            return self._definite(tok, sent_index), 0.9
        if concept and tok.pos_ == "NOUN" and not _is_misread_verb(tok):
            span = self._compound_span(tok)
            if len(span) > 1 and _is_kind_noun(tok) and span[-2].pos_ == "PROPN":
                if tok.i - 1 in self.token_ent:  # the name is an entity ending before the noun
                    return self._argument(self.doc[tok.i - 1], sent_index, concept=concept)
                return self._mention(span[:-1], "MISC", sent_index), 0.9  # "the Serie A league"
            if any(t.pos_ == "PROPN" for t in span):
                return self._mention(span, "MISC", sent_index), 0.9  # "Arrabbiata sauce"
            if len(span) > 1 and _is_kind_noun(tok) and span[-2].pos_ == "NOUN":
                span, tok = span[:-1], span[-2]  # "a hardcover edition": a hardcover
            lemma = " ".join([*(t.lower_ for t in span[:-1]), tok.lemma_.lower()])
            if lemma in ATTRIBUTE_NOUNS or (len(span) == 1 and tok.lower_ in ATTRIBUTE_NOUNS):
                return None  # "part of Y", "the leader": a relation word, not a thing
            described = self._compound_span(tok, adjectives=True)
            if described.start < span.start and span.start - described.start <= 2:
                span = described  # "fried chicken", "brown sauce": the kind, not any chicken
                lemma = " ".join([*(t.lower_ for t in span[:-1]), tok.lemma_.lower()])
            mention = self._mention(span, "CONCEPT", sent_index, lemma=lemma)
            return mention, _CONCEPT_FACTOR
        if concept and (tok.pos_ == "ADJ" or (tok.pos_ == "VERB" and tok.tag_ == "VBN")):
            span = self.doc[tok.i : tok.i + 1]
            # a state keeps its form ("retired", not the verb "retire"; a noun the tagger
            # read as an adjective is not cut either: "identifier", not "identifi")
            word = tok.lower_
            mention = self._mention(span, "CONCEPT", sent_index, lemma=word)
            return mention, _CONCEPT_FACTOR
        return None

    def _definite(self, noun: Token, sent_index: int) -> int:
        """The mention of a definite description: ``the airport`` refers back to a name."""
        span = self.doc[noun.i : noun.i + 1]
        return self._mention(span, f"DEF:{noun.lemma_.lower()}", sent_index, pronoun=True)

    def _compound_span(self, tok: Token, *, adjectives: bool = False) -> Span:
        """The name or noun phrase ``tok`` heads: its compounds and name-like modifiers
        (``adjectives``: also the lower-case adjectives that make a kind of a common noun,
        ``sweet potato``, but not the ones that only describe it, ``a large city``)."""
        start = tok.i
        doc = self.doc
        for child in reversed(list(tok.lefts)):
            other = self.token_ent.get(child.i)
            if (
                other is not None
                and other.label_ == "CARDINAL"
                and child.dep_ == "nummod"
                and child.i == start - 1
                and doc[start].pos_ == "PROPN"
                and _DIGITS.match(child.text)
            ):
                start = child.i  # "103 Colmore Row": the number that begins a street address
                continue
            if (
                other is not None
                and other.label_ in VALUE_LABELS
                and not (child.dep_ == "compound" and child.is_title and len(other) == 1)
            ):
                break  # "On 14 May Nima Sherpa": the date is not part of the name ("Christmas
                # pudding" is a name)
            hyphen = (
                child.i == start - 2
                and doc[start - 1].text == "-"
                and not doc[start - 1].whitespace_
            )  # "Walkie-Talkie"
            if (
                child.dep_ in {"nmod", "compound"}
                and child.pos_ == "PROPN"
                and tok.pos_ == "PROPN"
                and child.left_edge.i < child.right_edge.i == start - 1
                and all(t.pos_ in {"PROPN", "NUM"} for t in child.subtree)
            ):
                start = child.left_edge.i  # "1 Decembrie 1918 University", "Loyal Character"
                continue
            if (
                child.i == start - 1
                and child.dep_ in {"nmod", "compound"}
                and tok.pos_ == "PROPN"
                and (
                    child.pos_ == "PROPN"
                    or (child.lower_ in _NAME_LINKS and child.i > 0 and doc[child.i - 1].is_title)
                )
            ):
                start = child.i  # "Accademia di Architettura di Mendrisio" (nmod, X)
                continue
            if (
                child.dep_ in {"compound", "amod", "nummod"}
                and (child.i == start - 1 or hyphen)
                and (
                    child.pos_ in {"PROPN", "NOUN"}
                    or (child.dep_ == "compound" and child.pos_ in {"ADJ", "NUM"})
                    or (child.pos_ in {"ADJ", "NUM"} and (child.is_title or tok.pos_ == "PROPN"))
                    or (adjectives and _is_kind_adjective(child))
                )
            ):
                start = child.i
                inner = doc[child.left_edge.i : child.i]
                if len(inner) and all(t.pos_ == "PROPN" and t.dep_ == "compound" for t in inner):
                    start = child.left_edge.i  # "the Sri Lankan rupee": the name within
        if (
            start < tok.i
            and doc[start].lower_ in _NAME_LINKS
            and doc[start].is_lower
            and start > 0
            and doc[start - 1].is_title
            and doc[start - 1].pos_ in {"PROPN", "NOUN"}
        ):
            start -= 1  # "Accademia di Architettura di Mendrisio": no name starts with "di"
        return self.doc[_after_class_noun(doc, start, tok.i + 1) : tok.i + 1]

    def _relate(
        self,
        head_tok: Token,
        tail_tok: Token,
        label: str,
        pattern: str,
        sent_index: int,
        *,
        concept_tail: bool = True,
        concept_head: bool = True,
        date_label: str | None = None,
        conjuncts: bool = True,
    ) -> None:
        """Add ``head -label-> tail`` (over conjuncts unless not ``conjuncts``); a date object
        takes ``date_label``."""
        if not label:
            return
        if head_tok.pos_ == "NOUN" and head_tok.lemma_.lower() in _PART_NOUNS:
            owner = self._owner(head_tok)
            if owner is None and _has_no_owner(head_tok):
                owner = self.topic or self._subject_before(head_tok)
            if owner is not None and owner.i != tail_tok.i:
                # "the 1st runway at X is made from Poaceae": X -runway_made_from-> Poaceae
                label = relation_label(head_tok.lemma_, label)
                head_tok = owner
        elif (
            head_tok.pos_ == "NOUN"
            and self.topic is not None
            and _has_no_owner(head_tok)
            and (tail_tok.like_num or tail_tok.i in self.token_ent)
            and any(t.lemma_.lower() in ATTRIBUTE_NOUNS for t in self._compound_span(head_tok))
        ):
            # "The runway name is X and has a length of 2702": the text's subject's runway
            label = self._phrase_label(head_tok, label)
            head_tok = self.topic
        heads = _with_conjuncts(head_tok) if conjuncts else [head_tok]
        tails = (
            list(_place_chain(_with_conjuncts(tail_tok), self.token_ent))
            if conjuncts
            else [tail_tok]
        )
        for h_tok in heads:
            for t_tok in tails:
                head = self._argument(h_tok, sent_index, concept=concept_head)
                if "abbreviat" in label and (short := _abbreviation(t_tok)) is not None:
                    # "abbreviated to Acta Palaeontol. Pol.": the whole short form, as written
                    value = Value(short.text, "string")
                    tail = self._mention(short, "STRING", sent_index, value=value), 0.9
                else:
                    tail = self._argument(t_tok, sent_index, concept=concept_tail)
                if head is None or tail is None or head[0] == tail[0]:
                    continue
                if self.mentions[head[0]].is_value:
                    continue  # values are objects only
                final = label
                if date_label and self.mentions[tail[0]].datatype in DATE_TYPES:
                    final = date_label
                conf = CONFIDENCE[pattern] * head[1] * tail[1]
                self._add_relation(head[0], tail[0], final, conf, sent_index)

    def _add_relation(
        self, head: int, tail: int, label: str, confidence: float, sent_index: int
    ) -> None:
        """``head -label-> tail``, once per document."""
        key = (head, tail, label)
        if key not in self.seen:
            self.seen.add(key)
            self.relations.append(
                RelationMention(head, tail, label, round(confidence, 3), sent_index)
            )

    # -- verb patterns ----------------------------------------------------------------------
    def _verb(self, verb: Token, sent_index: int) -> None:
        if any(c.dep_ == "neg" for c in verb.children):
            return
        active, passive = _subjects(verb)
        particle = "".join(c.lower_ for c in verb.children if c.dep_ == "prt")
        lemma = relation_label(verb.lemma_, particle)
        if verb.lemma_ == "be":
            for subj in active:
                self._copula(verb, subj, sent_index)
            if not active and any(c.dep_ == "expl" for c in verb.children):
                self._existential(verb, sent_index)
            return
        place = _where_place(verb)
        if place is not None:  # "Cleveland, where the square is located"
            for subj in active + passive:
                self._relate(subj, place, relation_label(verb.lemma_, "in"), "prep", sent_index)
        for subj in active:
            owner = self._owner(subj) if subj.pos_ == "NOUN" else None
            for child in verb.children:
                if child.dep_ == "dobj" and owner is not None and verb.lemma_ in _LISTING_VERBS:
                    # "Italy's leaders include Matteo Renzi" -> Italy -leader-> Matteo Renzi
                    label = self._phrase_label(subj)
                    self._relate(owner, child, label, "nominal", sent_index)
                elif child.dep_ == "dobj" and (called := _called(child)) is not None:
                    # "Pakistan has a leader called Anwar Zaheer Jamali"
                    label = self._phrase_label(child)
                    self._relate(subj, called, label, "nominal", sent_index)
                elif child.dep_ == "dobj":
                    self._object(verb, subj, child, lemma, sent_index)
                    self._object_preps(verb, subj, child, particle, sent_index)
                elif child.dep_ in {"prep", "agent"}:
                    date = relation_label(verb.lemma_, particle, "date")
                    for obj in _prep_objects(child):
                        if (role := self._role_of(obj)) is not None:
                            # "served as a crew member of Apollo 14" -> member_of Apollo 14
                            noun, target = role
                            label = relation_label(*(t.lemma_ for t in noun), "of")
                            self._relate(subj, target, label, "prep", sent_index)
                            continue
                        label = relation_label(verb.lemma_, particle, child.lower_)
                        self._relate(subj, obj, label, "prep", sent_index, date_label=date)
        if (
            passive
            and verb.tag_ == "VBN"
            and verb.dep_ not in {"relcl", "acl"}
            and verb.lemma_ not in _PLACING_VERBS
            and not any(
                c.dep_ not in {"nsubjpass", "auxpass", "aux", "punct", "cc", "advmod"}
                or c.lower_ == "where"
                for c in verb.children
            )
        ):  # "Alan Bean is retired": a state, said of the subject as an attribute
            for subj in passive:
                self._relate(subj, verb, "is", "attribute", sent_index, concept_head=False)
        for subj in passive:
            owner = self._owner(subj) if subj.pos_ == "NOUN" else None
            for child in verb.children:
                if child.dep_ == "oprd" and owner is not None:
                    # "the leader of Japan is called Akihito" -> Japan -leader-> Akihito
                    label = self._phrase_label(subj)
                    self._relate(owner, child, label, "nominal", sent_index)
                elif child.dep_ == "agent":
                    for obj in _prep_objects(child):
                        self._relate(obj, subj, lemma, "passive_agent", sent_index)
                elif child.dep_ == "prep" and owner is not None and verb.lemma_ in _PLACING_VERBS:
                    # "X's campus is located in Y", "the ground of X is located in Y"
                    label = self._phrase_label(subj)
                    for obj in _prep_objects(child):
                        self._relate(owner, obj, label, "nominal", sent_index, concept_tail=False)
                elif child.dep_ == "prep":
                    date = relation_label(verb.lower_, particle, "date")
                    for obj in _prep_objects(child):
                        label = relation_label(verb.lower_, particle, child.lower_)
                        self._relate(subj, obj, label, "passive_prep", sent_index, date_label=date)

    def _object(self, verb: Token, subj: Token, obj: Token, lemma: str, sent_index: int) -> None:
        """``X has 34 floors`` (a count), ``X has an elevation of 211 m`` (a measure), or SVO."""
        number = _count_of(obj)
        if number is not None and any(
            t.pos_ == "PROPN" for t in obj.doc[number.i + 1 : obj.i]
        ):  # "joined the Gemini 8 mission": a name's number, not a count
            number = None
        if number is not None and obj.pos_ == "NOUN" and self.token_ent.get(obj.i) is None:
            label = (
                relation_label(obj.lemma_, "count")
                if verb.lemma_ in _QUANTITY_VERBS
                else relation_label(verb.lemma_, obj.lemma_)
            )
            self._relate(subj, number, label, "count", sent_index)
            return
        if (
            verb.lemma_ in _QUANTITY_VERBS
            and obj.pos_ == "NOUN"
            and self._attribute_noun(subj, obj, sent_index)
        ):
            return
        self._relate(subj, obj, lemma, "svo", sent_index)

    def _object_preps(
        self, verb: Token, subj: Token, obj: Token, particle: str, sent_index: int
    ) -> None:
        """``studied engineering at Imperial College``: a place or organisation the parser hung
        on a common-noun object belongs to the verb (``study_at``)."""
        if obj.pos_ != "NOUN" or obj.i in self.token_ent:
            return
        for prep in obj.children:
            if prep.dep_ != "prep" or prep.lower_ not in {"at", "in", "from", "with", "for"}:
                continue
            for target in _prep_objects(prep):
                ent = self.token_ent.get(target.i)
                if ent is not None and ent.label_ in _PLACES | {"ORG"}:
                    label = relation_label(verb.lemma_, particle, prep.lower_)
                    self._relate(subj, target, label, "prep", sent_index)

    def _attribute_noun(self, owner: Token, noun: Token, sent_index: int) -> bool:
        """``(has) an elevation of 211 metres`` / ``the ISBN number 978-0`` -> owner -noun-> value;
        True when such a value was found."""
        values = [
            o
            for prep in noun.children
            if prep.dep_ == "prep" and prep.lower_ == "of"
            for o in _prep_objects(prep)
        ]
        values += [c for c in noun.children if c.dep_ in {"appos", "nummod"} and c.i > noun.i]
        found = False
        label = self._phrase_label(noun)
        for value in values:
            before = len(self.relations)
            self._relate(owner, value, label, "nominal", sent_index)
            found = found or len(self.relations) > before
        return found

    def _existential(self, verb: Token, sent_index: int) -> None:
        """``There are 45 floors at 200 Public Square`` -> square -floor_count-> 45."""
        for attr in (c for c in verb.children if c.dep_ == "attr"):
            number = _count_of(attr)
            if number is None:
                continue
            for prep in attr.children:
                if prep.dep_ == "prep" and prep.lower_ in {"at", "in", "on"}:
                    for owner in _prep_objects(prep):
                        label = relation_label(attr.lemma_, "count")
                        self._relate(owner, number, label, "count", sent_index)

    def _copula(self, verb: Token, subj: Token, sent_index: int) -> None:
        if self._one_of(verb, subj, sent_index):
            return
        if subj.lemma_.lower() not in ATTRIBUTE_NOUNS and any(
            c.dep_ == "attr" and any(p.dep_ == "prep" and p.lower_ == "of" for p in c.children)
            for c in verb.children
        ):  # "the city of X is the location of Y": X is
            subj = _classified_name(subj, self.token_ent) or subj
        owner = self._owner(subj) if subj.pos_ == "NOUN" or self._is_role_title(subj) else None
        place = _where_place(verb)
        if place is None and owner is None and self._is_unowned_attribute(subj):
            place = _place_before_where(subj)  # "Mexico, where ... is spoken and the leader is"
        if place is not None and subj.pos_ == "NOUN" and (owner is None or owner.pos_ == "PRON"):
            owner = place  # "Italy, where the capital is Rome", "Greece, where its leader is"
        if owner is None and self._implicit_owner(verb, subj, sent_index):
            return
        for child in verb.children:
            dep = child.dep_
            if dep == "advmod" and self._is_named(child) and child.i > verb.i:
                dep = "attr"  # "its ICAO identifier is VIAG": a name the parser read as adverb
            if (
                dep == "acomp"
                and child.lower_ in _DIMENSIONS
                and any(c.dep_ == "npadvmod" for c in child.children)
            ):
                continue  # "is 1,800 metres long": the measure is the fact (``_measures``)
            if dep == "attr":
                if owner is not None:
                    # "the leader of X is Z", "X's leader is Z", "X, whose leader is Z"
                    label = self._attribute_label(subj)
                    self._relate(owner, child, label, "nominal", sent_index)
                elif child.pos_ == "NOUN":
                    role = _named_role(child)  # "X is the name of the ground of Y"
                    self._role_noun(subj, role, "copula", sent_index, place=place)
            elif dep == "acomp" and owner is not None:
                # "the language of X is Italian", "X, where the spoken language is Italian"
                label = self._attribute_label(subj)
                self._relate(owner, child, label, "nominal", sent_index)
            elif dep == "acomp":
                preps = [c for c in child.children if c.dep_ == "prep"]
                for prep in preps:
                    for obj in _prep_objects(prep):
                        label = relation_label(child.lemma_, prep.lower_)
                        self._relate(subj, obj, label, "copula", sent_index)
                if not preps:
                    self._relate(subj, child, "is", "attribute", sent_index)
            elif dep == "prep" and owner is not None:
                # "the headquarters of X is in Warsaw" -> X -headquarters-> Warsaw
                label = self._attribute_label(subj)
                for obj in _prep_objects(child):
                    self._relate(owner, obj, label, "nominal", sent_index, concept_tail=False)
            elif dep == "prep":
                for obj in _prep_objects(child):
                    label = relation_label("is", child.lower_)
                    self._relate(subj, obj, label, "copula", sent_index)

    def _one_of(self, verb: Token, subj: Token, sent_index: int) -> bool:
        """``one of X's ingredients is Z`` / ``Z is one of its ingredients`` / ``two of the
        leaders of X are Z and W`` -> X -ingredient-> Z (True when the copula was such a
        sentence)."""
        attrs = [c for c in verb.children if c.dep_ in {"attr", "acomp"}]
        for one, values in [(subj, attrs), *((a, [subj]) for a in attrs)]:
            if not (one.pos_ == "NUM" or one.lower_ in _PART_WORDS):
                continue
            nouns = [o for c in one.children if c.dep_ == "prep" and c.lower_ == "of"
                     for o in _prep_objects(c) if o.pos_ == "NOUN"]  # fmt: skip
            owner = self._owner(nouns[0]) if nouns else None
            if owner is None and nouns and self._is_unowned_attribute(nouns[0]):
                # "X, where one of the ethnic groups is Y"; "X is a dish. One of the main
                # ingredients is Taro"
                owner = _where_place(verb) or self.topic
            if owner is None:
                continue
            label = self._phrase_label(nouns[0])
            for value in values:
                self._relate(owner, value, label, "nominal", sent_index)
            return True
        return False

    def _implicit_owner(self, verb: Token, subj: Token, sent_index: int) -> bool:
        """``X is in Y. The runway length is 3500``: an attribute noun with "the" and no owner,
        whose value or name follows the copula, describes the named subject of the sentences
        before (True when a relation was added)."""
        topic = self.topic
        if topic is None or subj.pos_ != "NOUN" or subj.i in self.token_ent:
            return False
        dets = [c for c in subj.children if c.dep_ == "det"]
        if [d.lower_ for d in dets] != ["the"] or any(c.dep_ == "prep" for c in subj.children):
            return False
        span = self._compound_span(subj)
        lemma = " ".join([*(t.lower_ for t in span[:-1]), subj.lemma_.lower()])
        if lemma in CLASS_NOUNS or lemma in DESCRIPTION_TYPES:
            return False  # "the city is Paris": a description, not an attribute
        if any(t.pos_ == "PROPN" and t.text.upper() not in _CODE_SCHEMES for t in span):
            return False  # "the Minangkabau people are ...": a named group, not an attribute
        added = False
        for child in verb.children:
            if child.dep_ not in {"attr", "acomp"}:
                continue
            before = len(self.relations)
            label = relation_label(*(t.lemma_ for t in span))
            kinds = lemma in ATTRIBUTE_NOUNS  # "the main ingredients are sweet potato and sago"
            self._relate(topic, child, label, "nominal", sent_index, concept_tail=kinds)
            added = added or len(self.relations) > before
        return added

    def _subject_before(self, tok: Token) -> Token | None:
        """The first named subject of ``tok``'s sentence before it ("X is 546 metres above sea
        level and the 1st runway is 3678 feet"), or None."""
        for other in tok.doc[tok.sent.start : tok.i]:
            if other.dep_ in _SUBJECT_DEPS and self._is_named(other):
                return other
        return None

    def _phrase_label(self, noun: Token, *more: str) -> str:
        """The label a noun phrase gives: the lemmas of ``noun`` and its compounds (then
        ``more``), "ICAO location identifier" -> icao_location_identifier."""
        return relation_label(*(t.lemma_ for t in self._compound_span(noun)), *more)

    def _attribute_label(self, noun: Token) -> str:
        """The label an attribute noun gives: its words, without the name they may hold
        ("Aarhus Airport runway length" -> runway_length)."""
        own = self.token_ent.get(noun.i)  # "Alma Mater" tagged as a name keeps its words
        words = [
            t.lemma_
            for t in self._compound_span(noun)
            if t.i not in self.token_ent or self.token_ent[t.i] is own
        ]
        return relation_label(*words) or relation_label(noun.lemma_)

    def _role_of(self, noun: Token) -> tuple[Span, Token] | None:
        """``a crew member of Apollo 14``, ``the leader of X``: a noun of a relation (not a
        thing) and the name it relates to, or None."""
        if noun.pos_ != "NOUN" or noun.i in self.token_ent:
            return None
        span = self._compound_span(noun)
        words = " ".join([*(t.lower_ for t in span[:-1]), noun.lemma_.lower()])
        lemma = noun.lemma_.lower()
        if lemma in _NAMING_NOUNS or (
            lemma not in ATTRIBUTE_NOUNS and words not in ATTRIBUTE_NOUNS
        ):
            return None  # "the discipline of Physics" is Physics (``_classified_name``)
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                objects = _prep_objects(prep)
                if objects and self._is_named(objects[0]):
                    return span, objects[0]
        return None

    def _is_role_title(self, tok: Token) -> bool:
        """``The Dean of X``, ``Switzerland's Federal Chancellor``, ``his Alma Mater``: a
        capitalised role the tagger read as a name."""
        if tok.pos_ != "PROPN":
            return False
        if tok.lower_ in _ATTRIBUTE_WORDS - {"name"} and tok.i not in self.token_ent:
            return True  # "X's ICAO Location Identifier", "the Runway Length of X"
        ent = self.token_ent.get(tok.i)
        if any(c.dep_ == "poss" for c in tok.children):
            # "X's Federal Chancellor" is X's role; "Microsoft's Xbox" is a name
            words = " ".join(t.lower_ for t in self._compound_span(tok))
            return ent is None or words in ATTRIBUTE_NOUNS
        return (
            (ent is None or [t.lower_ for t in ent] == ["the", tok.lower_])
            and [c.lower_ for c in tok.children if c.dep_ == "det"] == ["the"]
            and not any(c.dep_ == "compound" for c in tok.children)
            and any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)
        )

    def _is_unowned_attribute(self, noun: Token) -> bool:
        """``the main ingredients``: an attribute noun with "the" and no owner, which speaks
        of the named subject of the sentences before."""
        return noun.lemma_.lower() in ATTRIBUTE_NOUNS and _has_no_owner(noun)

    def _owner(self, noun: Token) -> Token | None:
        """Whose ``noun`` is: ``X's noun``, ``the noun of X``, ``X, whose noun`` (or None)."""
        compounds = [c for c in noun.lefts if c.dep_ == "compound"]
        if noun.lower_ in _ATTRIBUTE_WORDS and noun.i not in self.token_ent:
            named = [c for c in compounds if c.i in self.token_ent]
            if named:
                return named[0]  # "Aarhus Airport runway length is 2776": the airport's
        # "its ICAO location identifier": the parser may hang the owner on a compound
        for child in [*noun.children, *(g for c in compounds for g in c.lefts)]:
            if child.dep_ == "poss":
                if child.lower_ == "whose":
                    relcl = noun.head
                    if relcl.dep_ != "relcl":
                        return None
                    return _named_before(relcl.head, child) or relcl.head
                return child
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ in _ROLE_OWNER_PREPS:
                objects = _prep_objects(prep)
                if objects and (
                    objects[0].pos_ in {"PROPN", "PRON", "NUM"}
                    or objects[0].i in self.token_ent
                    or _is_definite_class(objects[0], self.name_heads)
                    or _classified_name(objects[0], self.token_ent) is not None
                    or (
                        prep.lower_ == "of"
                        and objects[0].pos_ == "NOUN"
                        and noun.lemma_.lower() in ATTRIBUTE_NOUNS
                    )
                ):
                    # "the runway length of Lisbon airport", "of the country", "of the state of
                    # New Jersey", "an ingredient of bakewell tart"
                    return objects[0]
        return None

    def _role_noun(
        self,
        holder: Token,
        role: Token,
        pattern: str,
        sent_index: int,
        *,
        place: Token | None = None,
    ) -> None:
        """``holder`` is the ``role`` (of Y / in Y / Y's): ``role_of`` (``role_in``) to Y, else
        ``is_a`` role; in a "where" clause, Y is the place the clause describes."""
        targets = [(c, "of") for c in role.children if c.dep_ == "poss"]
        for prep in (c for c in role.children if c.dep_ == "prep"):
            if prep.lower_ in {"of", "in", "for", "at", "from", "on"}:
                targets.extend((o, prep.lower_) for o in _prep_objects(prep))
        if not targets and place is not None:
            targets = [(place, "of")]
        if targets:
            holder_argument = self._argument(holder, sent_index, concept=False)
            is_value = holder_argument is not None and self.mentions[holder_argument[0]].is_value
            # "KABI is the ICAO location identifier of X": a code is X's, as a value is
            is_value = is_value or role.lower_ in _ATTRIBUTE_WORDS - {"length", "elevation"}
            for target, prep in targets:
                if is_value and prep in {"of", "for", "at"}:
                    # "3/21 is the runway name of X": a value is an object, X -runway_name-> it
                    label = self._phrase_label(role)
                    self._relate(target, holder, label, pattern, sent_index)
                    continue
                label = relation_label(role.lemma_, prep)
                self._relate(holder, target, label, pattern, sent_index)
        elif role.pos_ == "NOUN" and self.token_ent.get(role.i) is None:
            self._relate(holder, role, "is_a", "is_a", sent_index, concept_tail=True)

    # -- noun patterns -----------------------------------------------------------------------
    def _apposition(self, appos: Token, sent_index: int) -> None:
        head = appos.head
        if self._place_part(head, appos, sent_index):
            return
        if appos.pos_ == "NOUN" and self._is_named(head):
            self._role_noun(head, appos, "appos", sent_index)
        elif head.pos_ == "NOUN" and self._is_named(appos):
            owner = self._owner(head)
            if owner is not None:  # "London's mayor, Boris Johnson"
                label = self._phrase_label(head)
                self._relate(owner, appos, label, "nominal", sent_index)
            else:
                self._role_noun(appos, head, "appos", sent_index)

    def _place_part(self, outer_tok: Token, inner_tok: Token, sent_index: int) -> bool:
        """``Cleveland, Cuyahoga County, Ohio``: a place named right after another, with only a
        comma between (the parser's apposition or conjunct), is the place the first lies in;
        True when the two tokens are such places."""
        outer, inner = self.token_ent.get(outer_tok.i), self.token_ent.get(inner_tok.i)
        if (
            inner is None
            or outer is None
            or inner.label_ not in _PLACES
            or outer.label_ not in _PLACES
            or inner.start < outer.end
        ):
            return False
        if not all(t.text == "," for t in self.doc[outer.end : inner.start]) or (
            inner.start == outer.end
        ):
            return False
        if not (is_country(outer.text) and is_country(inner.text)):  # not "France, Germany"
            self._relate(outer_tok, inner_tok, "located_in", "modifier", sent_index)
        return True

    def _possessive_title(self, role: Token, sent_index: int) -> None:
        """``Google's founder Larry Page``: a role noun with a possessor, modifying a name."""
        if role.pos_ != "NOUN" or not self._is_named(role.head):
            return
        if any(c.dep_ == "poss" for c in role.children):
            self._role_noun(role.head, role, "possessive", sent_index)

    def _noun_modifiers(self, noun: Token, sent_index: int) -> None:
        """``the memorial in Azerbaijan`` -> located_in, when the modifier is a named place."""
        if not self._is_named(noun):
            return
        for prep in noun.children:
            label = _PLACE_PREPS.get(prep.lower_) if prep.dep_ == "prep" else None
            if label is None:
                continue
            for obj in _prep_objects(prep):
                # "Antwerp, in the country of Belgium": the class noun names the place
                obj = _classified_name(obj, self.token_ent) or obj
                ent = self.token_ent.get(obj.i)
                if ent is not None and ent.label_ in _PLACES:
                    self._relate(noun, obj, label, "modifier", sent_index)

    def _measures(self, sent: Span, sent_index: int) -> None:
        """``X is 546 metres above sea level`` / ``X is located 34 m above sea level``: a
        measure that modifies a predicate describes its subject (``above_sea_level 546``)."""
        for ent in self._sentence_ents(sent):
            if ent.label_ not in {"QUANTITY", "MONEY", "PERCENT"}:
                continue
            root = ent.root
            if _value_of(ent) is None or root.dep_ not in {"npadvmod", "attr", "acomp", "advmod"}:
                continue
            predicate = root.head
            words: list[str] = []
            dimension = ""
            if predicate.pos_ in {"ADV", "ADP"}:  # "546 metres above sea level"
                objects = [c for c in predicate.children if c.dep_ == "pobj"]
                words = [predicate.lemma_, *(t.lemma_ for o in objects for t in o.subtree)]
                predicate = predicate.head
            elif predicate.pos_ == "ADJ" and predicate.lower_ in _DIMENSIONS:
                dimension = _DIMENSIONS[predicate.lower_]  # "the runway is 1,800 metres long"
                predicate = predicate.head
            if predicate.pos_ not in {"VERB", "AUX"}:
                continue
            active, passive = _subjects(predicate)
            label = relation_label(*words) or relation_label(predicate.lemma_, "measure")
            for subj in active + passive:
                owner = self._owner(subj) if dimension and subj.pos_ == "NOUN" else None
                if owner is not None:  # "its runway is 1,800 metres long": runway_length
                    noun = self._phrase_label(subj)
                    self._relate(owner, root, f"{noun}_{dimension}", "count", sent_index)
                else:
                    self._relate(subj, root, dimension or label, "count", sent_index)

    def _role_prefixes(self, sent: Span, sent_index: int) -> None:
        """``Test Pilot Alan Shepard``, ``Retired Buzz Aldrin``: the role or state written
        before a person's name is said of the person (is_a test pilot, is retired)."""
        for ent in self._sentence_ents(sent):
            if ent.label_ != "PERSON":
                continue
            start = ent.start
            while (
                start > sent.start
                and self.doc[start - 1].dep_ in {"compound", "amod"}
                and self.doc[start - 1].head.i in range(start, ent.end)
                and self.doc[start - 1].is_alpha
                and self.doc[start - 1].i not in self.token_ent
            ):
                start -= 1
            if start == ent.start or self.doc[start].lower_ in TITLES:
                continue  # no role, or a title ("President Obama"), which the name drops
            role = self.doc[start : ent.start]
            words = [t.lower_ for t in role]
            state = len(role) == 1 and (role[0].tag_ == "VBN" or role[0].lower_.endswith("ed"))
            if not state:  # "Retired Buzz Aldrin" is a state, "Fighter pilot ..." a kind
                words[-1] = role[-1].lemma_.lower()
            mention = self._mention(role, "CONCEPT", sent_index, lemma=" ".join(words))
            person = self._argument(ent.root, sent_index, concept=False)
            if person is None or person[0] == mention:
                continue
            conf = CONFIDENCE["is_a"] * person[1] * _CONCEPT_FACTOR
            self._add_relation(person[0], mention, "is" if state else "is_a", conf, sent_index)

    def _loose_values(self, sent: Span, sent_index: int) -> None:
        """A fallback for numbers and measures no pattern used: the value of the noun it counts
        or measures (``has 600 students and an academic staff of 100``, ``is 1174 pages``,
        ``a runway with a length of 733 metres``), said of that noun's owner, else of the
        subject of the clause it is in, else of the named subject of the sentences before."""
        sentence = self.relations[self.sentence_start :]  # a value is of its own sentence
        used = {r.tail for r in sentence} | {r.head for r in sentence}
        for tok in sent:
            ent = self.token_ent.get(tok.i)
            if not tok.like_num and (ent is None or ent.label_ not in _LOOSE_VALUE_LABELS):
                continue
            if ent is not None and tok.i != ent.start:
                continue  # the value is read once, at its first token
            argument = self._argument(tok, sent_index, concept=False)
            if argument is None or not self.mentions[argument[0]].is_value:
                continue
            if argument[0] in used:
                continue
            value = self.mentions[argument[0]]
            if not any(c.isdigit() for c in value.text):
                continue  # "two leaders of Chile are ...": a word that counts a list
            attribute = _measured_noun(ent.root if ent is not None else tok)
            if attribute is None:
                continue
            noun, counted = attribute
            owner = self._owner(noun)
            if owner is not None and (owner.like_num or value.start <= owner.idx < value.end):
                owner = None  # "a staff of 100", "a length of 733 metres": the value, no owner
            owner = owner or _clause_subject(noun) or self.topic
            if owner is None:
                continue
            if owner.pos_ == "NOUN" and (owner_of := self._owner(owner)) is not None:
                owner = owner_of  # "its runway has a length of 733 m": the runway's owner
            label = self._phrase_label(noun, "count") if counted else self._phrase_label(noun)
            self._relate(owner, tok, label, "value", sent_index, conjuncts=False)

    def _misread_verb(self, sent: Span, sent_index: int) -> None:
        """``Bhajji originates from India`` tagged as the noun phrase "Bhajji originates": a
        sentence rooted in such a verb read as a plural noun after a name, with a preposition,
        is that name doing the verb (``originate_from``)."""
        root = sent.root
        if not _is_misread_verb(root):
            return
        names = [c for c in root.lefts if c.dep_ == "compound" and self._is_named(c)]
        if not names:
            return
        for prep in (c for c in root.rights if c.dep_ == "prep"):
            label = relation_label(root.lemma_, prep.lower_)
            for obj in _prep_objects(prep):
                self._relate(names[-1], obj, label, "prep", sent_index)

    def _place_countries(self, sent: Span, sent_index: int) -> None:
        """``Tirstrup, Denmark``: a place written before a comma and a country is located in
        that country, however the parser attached the two (not in a list of countries)."""
        doc = self.doc
        for tok in sent:
            place = self.token_ent.get(tok.i)
            if place is None or tok.i != place.end - 1 or place.label_ not in _PLACES:
                continue
            after = place.end
            if after + 1 >= sent.end or doc[after].text != ",":
                continue
            country = self.token_ent.get(after + 1)
            if (
                country is None
                or country.start != after + 1
                or country.label_ != "GPE"
                or not is_country(country.text)
                or is_country(place.text)
            ):
                continue
            self._relate(
                place.root, country.root, "located_in", "modifier", sent_index, conjuncts=False
            )

    def _short_paths(self, sent: Span, sent_index: int) -> None:
        """A fallback for names no pattern related: two names (or a name and a value) joined by
        a short dependency path through a verb or preposition and no other name, labelled by
        the words on the path ("Bhajji originates in India", misparsed, -> ``originate_in``)."""
        related = {
            frozenset((r.head, r.tail)) for r in self.relations[self.sentence_start :]
        }  # the relations of this sentence (it is the last one processed)
        anchors: dict[int, Token] = {}
        for tok in sent:
            ent = self.token_ent.get(tok.i)
            if (
                ent is not None
                and ent.label_ in VALUE_LABELS
                and (tok.dep_ == "nummod" or any(c.lower_ == "of" for c in tok.children))
                and not any(c.isdigit() for c in ent.text)
            ):
                continue  # "Two leaders of Italy", "one of its ingredients": no argument
            if (ent is not None and ent.root.i == tok.i) or (
                ent is None and tok.pos_ == "PROPN" and tok.dep_ != "compound"
            ):
                anchors[tok.i] = tok
        tokens = sorted(anchors.values(), key=lambda t: t.i)
        if len(tokens) < 2:
            return
        chains = {t.i: _up_chain(t) for t in tokens}
        for a_index, first in enumerate(tokens):
            for second in tokens[a_index + 1 :]:
                path = _dependency_path(chains[first.i], chains[second.i])
                if path is None:
                    continue
                inner = path[1:-1]
                if any(t.i in anchors or t.i in self.token_ent for t in inner):
                    continue
                if sum(t.pos_ in {"VERB", "AUX"} for t in inner) > 1:
                    continue  # the path crosses from one clause into another
                words = [t for t in inner if t.pos_ in {"VERB", "ADP", "NOUN", "AUX"}]
                if not any(t.pos_ in {"VERB", "ADP", "AUX"} for t in words):
                    continue
                if first.dep_ == "amod" or second.dep_ == "amod":
                    continue  # "an American astronaut": a modifier of a noun, not an argument
                if any(
                    _copula_holder(t).i not in {t.i, first.i, second.i} for t in (first, second)
                ):
                    continue  # "X is an American who was born in Y": X was, said already
                head, tail = (first, second)
                if (
                    any(t.dep_ in _SUBJECT_DEPS for t in [second])
                    and first.dep_ not in _SUBJECT_DEPS
                ):
                    head, tail = second, first
                h = self._argument(head, sent_index, concept=False)
                t = self._argument(tail, sent_index, concept=False)
                if h is None or t is None or h[0] == t[0] or frozenset((h[0], t[0])) in related:
                    continue
                if self.mentions[h[0]].is_value:
                    h, t = t, h
                    head, tail = tail, head
                    if self.mentions[h[0]].is_value:
                        continue
                if self.mentions[t[0]].is_value and head.dep_ not in _SUBJECT_DEPS:
                    continue  # "joined NASA in 1963": the date is the subject's, not NASA's
                if _overlaps(self.mentions[h[0]], self.mentions[t[0]]):
                    continue  # "A Fortress of Grey Ice" and "Grey Ice": one name, read twice
                label = relation_label(*(w.lemma_ for w in words if w.lemma_ != "be")) or "is"
                if "abbreviat" in label and (short := _abbreviation(tail)) is not None:
                    value = Value(short.text, "string")
                    t = self._mention(short, "STRING", sent_index, value=value), t[1]
                    if frozenset((h[0], t[0])) in related:
                        continue
                related.add(frozenset((h[0], t[0])))
                self._add_relation(h[0], t[0], label, CONFIDENCE["path"] * h[1] * t[1], sent_index)

    def _nationalities(self, sent: Span, sent_index: int) -> None:
        """``X is an American``, ``X was an American astronaut``, ``X, a Swiss architect,``,
        ``X is a US citizen``: a demonym (or a country before "citizen" or "national") said of a
        person is the person's nationality, the country it names."""
        for tok in sent:
            ent = self.token_ent.get(tok.i)
            if ent is None:
                continue
            # the country a demonym names; a country itself is named already ("US citizen")
            demonym = DEMONYMS.get(tok.text) if tok.ent_type_ == "NORP" and len(ent) == 1 else None
            of_country = (
                ent.label_ == "GPE"
                and tok.i == ent.root.i
                and tok.dep_ == "compound"
                and tok.head.lemma_.lower() in {"citizen", "national"}
            )
            if demonym is None and not of_country:
                continue
            predicate = tok.head if tok.dep_ in {"amod", "compound"} else tok
            if predicate.dep_ == "attr" and predicate.head.lemma_ == "be":
                people = [c for c in predicate.head.children if c.dep_ in _SUBJ]
            elif predicate.dep_ == "appos" and predicate is not tok:
                people = [predicate.head]
            else:
                continue
            person = people[0] if people else None
            named = self.token_ent.get(person.i) if person is not None else None
            if person is None or not (
                (named is not None and named.label_ == "PERSON") or person.lower_ in {"he", "she"}
            ):
                continue
            holder = self._argument(person, sent_index, concept=False)
            nation = self._mention(ent, "GPE", sent_index)  # made for every entity already
            if holder is None or holder[0] == nation:
                continue
            if demonym is not None:  # "American" is the node of the United States
                self.mentions[nation] = replace(self.mentions[nation], label="GPE", name=demonym)
            self._add_relation(holder[0], nation, "nationality", CONFIDENCE["copula"], sent_index)

    def _sentence_ents(self, sent: Span) -> list[Span]:
        """The tagged entities that start in ``sent`` (without scanning the whole document)."""
        lo = bisect_left(self.ent_starts, sent.start)
        return self.ents[lo : bisect_left(self.ent_starts, sent.end, lo)]

    def _is_named(self, tok: Token) -> bool:
        return tok.i in self.token_ent or tok.pos_ == "PROPN"


def _overlaps(a: Mention, b: Mention) -> bool:
    """The two mentions share characters of the text."""
    return a.start < b.end and b.start < a.end


def _entity_label(ent: Span) -> str:
    """A value-typed entity that is not a value ("200 Public Square" tagged MONEY) is a name;
    so is a "person" after "the" ("the Louvre"), which people's names do not take, and a
    "person" whose last word only organisations end with ("Globex Corporation") is one."""
    if ent.label_ in VALUE_LABELS:
        return "MISC"
    if ent.label_ == "PERSON" and len(ent) > 1 and ent[-1].text.rstrip(".") in _ORG_ENDINGS:
        return "ORG"
    if ent.label_ == "PERSON" and len(ent) > 1 and {ent[0].text, ent[-1].text} & _CLUB_MARKS:
        return "ORG"  # "FC Koln", "A.C. Chievo Verona": a sports club
    if ent.label_ in {"PERSON", "NORP"} and len(ent) > 1 and ent[-1].lower_ in _FACILITY_ENDINGS:
        return "FAC"  # "Agra Airport", "Adare Manor": a place people's names do not end with
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if ent.label_ == "PERSON" and before is not None and before.lower_ == "the":
        return "MISC"
    return ent.label_


def _value_of(ent: Span) -> Value | None:
    text = ent.text
    words = text.split()
    if words and words[0].lower() in {"the", "a", "an", "about", "around", "over", "some"}:
        words = words[1:]
    if ent.label_ == "DATE" and len(words) == 2:
        # "the 2014 season", "the year 2000", "season 2011": the date the period is named by
        kind = {w.lower() for w in words} & _DATED_PERIODS
        if kind:
            words = [w for w in words if w.lower() not in kind]
    text = " ".join(words)
    if ent.label_ in {"CARDINAL", "ORDINAL"} and not any(c.isdigit() for c in text):
        value = parse_value(text)
        return value if value is not None and ent.label_ == "CARDINAL" else None
    return parse_value(text, ent.label_) or (
        _string_value(text) if ent.label_ == "CARDINAL" else None
    )


def _string_value(text: str) -> Value | None:
    """An identifier made of digits and dashes ("978-0-15-204770-2", "3/21") as a string."""
    return Value(text, "string") if _VALUE_TOKEN.match(text) and len(text) > 1 else None


def _value_tokens(tok: Token) -> Span:
    """A number written as several tokens with no space between them ("978-0-15-204770-2")."""
    doc = tok.doc
    start = end = tok.i
    while start > 0 and not doc[start - 1].whitespace_ and _VALUE_TOKEN.match(doc[start - 1].text):
        start -= 1
    while end + 1 < len(doc) and not doc[end].whitespace_ and _VALUE_TOKEN.match(doc[end + 1].text):
        end += 1
    return doc[start : end + 1]


def _identifier(tok: Token) -> Span | None:
    """``978-0-15-204770-2``, ``11/29``: numbers joined by dashes or slashes with no space
    (the tagger takes only the first as a number), or None."""
    span = _value_tokens(tok)
    end = span.end
    while end > span.start and not span.doc[end - 1].like_num:
        end -= 1  # a sentence's final period
    span = span.doc[span.start : end]
    if len(span) < 3 or not any(t.text in {"-", "/", "–"} for t in span[1:-1]):
        return None
    return span


def _is_quoted(tok: Token) -> bool:
    return tok.i > 0 and tok.doc[tok.i - 1].text in {'"', "“"}


def _quoted_span(tok: Token) -> Span | None:
    doc = tok.doc
    for end in range(tok.i, min(len(doc), tok.i + 12)):
        if doc[end].text in {'"', "”"}:
            return doc[tok.i : end] if end > tok.i else None
    return None


def _abbreviation(tok: Token) -> Span | None:
    """``Acta Palaeontol. Pol.``, ``Am. J. Math``: the capitalised words and their dots from
    the start of ``tok``'s phrase, across the sentence breaks the dots make the tagger see;
    None when there is no dot (a plain name)."""
    if tok.pos_ not in {"PROPN", "NOUN"}:
        return None
    doc = tok.doc
    start = min((t.i for t in tok.subtree if t.dep_ == "compound"), default=tok.i)
    end = start
    while end < len(doc):
        word = doc[end]
        text = word.text
        dot = text == "." and end > start and not doc[end - 1].whitespace_
        letters = text[:-1] if text.endswith(".") else text  # "J." is one token
        if not (dot or (letters.isalpha() and letters[0].isupper())):
            break
        end += 1
    span = doc[start:end]
    if end <= tok.i or not any(t.text.endswith(".") for t in span[:-1]) or len(span) < 2:
        return None
    return span


def _has_no_owner(noun: Token) -> bool:
    """``the runway``, ``the 1st runway``, ``the main ingredients``: a noun with "the" and no
    owner of its own (no possessive, no preposition), a part of what the text is about."""
    dets = [c.lower_ for c in noun.children if c.dep_ == "det"]
    return dets == ["the"] and not any(c.dep_ in {"poss", "prep"} for c in noun.children)


def _measured_noun(value: Token) -> tuple[Token, bool] | None:
    """The common noun a number counts (``600 students``: counted) or gives the measure of
    (``a length of 733 metres``, ``a staff of 100``), or None."""
    if value.dep_ in {"nummod", "quantmod"} and value.head.pos_ == "NOUN":
        noun = value.head  # "600 students", or "733 metres": a unit, then what it measures
        if noun.dep_ != "pobj" or noun.head.lower_ != "of":
            return noun, noun.tag_ == "NNS"
        value = noun
    if value.dep_ == "pobj" and value.head.lower_ == "of" and value.head.head.pos_ == "NOUN":
        return value.head.head, False  # "an academic staff of 100"
    if value.dep_ == "npadvmod" and value.head.pos_ == "ADP" and value.head.head.pos_ == "NOUN":
        return value.head.head, False  # "an elevation of 911 metres above sea level"
    if value.dep_ == "attr" and value.head.lemma_ == "be":
        subjects = [c for c in value.head.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"]
        if subjects:
            return subjects[0], False  # "the runway length in feet of X is 6573"
    return None


def _clause_subject(noun: Token) -> Token | None:
    """The subject of the clause a noun is the object of, through prepositions and joined
    objects (``X has a runway with a length of ...``, ``... and they have 47290 members``)."""
    tok = noun
    for _ in range(6):
        if tok is not noun and tok.pos_ == "PROPN" and tok.dep_ != "compound":
            return tok  # "Akron Summit Assault, with 3000 members, ...": the name it hangs on
        if tok.dep_ in {"pobj", "prep", "conj", "appos", "compound", "npadvmod"}:
            tok = tok.head  # "is 512 pages long": through the measure to the adjective
            continue
        if tok.dep_ in {"dobj", "attr", "acomp"} and tok.head.pos_ in {"VERB", "AUX"}:
            active, passive = _subjects(tok.head)
            subjects = active + passive
            named = [s for s in subjects if s.pos_ in {"PROPN", "PRON"} or s.ent_type_]
            return (named or subjects or [None])[0]
        return None
    return None


def _count_of(noun: Token) -> Token | None:
    """The number counting ``noun`` ("34 floors"), if any (not "the Gemini 8 mission")."""
    for child in noun.children:
        if child.dep_ == "nummod" and child.like_num:
            if child.i > 0 and noun.doc[child.i - 1].pos_ == "PROPN":
                return None
            return child
    return None


def _extend_entity(doc: Doc, ent: Span) -> Span:
    """An entity span widened to the whole name: a leading number (``20 Fenchurch Street``),
    trailing proper-noun or compound heads (``Ashgabat International Airport``,
    ``Arrabbiata sauce``)."""
    if ent.label_ in VALUE_LABELS and ent.label_ != "MONEY":
        return ent
    start, end = ent.start, ent.end
    while end - start > 1 and doc[end - 1].pos_ == "CCONJ":
        end -= 1  # "AFC Ajax and": the tagger ran the name into the conjunction after it
    while end - start > 1 and (
        doc[end - 1].lower_ in _ATTRIBUTE_WORDS | {"location"}
        or doc[end - 1].text.upper() in _CODE_SCHEMES
    ):
        end -= 1  # "Agra Airport IATA Location Identifier is AGR": the name, then what of it
    end = _name_head_end(doc, start, end)
    start = _leading_start(doc, start, end)
    end = _dashed_end(doc, end)  # "Adolfo Suárez Madrid–Barajas Airport"
    if (
        start > 0
        and doc[start - 1].text in _CLUB_MARKS
        and doc[start - 1].head.i in range(start, end)
    ):
        start -= 1  # "A.C. Chievo Verona", the mark tagged apart
    if end < len(doc) and doc[end].text in _CLUB_MARKS and doc[end - 1].whitespace_:
        end += 1  # "Unione Triestina 2012 S.S.D."
    start, end = _romance_bounds(doc, start, end)  # "Ícolo e Bengo", "São José dos Pinhais"
    if ent.label_ in {"PERSON", "ORG"} and _is_royal_name(ent):
        place = doc[ent.end + 1] if ent.end + 1 < len(doc) else None
        if place is not None and place.ent_type_ == "GPE" and place.ent_iob_ == "B":
            stop = ent.end + 2
            while stop < len(doc) and doc[stop].ent_iob_ == "I":
                stop += 1
            return Span(doc, start, stop, "PERSON")  # "Philippe of Belgium", "Felipe VI of Spain"
    if (
        start >= 2
        and doc[start - 1].text == ":"
        and doc[start - 2].like_num
        and not doc[start - 2].whitespace_
        and doc[start].is_title
    ):
        start -= 2  # "1634: The Ram Rebellion": a title that opens with a number and a colon
    if (
        ent.label_ in {"GPE", "LOC"}
        and start > 0
        and doc[start - 1].ent_type_ == "NORP"
        and doc[start - 1].pos_ == "PROPN"
        and doc[start - 1].dep_ == "compound"
        and start <= doc[start - 1].head.i < end
    ):
        start -= 1  # "British Hong Kong": the demonym names the place with it
    if (
        ent.label_ == "NORP"
        and start > 0
        and doc[start - 1].ent_type_ == "NORP"
        and doc[start - 1].dep_ in {"compound", "amod"}
        and start <= doc[start - 1].head.i < end
    ):
        start -= 1  # "Asian Americans", "Malaysian Chinese": one group, tagged as two
    while end < len(doc) and doc[end].like_num and doc[end].dep_ == "nummod":
        if not start <= doc[end].head.i < end:
            break
        end += 1  # "Apollo 14"
    if (
        end < len(doc)
        and doc[end - 1].pos_ == "PROPN"
        and _DIGITS.match(doc[end].text)
        and doc[end].ent_type_ in {"", "CARDINAL"}
        and (
            not doc[end].ent_type_
            or (end + 1 == len(doc) or doc[end + 1].ent_iob_ != "I")  # the number alone
        )
        and doc[end - 1].whitespace_
        and (end + 1 == len(doc) or doc[end + 1].tag_ not in {"NNS", "NNPS"})
    ):
        end += 1  # "the Apollo 11 crew": the number the parser gave to the next noun
    while end < len(doc):
        last, nxt = doc[end - 1], doc[end]
        if (
            last.dep_ == "compound"
            and last.head.i == end
            and nxt.pos_ in {"PROPN", "NOUN"}
            and nxt.ent_type_ in {"", ent.label_}
            and (nxt.pos_ == "PROPN" or ent.label_ in _NOUN_HEADED)
        ):
            end += 1
        else:
            break
    if end < len(doc) and ent.label_ in {"GPE", "NORP"}:
        end = _group_noun_end(doc, end)  # "the Indian people", "the Netherlands national team"
    if (
        end + 1 < len(doc)
        and doc[end].lower_ in {"and", "&"}
        and doc[end + 1].text in _FIRM_ENDINGS
        and ent.label_ in {"PERSON", "ORG"}
    ):
        end += 2  # "Freeman Fox and Partners"
    if end < len(doc) and doc[end - 1].lower_ in _VERSUS:
        end = _title_run_end(doc, end)  # "Alcatraz Versus the Evil Librarians": one title
    elif end + 1 < len(doc) and doc[end].lower_ in _VERSUS and doc[end - 1].is_title:
        end = _title_run_end(doc, end + 1)
    if (
        start > 0
        and all(t.is_lower for t in doc[start:end])
        and doc[start - 1].dep_ == "compound"
        and doc[start - 1].pos_ == "NOUN"
        and doc[start - 1].is_lower
        and start <= doc[start - 1].head.i < end
    ):
        start -= 1  # "beef kway teow": a lower-case name the tagger took in part
    start = _after_class_noun(doc, _leading_start(doc, start, end), end)
    if end - start > 1 and _is_kind_noun(doc[end - 1]) and doc[end - 2].pos_ == "PROPN":
        end -= 1  # "the Campeonato Brasileiro Série C league"
    label = _HEAD_NOUN_LABELS.get(doc[end - 1].lower_, ent.label_) if end > ent.end else ent.label_
    if ent.label_ not in {"GPE", "LOC", "PERSON", "NORP"} | VALUE_LABELS:
        named = _name_span(doc[start:end])
        start, end = named.start, named.end
    if ent.label_ in {"GPE", "LOC", "PERSON", "FAC"} or (
        # "Grand Chute, Wisconsin": a town the tagger took for an organisation
        ent.label_ == "ORG" and end + 1 < len(doc) and doc[end + 1].ent_type_ == "GPE"
    ):
        with_region = _region_end(doc, end)
        if with_region != end:
            end, label = with_region, "GPE"  # "Shirley, Derbyshire" is a place, not a person
    if (start, end, label) == (ent.start, ent.end, ent.label_):
        return ent
    return Span(doc, start, end, label)


def _standard_name(span: Span, label: str) -> str:
    """The name the graph gives an entity the text writes in a short or ambiguous form, or "":
    a country's abbreviation (``the U.S.`` -> ``United States``), and a language named by one
    word (``English`` -> ``English language``, as encyclopaedias name it: "English" is also the
    people, a node of another type with the same label)."""
    if label in _PLACES or label == "ORG":
        return full_country_name(span.text) or ""
    one_word = len(span) == 1 and span[0].is_title
    if one_word and (label == "LANGUAGE" or (label == "NORP" and _said_of_a_language(span[0]))):
        return f"{span.text} language"
    return ""


def _said_of_a_language(tok: Token) -> bool:
    """``they speak Italian``, ``Spanish is widely spoken``, ``the language is Greek``,
    ``Indonesian is the language``: a demonym the sentence uses as the name of a language."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head  # "English and Irish are the main languages"
    head = tok.head
    if head.lemma_ == "speak" and tok.dep_ in {"dobj", "nsubjpass", "attr", "oprd"}:
        return True
    if head.lemma_ != "be" or tok.dep_ not in {"nsubj", "attr", "acomp"}:
        return False
    others = {"attr", "acomp"} if tok.dep_ == "nsubj" else {"nsubj"}
    return any(c.dep_ in others and _is_language_noun(c) for c in head.children)


def _is_language_noun(tok: Token) -> bool:
    """``language``, ``the official language``, ``one of the languages``."""
    if tok.lower_ == "one":
        return any(
            _is_language_noun(o) for c in tok.children if c.lower_ == "of" for o in _prep_objects(c)
        )
    return tok.lemma_.lower() == "language"


def _group_noun_end(doc: Doc, end: int) -> int:
    """The end of a people or a national team named by a place or demonym and a group noun
    (``the Indian people``, ``the Netherlands national football team``): the noun the name
    modifies, with only its lower-case modifiers between; else ``end``."""
    head = doc[end - 1].head
    if head.i < end or head.lower_ not in _GROUP_NOUNS or head.ent_type_:
        return end
    if doc[end - 1].dep_ not in {"amod", "compound", "nmod"}:
        return end
    if all(
        t.is_lower and t.head.i == head.i and t.dep_ in {"amod", "compound"}
        for t in doc[end : head.i]
    ):
        return head.i + 1
    return end


def _is_misread_verb(tok: Token) -> bool:
    """``originates`` in "Bhajji originates from India", tagged as the plural noun at the root."""
    return (
        tok.dep_ == "ROOT"
        and tok.pos_ == "NOUN"
        and tok.tag_ == "NNS"
        and tok.lemma_ in _MISREAD_VERBS
    )


def _is_royal_name(ent: Span) -> bool:
    """A given name alone or with a regnal number, followed by "of": how monarchs and nobles
    are named (``Philippe of Belgium``, ``Felipe VI of Spain``, ``Joan of Arc``)."""
    doc = ent.doc
    if ent.end + 1 >= len(doc) or doc[ent.end].lower_ != "of" or doc[ent.end].head.i != ent.end - 1:
        return False
    return len(ent) == 1 or (len(ent) == 2 and bool(_REGNAL.match(ent[-1].text)))


def _romance_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A name widened over a Romance-language particle between capitalised words, whatever
    the parser made of them (``Ícolo e Bengo``, ``São José dos Pinhais``): in English text
    these particles only occur inside names."""
    while (
        end + 1 < len(doc)
        and doc[end].lower_ in _ROMANCE_LINKS
        and doc[end].is_lower
        and doc[end + 1].is_title
        and doc[end + 1].pos_ == "PROPN"
    ):
        end = _proper_run_end(doc, end + 2)
    while (
        start >= 2
        and doc[start - 1].lower_ in _ROMANCE_LINKS
        and doc[start - 1].is_lower
        and doc[start - 2].is_title
        and doc[start - 2].pos_ == "PROPN"
    ):
        start -= 2
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title:
            start -= 1
    return start, end


def _title_run_end(doc: Doc, i: int) -> int:
    """The end of the capitalised words from ``i`` on, with a "the" before the first."""
    if i < len(doc) and doc[i].lower_ == "the" and i + 1 < len(doc) and doc[i + 1].is_title:
        i += 1
    while i < len(doc) and doc[i].is_title and doc[i].pos_ in {"PROPN", "NOUN", "ADJ"}:
        i += 1
    return i


def _proper_run_end(doc: Doc, i: int) -> int:
    """The first index from ``i`` on that is not a capitalised proper noun."""
    while i < len(doc) and doc[i].pos_ == "PROPN" and doc[i].is_title:
        i += 1
    return i


def _dashed_end(doc: Doc, end: int) -> int:
    """The end of a name continued after a dash with no space around it by more proper nouns
    (``Madrid–Barajas Airport``), or ``end``."""
    while (
        end + 1 < len(doc)
        and doc[end].text in {"-", "–"}
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].pos_ == "PROPN"
    ):
        end = _proper_run_end(doc, end + 2)
    return end


def _leading_start(doc: Doc, start: int, end: int) -> int:
    """The start of a name widened over the numbers, ordinals and proper nouns before
    ``doc[start:end]`` that modify it (``20 Fenchurch Street``, ``AEK Athens F.C.``)."""
    while start > 0:
        prev = doc[start - 1]
        leading_name = prev.pos_ == "PROPN" and prev.dep_ == "compound" and not prev.ent_type_
        number = prev.like_num and prev.dep_ in {"nummod", "compound"}
        ordinal = bool(_ORDINAL.match(prev.text)) and prev.dep_ in {"amod", "nummod", "compound"}
        if (number or ordinal or leading_name) and start <= prev.head.i < end:
            start -= 1  # "20 Fenchurch Street", "the 11th Mississippi Infantry Monument"
        elif (
            prev.lower_ in _NAME_LINKS
            and start >= 2
            and doc[start - 2].pos_ == "PROPN"
            and doc[start - 2].is_title
            and not doc[start - 2].ent_type_
            and start <= doc[start - 2].head.i < end
        ):
            start -= 2  # "Accademia di Architettura di Mendrisio"
        else:
            break
    return start


def _is_kind_adjective(tok: Token) -> bool:
    """A lower-case adjective or participle that can name a kind of thing (``sweet`` potato,
    ``fried`` chicken, ``contributing`` property), not one that grades or places it."""
    return (
        tok.dep_ == "amod"
        and (tok.is_lower or (tok.is_sent_start and tok.is_title))
        and tok.tag_ in {"JJ", "VBN", "VBG"}
        and tok.lower_ not in _DESCRIBING_ADJECTIVES
    )


def _is_kind_noun(tok: Token) -> bool:
    return tok.is_lower and tok.pos_ == "NOUN" and tok.lemma_ in _KIND_NOUNS


def _after_class_noun(doc: Doc, start: int, end: int) -> int:
    """Where a name starts in ``doc[start:end]`` after the lower-case class noun that
    introduces it (``the journal Addiction``, ``the Indonesian dish batagor``): the noun
    classifies the name (kept as its kind), it is not part of it; ``start`` if there is none."""
    for i in range(end - 2, start - 1, -1):
        tok = doc[i]
        if tok.is_lower and tok.pos_ == "NOUN" and tok.lemma_.lower() in CLASS_NOUNS:
            return i + 1
    return start


def _region_end(doc: Doc, end: int) -> int:
    """The end of a place name followed by its region (``Greenville, Wisconsin``), or ``end``:
    the region is a place in apposition, not a country, and no third place follows (in
    ``Cleveland, Cuyahoga County, Ohio`` the full name is the last pair's)."""
    if end + 1 >= len(doc) or doc[end].text != ",":
        return end
    region = doc[end + 1]
    stop = end + 1
    if region.ent_type_ == "GPE" and region.ent_iob_ == "B":
        while stop + 1 < len(doc) and doc[stop + 1].ent_iob_ == "I":
            stop += 1
    elif not (
        # a county the tagger did not type ("Shirley, Derbyshire"): one capitalised word
        region.pos_ == "PROPN"
        and region.is_title
        and not region.ent_type_
        and region.dep_ == "appos"
        and region.head.i == end - 1
        and (stop + 1 == len(doc) or doc[stop + 1].is_punct)
    ):
        return end
    region_span = doc[end + 1 : stop + 1]
    chain = stop + 2 < len(doc) and doc[stop + 1].text == "," and doc[stop + 2].ent_type_
    if chain:
        third = stop + 3
        while third < len(doc) and doc[third].ent_iob_ == "I":
            third += 1
        chain = not is_country(doc[stop + 2 : third].text)  # "Wheeler, Texas, United States"
    if chain or is_country(region_span.text) or not _is_region_of(region_span, doc[end - 1]):
        return end
    return stop + 1


def _is_region_of(region: Span, city: Token) -> bool:
    """``Wisconsin`` in ``Greenville, Wisconsin``: in apposition to the city, nothing after it."""
    root = region.root
    after = region.end < len(region.doc) and region.doc[region.end].pos_ in {"AUX", "VERB"}
    if root.dep_ in _SUBJECT_DEPS and after and root.head.i == city.head.i:
        return True  # "Attica, Indiana is in ...": the parser made both subjects of the verb
    if root.dep_ not in {"appos", "npadvmod", "conj"}:
        return False
    # right after the city and its comma, the parser sometimes hangs the region on the
    # city's own head ("the area of Albuquerque, New Mexico")
    return root.head.i == city.i or (root.dep_ == "appos" and root.head.i == city.head.head.i)


def _name_head_end(doc: Doc, start: int, end: int) -> int:
    """The end of a name widened to the lower-case noun that ends it (``Aarhus airport``,
    ``Abilene regional airport``): the name modifies that noun, and only modifiers lie between."""
    head = doc[end - 1].head
    if head.i < end or head.i > end + 2 or head.pos_ != "NOUN" or head.tag_ != "NN":
        return end
    if head.lower_ not in _NAME_HEAD_NOUNS or head.ent_type_ not in {"", doc[start].ent_type_}:
        return end
    if doc[end - 1].dep_ not in {"compound", "nmod", "amod"}:
        return end
    between = doc[end : head.i]
    if all(t.head.i == head.i and t.dep_ in {"amod", "compound"} for t in between):
        return head.i + 1
    return end


def _up_chain(tok: Token) -> list[Token]:
    """``tok`` and its ancestors, as far as a path of ``_MAX_PATH`` edges can reach."""
    chain = [tok]
    while len(chain) <= _MAX_PATH and chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    return chain


def _dependency_path(up_a: list[Token], up_b: list[Token]) -> list[Token] | None:
    """Tokens from one end to the other through their lowest common ancestor (both ends
    included), when the path has at most ``_MAX_PATH`` edges; else None."""
    index_b = {t.i: n for n, t in enumerate(up_b)}
    for n, tok in enumerate(up_a):
        m = index_b.get(tok.i)
        if m is not None:
            return up_a[: n + 1] + up_b[:m][::-1] if n + m <= _MAX_PATH else None
    return None


def _named_apposition(tok: Token, token_ent: dict[int, Span]) -> Token | None:
    """``Her colleague Tomas Berg flew``, ``led by the politician Christopher Taylor``: a
    subject or object noun followed by the name it describes."""
    if tok.pos_ != "NOUN" or tok.dep_ not in _SUBJECT_DEPS | {"pobj", "dobj"}:
        return None
    for child in tok.rights:
        named = child.pos_ == "PROPN" or child.i in token_ent
        if child.dep_ == "appos" and named and child.left_edge.i == tok.i + 1:
            return child
        break
    return None


def _relative_antecedent(clause: Token, subjects: list[Token]) -> Token:
    """What a relative clause describes: the noun the parser hung it on, or the name right
    before its relative pronoun when that name completes the noun (``an ingredient of Bakso
    which is a dish``: Bakso is the dish, not the ingredient)."""
    noun = clause.head
    relative = next((s for s in subjects if s.lower_ in _RELATIVE), None)
    if relative is None or noun.pos_ != "NOUN":
        return noun
    named = _named_before(noun, relative)
    if named is not None and named.dep_ == "pobj" and named.head.head.i == noun.i:
        return named
    return noun


def _named_before(head: Token, relative: Token) -> Token | None:
    """``Malaysia, whose capital``: the parser may hang the clause on an earlier noun; the name
    right before the comma is the one it describes."""
    i = relative.i - 1
    while i >= 0 and head.doc[i].is_punct:
        i -= 1
    tok = head.doc[i] if i >= 0 else None
    if tok is not None and tok.i != head.i and (tok.ent_type_ or tok.pos_ == "PROPN"):
        return tok
    return None


def _is_definite_class(tok: Token, name_heads: set[str]) -> bool:
    """``the airport`` / ``this university``: a class noun (or the last word of a name in the
    text, ``the hospital`` after ``Springfield Hospital``) with a definite determiner only."""
    if tok.pos_ != "NOUN" or tok.tag_ != "NN":
        return False
    lemma = tok.lemma_.lower()
    if lemma not in CLASS_NOUNS and lemma not in name_heads:
        return False
    dets = [c.lower_ for c in tok.children if c.dep_ == "det"]
    others = [c for c in tok.children if c.dep_ in {"compound", "amod", "poss", "prep", "nummod"}]
    return dets in (["the"], ["this"], ["that"]) and not others


def _is_definite_name(ent: Span, name_heads: set[str]) -> bool:
    """``The Institute``, ``The University``: a capitalised class noun after "the" that the
    tagger took for a name of one word; like ``the institute`` it refers back to a name."""
    noun = ent[-1]
    if len(ent) > 2 or (len(ent) == 2 and ent[0].lower_ not in {"the", "this"}):
        return False
    if ent.label_ not in _NAMED or not noun.is_title or noun.tag_ not in {"NN", "NNP"}:
        return False
    lemma = noun.lower_
    if lemma not in CLASS_NOUNS and lemma not in name_heads:
        return False
    before = ent.doc[ent.start - 1] if len(ent) == 1 and ent.start > 0 else ent[0]
    return before.lower_ in {"the", "this"} and not noun.is_sent_start


def _predicated_class(tok: Token) -> str:
    """The class noun a copula, an apposition or a noun before it says of a name: ``Lyon is a
    large city``, ``Lyon, a city in France,``, ``the city Lyon`` -> ``city``; else ""."""
    nouns = [c for c in tok.children if c.dep_ in {"appos", "compound"} and c.pos_ == "NOUN"]
    if tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.lemma_ == "be":
        nouns += [c for c in tok.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"]
    if tok.dep_ == "appos" and tok.head.pos_ == "NOUN" and tok.head.i < tok.i:
        nouns.append(tok.head)  # "the comic character Blockbuster", "the journal Cortex"
    lemmas = [n.lemma_.lower() for n in nouns]
    return next((lemma for lemma in lemmas if lemma in CLASS_NOUNS), "")


def _where_place(verb: Token) -> Token | None:
    """The place a "where" clause describes ("Italy, where the capital is Rome"), also for a
    clause joined to it ("..., where X is spoken and the leader is Z") and for a "where"
    clause the parser hung on the verb (then: the last place named before "where")."""
    for _ in range(3):
        where = [c for c in verb.children if c.lower_ == "where"]
        if (
            where
            and verb.dep_ == "relcl"
            and (
                verb.head.pos_ != "NOUN"
                or "PLACE" in DESCRIPTION_TYPES.get(verb.head.lemma_.lower(), ())
            )
        ):
            return verb.head  # a name, or "the city where ..." (not "a dish from X where")
        if where and verb.dep_ in {"advcl", "relcl"}:  # on "the currency ...": misattached
            before = [t for t in verb.doc[verb.sent.start : where[0].i] if t.ent_type_ in _PLACES]
            return before[-1] if before else None
        if verb.dep_ != "conj" or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _place_before_where(tok: Token) -> Token | None:
    """The last place named right before a "where" earlier in ``tok``'s sentence, when the
    parser joined the clause of ``tok`` to another verb ("X is found in Mexico where Spanish
    is spoken and the leader is Y": the leader is Mexico's)."""
    sent = tok.sent
    where = [t for t in tok.doc[sent.start : tok.i] if t.lower_ == "where"]
    if not where:
        return None
    before = [t for t in tok.doc[sent.start : where[-1].i] if t.ent_type_ in _PLACES]
    if not before or before[-1].i != where[-1].i - 1 - (tok.doc[where[-1].i - 1].is_punct):
        return None  # the place must come right before "where" (a comma between at most)
    return before[-1]


def _classified_name(tok: Token, token_ent: dict[int, Span]) -> Token | None:
    """``the city of Athens`` / ``the Karnataka region`` / ``the academic discipline of
    Physics`` / ``the division of flowering plants`` -> the token of the name (or kind)."""
    if tok.pos_ != "NOUN":
        return None
    lemma = tok.lemma_.lower()
    if lemma in _NAMING_NOUNS:
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objects = _prep_objects(child)
                if objects and objects[0].pos_ in {"PROPN", "NOUN"}:
                    return objects[0]
        return None
    if lemma not in CLASS_NOUNS:
        return None
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = _prep_objects(child)
            if objects and (objects[0].pos_ == "PROPN" or objects[0].i in token_ent):
                return objects[0]
        if child.dep_ in {"compound", "appos", "nmod"} and (
            child.pos_ == "PROPN" or child.i in token_ent
        ):
            return child
    return None


def _name_span(span: Span) -> Span:
    """A proper name widened over linking words between capitalised parts and a capitalised
    leading article: ``Accademia di Architettura di Mendrisio``, ``A Wizard of Mars``,
    ``University of Texas at Austin``."""
    doc = span.doc
    start, end = span.start, span.end
    if doc[end - 1].lower_ in {"identifier", "length", "elevation"}:
        return span  # "the ICAO Location Identifier of X": an attribute of X, not a name
    while end + 1 < len(doc) and doc[end].lower_ in _NAME_LINKS and doc[end].dep_ == "prep":
        nxt = end + 1
        if doc[nxt].lower_ == "the" and nxt + 1 < len(doc):
            nxt += 1
        if not (doc[nxt].pos_ == "PROPN" and doc[nxt].is_title):
            break
        stop = _proper_run_end(doc, nxt + 1) - 1
        if doc[stop].head.i != end and doc[stop].head.head.i != end:
            break
        end = stop + 1
    if (
        end + 1 < len(doc)
        and doc[end].lower_ in {"and", "&"}
        and doc[end + 1].text in _FIRM_ENDINGS
        and doc[end + 1].dep_ == "conj"
    ):
        end += 2  # "Freeman Fox and Partners"
    if start > 0 and doc[start - 1].text in {"A", "An"} and doc[start].is_title:
        start -= 1
    return span if (start, end) == (span.start, span.end) else doc[start:end]


def _place_chain(tokens: Iterable[Token], token_ent: dict[int, Span]) -> Iterable[Token]:
    """Each place with the places in apposition to it ("in Bangalore, Karnataka, India") or
    that contain it ("the Jalisco region of Mexico", "Andalusia, in Spain")."""
    for tok in tokens:
        yield tok
        ent = token_ent.get(tok.i)
        place = ent is not None and ent.label_ in _PLACES
        if not place and _classified_name(tok, token_ent) is None:
            continue
        node = tok
        for step in range(4):
            # "the city of Mendrisio in Switzerland": the class noun holds the next place
            holders = [node, node.head.head] if step == 1 and not place else [node]
            nxt = [
                c
                for h in holders
                for c in h.children
                if c.dep_ in {"appos", "npadvmod"} and c.i > node.i
            ]
            nxt += [
                o
                for h in holders
                for c in h.children
                if c.dep_ == "prep" and c.lower_ in {"in", "of"} and c.i > node.i
                for o in _prep_objects(c)
            ]
            nxt = [c for c in nxt if (e := token_ent.get(c.i)) is not None and e.label_ in _PLACES]
            if not nxt:
                break
            node = nxt[0]
            yield node


def _with_conjuncts(tok: Token) -> Iterable[Token]:
    """``tok`` and what it is listed with: its conjuncts, and the appositions of a list the
    parser hung on its first item ("Sour cream, chopped fruits, condensed milk and raisins":
    appositions with conjuncts, not a description such as "Tim Cook, the CEO")."""
    yield tok
    yield from tok.conjuncts
    appositions = [c for c in tok.children if c.dep_ == "appos" and c.pos_ == tok.pos_]
    if appositions and any(a.conjuncts for a in appositions):
        for appos in appositions:
            yield appos
            yield from (c for c in appos.conjuncts if c.i > appos.i)


def _prep_objects(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ == "pobj"]


def _called(noun: Token) -> Token | None:
    """``a leader called Z`` / ``a ground named Z``: the name given to ``noun``, or None."""
    for acl in noun.children:
        if acl.dep_ == "acl" and acl.lemma_ in {"call", "name"}:
            names = [c for c in acl.children if c.dep_ == "oprd"]
            if names:
                return names[0]
    return None


def _named_role(noun: Token) -> Token:
    """``the name of the ground (of Y)``: the noun whose name is given, else ``noun``."""
    if noun.lemma_ not in {"name", "title"}:
        return noun
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            inner = [o for o in _prep_objects(prep) if o.pos_ == "NOUN"]
            if inner and any(c.dep_ in {"prep", "poss"} for c in inner[0].children):
                return inner[0]
    return noun


def _is_described_thing(tok: Token) -> bool:
    """``Binignit is a dish``: a subject, proper or not, that the sentence says is of a class
    of things with names; what follows may be about it."""
    return (
        tok.pos_ in {"NOUN", "PROPN"}
        and tok.dep_ == "nsubj"
        and not any(c.dep_ == "det" for c in tok.children)
        and _predicated_class(tok) != ""
    )


def _is_topic(tok: Token) -> bool:
    """The clause is about ``tok``: its subject, or the owner of its subject (``Turkey's
    leader is ...``), which later pronouns refer back to first; not one of a list of
    subjects ("Sour cream, granola and raisins are in Bionico. It is a dessert")."""
    if any(c.dep_ == "conj" for c in tok.children) or (
        tok.tag_ == "NN" and tok.head.tag_ == "VBP" and any(c.dep_ == "appos" for c in tok.children)
    ):  # a list, which the parser may also build of appositions to a singular noun
        return False
    return tok.dep_ in _SUBJECT_DEPS or (tok.dep_ == "poss" and tok.head.dep_ in _SUBJECT_DEPS)


def _is_group_predicate(tok: Token) -> bool:
    """``an American``, ``a Texan``: a nationality or group said of the subject with "a"."""
    return tok.ent_type_ == "NORP" and any(
        c.dep_ == "det" and c.lower_ in {"a", "an"} for c in tok.children
    )


def _copula_holder(noun: Token, *, named: bool = False) -> Token:
    """``Batagor is a dish found in Indonesia`` / ``X is a food which originates from Y``: the
    subject that a common noun after "is" describes, which the clause on that noun is about
    (``noun`` itself when it is not such a predicate, or a name unless ``named``)."""
    if (
        (named or noun.pos_ == "NOUN" or _is_group_predicate(noun))
        and noun.dep_ == "attr"
        and noun.head.lemma_ == "be"
    ):
        holders = [c for c in noun.head.children if c.dep_ in _SUBJ]
        if holders:
            return holders[0]
    return noun


def _described_noun(place: Token) -> Token:
    """``a dish from the Philippines``: the noun a place is the origin or location of (the
    noun the place's preposition hangs on), else the place itself."""
    prep = place.head
    if place.dep_ == "pobj" and prep.dep_ == "prep" and prep.head.pos_ in {"NOUN", "PROPN"}:
        return prep.head
    return place


def _subjects(verb: Token) -> tuple[list[Token], list[Token]]:
    """Active and passive subjects, following relative clauses and joined verbs."""
    if verb.dep_ == "acl" and (
        verb.tag_ == "VBN"
        or (verb.tag_ == "VBD" and not any(c.dep_ in _SUBJECT_DEPS for c in verb.children))
    ):  # a reduced relative the tagger read as a past tense ("a dish ... made from banana")
        noun = verb.head  # "the airport, located in Greenville"
        if (
            verb.i > 0
            and verb.doc[verb.i - 1].text == ","
            and noun.dep_ == "dobj"
            and noun.head.dep_ == "relcl"
        ):  # "AFC Ajax, which has 53502 members, played in 2014": the name played
            return [noun.head.head], []
        if noun.ent_type_ in _PLACES and verb.lemma_ in _MATERIAL_VERBS:
            noun = _described_noun(noun)  # "a dish from the Philippines made from banana"
        return [], [_copula_holder(noun, named=True)]
    node: Token | None = verb
    for _ in range(4):
        if node is None:
            break
        active = [c for c in node.children if c.dep_ in _SUBJ]
        passive = [c for c in node.children if c.dep_ == "nsubjpass"]
        if active or passive:
            if node.dep_ == "relcl" and node is not None:
                head = _copula_holder(_relative_antecedent(node, active + passive))
                active = [head if s.lower_ in _RELATIVE else s for s in active]
                passive = [head if s.lower_ in _RELATIVE else s for s in passive]
            if node is not verb:
                # an inherited subject keeps the voice of the verb that inherits it
                subjects = active + passive
                is_passive = any(c.dep_ == "auxpass" for c in verb.children)
                return ([], subjects) if is_passive else (subjects, [])
            return active, passive
        node = (
            node.head if node.dep_ in {"conj", "xcomp", "advcl"} and node.head is not node else None
        )
    return [], []
