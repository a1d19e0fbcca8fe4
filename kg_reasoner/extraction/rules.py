"""Relations from dependency patterns: an extractor that needs no training.

Patterns (each gives a relation label normalised from lemmas, and a confidence):

- subject-verb-object: ``Curie discovered polonium`` -> ``discover``
- verb + preposition object: ``Curie works for Sorbonne`` -> ``work_for``
- passive with a preposition: ``Curie was born in Warsaw`` -> ``born_in`` (the participle is kept)
- passive agent, turned active: ``Google was founded by Page`` -> ``Page -found-> Google``
- apposition: ``Cook, the CEO of Apple`` -> ``ceo_of``; ``Curie, a physicist`` -> ``is_a``
- copula: ``Warsaw is the capital of Poland`` -> ``capital_of``
- possessive: ``Google's founder Larry Page`` -> ``Larry Page -founder_of-> Google``

Subjects and objects are expanded over conjunctions; relative clauses (``Curie, who was born
in Warsaw``) take the noun they modify as subject; a verb joined to another (``was born in A and
moved to B``) inherits its subject. Negated verbs give no relation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from kg_reasoner.extraction.base import Extraction, Mention, RelationMention

PRONOUNS = {
    "he": "PERSON", "him": "PERSON", "his": "PERSON", "she": "PERSON", "her": "PERSON",
    "it": "THING", "its": "THING", "they": "GROUP", "them": "GROUP", "their": "GROUP",
}  # fmt: skip
_NAMED = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT"}
_RELATIVE = {"who", "which", "that", "whom", "whose"}
_SUBJ = {"nsubj", "csubj"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
_LABEL_CLEAN = re.compile(r"[^a-z0-9]+")
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
}
_CONCEPT_FACTOR = 0.8
# "born in 1867" is a date, not a place: such objects get ``<verb>_date`` (born_date).
_DATE_LABELS = {"DATE", "TIME"}


def relation_label(*parts: str) -> str:
    """``("work", "for")`` -> ``work_for``; lower case, only letters, digits and underscores."""
    words = [_LABEL_CLEAN.sub("_", p.lower()).strip("_") for p in parts if p]
    return "_".join(w for w in words if w)


class RuleExtractor:
    """Entities from spaCy's NER, relations from dependency patterns (see module docstring)."""

    name = "rules-v1"

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
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                self.token_ent[i] = ent
        self.mentions: list[Mention] = []
        self.index: dict[tuple[int, int], int] = {}
        self.relations: list[RelationMention] = []
        self.seen: set[tuple[int, int, str]] = set()
        self.name_words = {
            t.text for ent in doc.ents if ent.label_ in _NAMED for t in ent if t.is_title
        }

    def result(self) -> Extraction:
        return Extraction(self.mentions, self.relations)

    # -- mentions -------------------------------------------------------------------------
    def sentence(self, sent: Span, sent_index: int) -> None:
        for ent in sent.ents:
            self._mention(ent, ent.label_, sent_index)
        for tok in sent:
            if tok.pos_ in {"VERB", "AUX"}:
                self._verb(tok, sent_index)
            if tok.dep_ == "appos":
                self._apposition(tok, sent_index)
            if tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ in {"compound", "nmod"}:
                self._possessive_title(tok, sent_index)

    def _mention(self, span: Span, label: str, sent_index: int, *, pronoun: bool = False) -> int:
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
                is_subject=span.root.dep_ in _SUBJECT_DEPS,
            )
        )
        return self.index[key]

    def _argument(self, tok: Token, sent_index: int, *, concept: bool) -> tuple[int, float] | None:
        """The mention a token stands for (entity, proper noun, pronoun or concept noun)."""
        ent = self.token_ent.get(tok.i)
        if ent is not None:
            if ent.label_ in {"CARDINAL", "ORDINAL", "PERCENT", "QUANTITY"}:
                return None
            return self._mention(ent, ent.label_, sent_index), 1.0
        lower = tok.lower_
        if tok.pos_ == "PRON" and lower in PRONOUNS:
            span = self.doc[tok.i : tok.i + 1]
            return self._mention(span, f"PRON:{lower}", sent_index, pronoun=True), 1.0
        if tok.pos_ == "PROPN":
            return self._mention(self._compound_span(tok), "MISC", sent_index), 0.9
        if tok.is_title and tok.text in self.name_words:
            # a surname the tagger missed ("Turing worked..." tagged VERB): a known name part
            return self._mention(self.doc[tok.i : tok.i + 1], "MISC", sent_index), 0.9
        if concept and tok.pos_ == "NOUN":
            return self._mention(self._compound_span(tok), "CONCEPT", sent_index), _CONCEPT_FACTOR
        return None

    def _compound_span(self, tok: Token) -> Span:
        start = tok.i
        for child in reversed(list(tok.lefts)):
            if (
                child.dep_ in {"compound", "amod"}
                and child.i == start - 1
                and child.pos_
                in {
                    "PROPN",
                    "NOUN",
                    "ADJ",
                }
            ):
                start = child.i
        return self.doc[start : tok.i + 1]

    def _relate(
        self,
        head_tok: Token,
        tail_tok: Token,
        label: str,
        pattern: str,
        sent_index: int,
        *,
        concept_tail: bool = False,
        date_label: str | None = None,
    ) -> None:
        """Add ``head -label-> tail`` (over conjuncts); a date object takes ``date_label``."""
        if not label:
            return
        for h_tok in _with_conjuncts(head_tok):
            for t_tok in _with_conjuncts(tail_tok):
                head = self._argument(h_tok, sent_index, concept=False)
                tail = self._argument(t_tok, sent_index, concept=concept_tail)
                if head is None or tail is None or head[0] == tail[0]:
                    continue
                final = label
                if date_label and self.mentions[tail[0]].label in _DATE_LABELS:
                    final = date_label
                key = (head[0], tail[0], final)
                if key in self.seen:
                    continue
                self.seen.add(key)
                conf = CONFIDENCE[pattern] * head[1] * tail[1]
                self.relations.append(
                    RelationMention(head[0], tail[0], final, round(conf, 3), sent_index)
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
            return
        for subj in active:
            for child in verb.children:
                if child.dep_ == "dobj":
                    self._relate(subj, child, lemma, "svo", sent_index, concept_tail=True)
                elif child.dep_ in {"prep", "agent"}:
                    date = relation_label(verb.lemma_, particle, "date")
                    for obj in _prep_objects(child):
                        label = relation_label(verb.lemma_, particle, child.lower_)
                        self._relate(subj, obj, label, "prep", sent_index, date_label=date)
        for subj in passive:
            for child in verb.children:
                if child.dep_ == "agent":
                    for obj in _prep_objects(child):
                        self._relate(obj, subj, lemma, "passive_agent", sent_index)
                elif child.dep_ == "prep":
                    date = relation_label(verb.lower_, particle, "date")
                    for obj in _prep_objects(child):
                        label = relation_label(verb.lower_, particle, child.lower_)
                        self._relate(subj, obj, label, "passive_prep", sent_index, date_label=date)

    def _copula(self, verb: Token, subj: Token, sent_index: int) -> None:
        for child in verb.children:
            if child.dep_ == "attr" and child.pos_ == "NOUN":
                self._role_noun(subj, child, "copula", sent_index)
            elif child.dep_ == "acomp":
                for prep in (c for c in child.children if c.dep_ == "prep"):
                    for obj in _prep_objects(prep):
                        label = relation_label(child.lemma_, prep.lower_)
                        self._relate(subj, obj, label, "copula", sent_index)

    def _role_noun(self, holder: Token, role: Token, pattern: str, sent_index: int) -> None:
        """``holder`` is the ``role`` (of Y / Y's): ``role_of`` to Y, else ``is_a`` role."""
        targets = [c for c in role.children if c.dep_ == "poss"]
        for prep in (c for c in role.children if c.dep_ == "prep" and c.lower_ == "of"):
            targets.extend(_prep_objects(prep))
        label = relation_label(role.lemma_, "of")
        if targets:
            for target in targets:
                self._relate(holder, target, label, pattern, sent_index)
        else:
            self._relate(holder, role, "is_a", "is_a", sent_index, concept_tail=True)

    # -- noun patterns -----------------------------------------------------------------------
    def _apposition(self, appos: Token, sent_index: int) -> None:
        head = appos.head
        if appos.pos_ == "NOUN" and self._is_named(head):
            self._role_noun(head, appos, "appos", sent_index)
        elif head.pos_ == "NOUN" and self._is_named(appos):
            self._role_noun(appos, head, "appos", sent_index)

    def _possessive_title(self, role: Token, sent_index: int) -> None:
        """``Google's founder Larry Page``: a role noun with a possessor, modifying a name."""
        if role.pos_ != "NOUN" or not self._is_named(role.head):
            return
        if any(c.dep_ == "poss" for c in role.children):
            self._role_noun(role.head, role, "possessive", sent_index)

    def _is_named(self, tok: Token) -> bool:
        return tok.i in self.token_ent or tok.pos_ == "PROPN"


def _with_conjuncts(tok: Token) -> Iterable[Token]:
    yield tok
    yield from tok.conjuncts


def _prep_objects(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ == "pobj"]


def _subjects(verb: Token) -> tuple[list[Token], list[Token]]:
    """Active and passive subjects, following relative clauses and joined verbs."""
    node: Token | None = verb
    for _ in range(4):
        if node is None:
            break
        active = [c for c in node.children if c.dep_ in _SUBJ]
        passive = [c for c in node.children if c.dep_ == "nsubjpass"]
        if active or passive:
            if node.dep_ == "relcl" and node is not None:
                active = [node.head if s.lower_ in _RELATIVE else s for s in active]
                passive = [node.head if s.lower_ in _RELATIVE else s for s in passive]
            if node is not verb:
                # an inherited subject keeps the voice of the verb that inherits it
                subjects = active + passive
                is_passive = any(c.dep_ == "auxpass" for c in verb.children)
                return ([], subjects) if is_passive else (subjects, [])
            return active, passive
        node = node.head if node.dep_ in {"conj", "xcomp"} and node.head is not node else None
    return [], []
