"""One processed document -> the RDF triples of its named graph (entities, mentions, sentences,
asserted relations and their provenance statements). See :mod:`kg_reasoner.graph.vocabulary`."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg_reasoner.extraction.base import Mention
from kg_reasoner.extraction.canonical import CanonicalDocument, canonical_key, canonicalize
from kg_reasoner.extraction.pipeline import ProcessedDocument
from kg_reasoner.graph.entity_index import EntityIndex
from kg_reasoner.graph.stores.base import TripleTerms
from kg_reasoner.graph.vocabulary import (
    KGR,
    SENT,
    STMT,
    TYPE_CLASSES,
    document_iri,
    relation_iri,
)

# Terms looked up once: rdflib resolves namespace attributes on every access.
TYPE = RDF.type
DOCUMENT = KGR.Document
DOCUMENT_ID = KGR.documentId
CONTENT_HASH = KGR.contentHash
FINGERPRINT = KGR.fingerprint
SOURCE = KGR.source
EXTRACTOR = KGR.extractor
SENTENCE_COUNT = KGR.sentenceCount
PROCESSED_AT = KGR.processedAt
METADATA = KGR.metadata
ENTITY = KGR.Entity
LABEL = RDFS.label
ENTITY_TYPE = KGR.entityType
ALIAS = KGR.alias
ALIAS_KEY = KGR.aliasKey
STATEMENT = KGR.Statement
SUBJECT = RDF.subject
PREDICATE = RDF.predicate
OBJECT = RDF.object
IN_DOCUMENT = KGR.document
SENTENCE = KGR.sentence
START = KGR.start
END = KGR.end
CONFIDENCE = KGR.confidence
SOURCE_LABEL = KGR.sourceLabel
SENTENCE_CLASS = KGR.Sentence
TEXT = KGR.text
MENTIONED_IN = KGR.mentionedIn
POSITION = KGR.position
UNIT = KGR.unit
STATED_DATE = KGR.statedDate
CONCEPT_FLAG = KGR.isConcept


def _short_hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def document_triples(
    processed: ProcessedDocument,
    index: EntityIndex,
    *,
    extractor: str,
    fingerprint: str,
    min_confidence: float = 0.0,
) -> tuple[URIRef, list[TripleTerms], int]:
    """Build the graph of one document; returns ``(graph IRI, triples, relation count)``.

    The index is updated with the document's entities, so later documents can join them.
    """
    doc = processed.document
    text = doc.text
    graph = URIRef(document_iri(doc.id))
    dh = _short_hash(doc.id)
    out: list[TripleTerms] = [
        (graph, TYPE, DOCUMENT),
        (graph, DOCUMENT_ID, Literal(doc.id)),
        (graph, CONTENT_HASH, Literal(doc.content_hash)),
        (graph, FINGERPRINT, Literal(fingerprint)),
        (graph, SOURCE, Literal(doc.source)),
        (graph, EXTRACTOR, Literal(extractor)),
        (graph, SENTENCE_COUNT, Literal(len(processed.sentences))),
        (
            graph,
            PROCESSED_AT,
            Literal(datetime.now(timezone.utc).isoformat(), datatype=XSD.dateTime),
        ),
    ]
    if doc.metadata:
        out.append((graph, METADATA, Literal(json.dumps(doc.metadata, sort_keys=True))))

    paragraph_of = [processed.sentence_paragraph[m.sentence] for m in processed.mentions]
    canon: CanonicalDocument = canonicalize(processed.mentions, paragraph_of)
    iris = [URIRef(index.resolve(c)) for c in canon.clusters]

    used_sentences: set[int] = set()

    def sentence_node(i: int) -> URIRef:
        used_sentences.add(i)
        return SENT[f"{dh}/{i}"]

    for cluster, iri in zip(canon.clusters, iris, strict=True):
        out += [
            (iri, TYPE, ENTITY),
            (iri, TYPE, TYPE_CLASSES.get(cluster.ctype, KGR.Thing)),
            (iri, LABEL, Literal(cluster.label)),
            (iri, ENTITY_TYPE, Literal(cluster.ctype)),
        ]
        for alias in sorted(cluster.aliases):
            out.append((iri, ALIAS, Literal(alias)))
        for key in sorted(cluster.alias_keys | {canonical_key(cluster.label, cluster.ctype)}):
            out.append((iri, ALIAS_KEY, Literal(key)))
            index.add(str(iri), key, cluster.ctype)
        for sentence in sorted({processed.mentions[i].sentence for i in cluster.mentions}):
            out.append((iri, MENTIONED_IN, sentence_node(sentence)))
        if cluster.ctype == "CONCEPT":
            out.append((iri, CONCEPT_FLAG, Literal(True)))

    sentence_dates = _sentence_dates(processed)
    stands_for = _role_nouns(processed, canon)

    stated: set[tuple[str, str, str]] = set()
    relations = 0
    for r in processed.relations:
        hm, tm = processed.mentions[r.head], processed.mentions[r.tail]
        roles = stands_for if r.label != "is_a" else {}
        head = roles.get(r.head, canon.mention_cluster.get(r.head))
        tail = None if tm.is_value else roles.get(r.tail, canon.mention_cluster.get(r.tail))
        if head is None or (tail is None and not tm.is_value):
            continue  # an unresolved pronoun (or a value as subject)
        if tail is not None and iris[head] == iris[tail]:
            continue  # a relation of an entity with itself
        confidence = r.confidence
        if r.head in canon.resolved_pronouns or r.tail in canon.resolved_pronouns:
            confidence *= 0.8
        if confidence < min_confidence:
            continue
        s, p = iris[head], URIRef(relation_iri(r.label))
        o = value_literal(tm) if tail is None else iris[tail]
        stmt = STMT[_short_hash(doc.id, r.sentence, s, p, o)]
        if (str(s), str(p), str(o)) not in stated:
            stated.add((str(s), str(p), str(o)))
            out.append((s, p, o))
            relations += 1
        out += [
            (stmt, TYPE, STATEMENT),
            (stmt, SUBJECT, s),
            (stmt, PREDICATE, p),
            (stmt, OBJECT, o),
            (stmt, IN_DOCUMENT, graph),
            (stmt, SENTENCE, sentence_node(r.sentence)),
            (stmt, START, Literal(min(hm.start, tm.start))),
            (stmt, END, Literal(max(hm.end, tm.end))),
            (stmt, EXTRACTOR, Literal(extractor)),
            (stmt, CONFIDENCE, Literal(round(confidence, 4), datatype=XSD.double)),
            (stmt, SOURCE_LABEL, Literal(r.label)),
            (stmt, POSITION, Literal(r.sentence)),
        ]
        if tm.is_value and tm.unit:
            out.append((stmt, UNIT, Literal(tm.unit)))
        when = sentence_dates.get(r.sentence)
        if when is not None and when != o:
            out.append((stmt, STATED_DATE, when))

    for i in sorted(used_sentences):
        start, end = processed.sentences[i]
        node = SENT[f"{dh}/{i}"]
        out += [
            (node, TYPE, SENTENCE_CLASS),
            (node, IN_DOCUMENT, graph),
            (node, TEXT, Literal(text[start:end])),
            (node, START, Literal(start)),
            (node, END, Literal(end)),
            (node, POSITION, Literal(i)),
        ]
    return graph, out, relations


def value_literal(mention: Mention) -> Literal:
    """The RDF literal of a value mention, typed with its XSD datatype."""
    datatype = XSD[mention.datatype] if mention.datatype else XSD.string
    return Literal(mention.value, datatype=datatype)


def _role_nouns(processed: ProcessedDocument, canon: CanonicalDocument) -> dict[int, int]:
    """Concept mentions that describe a named entity in their own sentence (``the climber Nima
    Sherpa reached...``, ``Leeds is a city in Yorkshire``): mention index -> the entity's
    cluster, so what that sentence says of the role noun is said of the entity."""
    out: dict[int, int] = {}
    for r in processed.relations:
        if r.label != "is_a":
            continue
        head, tail = processed.mentions[r.head], processed.mentions[r.tail]
        cluster = canon.mention_cluster.get(r.head)
        if tail.label == "CONCEPT" and head.label != "CONCEPT" and cluster is not None:
            out.setdefault(r.tail, cluster)
    return out


def _sentence_dates(processed: ProcessedDocument) -> dict[int, Literal]:
    """The first date each sentence states (a year, month or day), as a typed literal."""
    dates: dict[int, Literal] = {}
    for m in processed.mentions:
        if m.is_value and m.datatype in {"date", "gYearMonth", "gYear"}:
            dates.setdefault(m.sentence, value_literal(m))
    return dates
