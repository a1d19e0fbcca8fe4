"""What every extractor produces, and the interface it implements.

An extractor reads spaCy ``Doc`` objects (already split into sentences and tokens) and returns,
per document, the entity mentions and the relations between them. Character offsets are
relative to the ``Doc``'s text; the builder shifts them to document offsets and canonicalises
the mentions into entities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Mention:
    """A span of text naming an entity.

    ``label`` is the entity type as the extractor names it (spaCy's PERSON/ORG/GPE..., or a
    trained model's labels such as Peop/Org/Loc); ``sentence`` is the index of the sentence in
    the ``Doc``; ``start``/``end`` are character offsets (end exclusive).
    """

    text: str
    start: int
    end: int
    label: str
    sentence: int
    confidence: float = 1.0
    is_pronoun: bool = False
    is_subject: bool = False  # the grammatical subject of its clause (salience for pronouns)
    # A literal value ("34", "1942-03-05"): stored as an RDF literal, never as an entity.
    value: str | None = None  # lexical form (see kg_reasoner.extraction.values)
    datatype: str = ""  # XSD local name: integer, decimal, date, gYearMonth, gYear, string
    unit: str = ""  # the unit stated with the value ("metre", "USD"), or ""
    # A common-noun argument ("the hallway", "wolves"): a concept node merged by its lemma.
    lemma: str = ""
    # The canonical name a trained extractor linked the mention to ("Danish language" for
    # "Danish"): the entity's label and merge key instead of the surface text.
    name: str = ""
    # A class noun the text says of it ("Lyon is a large city" -> "city"): a definite
    # description ("the city") may then refer to it whatever type the tagger gave it.
    kind: str = ""

    @property
    def is_value(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class RelationMention:
    """A directed relation ``head -label-> tail`` between two mentions (indices into the list)."""

    head: int
    tail: int
    label: str
    confidence: float
    sentence: int


@dataclass
class Extraction:
    """Everything an extractor found in one ``Doc``."""

    mentions: list[Mention] = field(default_factory=list)
    relations: list[RelationMention] = field(default_factory=list)


@runtime_checkable
class Extractor(Protocol):
    """Turns parsed documents into mentions and relations.

    ``name`` is recorded as the provenance of every triple (e.g. ``rules-v2``).
    """

    name: str

    def extract(self, docs: list[Doc]) -> list[Extraction]:
        """One :class:`Extraction` per input ``Doc``, in order."""
        ...
