"""Plain records returned by the KnowledgeGraph API."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class EntityRecord:
    """An entity: IRI, preferred label, coarse type and every surface form seen."""

    id: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Triple:
    """An asserted relation between two entity IRIs; ``predicate`` is the relation label."""

    subject: str
    predicate: str
    object: str
    datatype: str = ""  # set when the object is a literal value (its XSD datatype IRI)


@dataclass(frozen=True)
class Provenance:
    """Where a triple was stated: document, sentence, evidence offsets, extractor, confidence."""

    document: str
    sentence: str
    start: int
    end: int
    extractor: str
    confidence: float
    sentence_start: int = 0
    sentence_end: int = 0


@dataclass(frozen=True)
class StatementRecord:
    """One statement of a triple: its document, the sentence's position in that document, the
    date the sentence states (lexical form, or "") and the unit stated with a value object."""

    triple: Triple
    document: str
    position: int
    stated_date: str = ""
    unit: str = ""


@dataclass
class DocumentState:
    """What the store knows about a built document (to decide new / changed / unchanged)."""

    id: str
    content_hash: str
    fingerprint: str
    source: str = ""
    triples: int = 0
    extra: dict[str, str] = field(default_factory=dict)
