"""One processed document -> the RDF triples of its named graph (entities, mentions, sentences,
asserted relations and their provenance statements). See :mod:`kg_reasoner.graph.vocabulary`.

An entity's name in the document is ``kgr:documentLabel``; its one ``rdfs:label`` is kept in a
shared graph by :mod:`kg_reasoner.graph.labels` after the document is written.

Terms are made as N-Triples text (:mod:`kg_reasoner.graph.stores.terms`), the form the store
writes, so that a build makes no rdflib objects for the millions of terms it writes.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from rdflib.namespace import RDF, XSD

from kg_reasoner.building.entity_index import EntityIndex
from kg_reasoner.extraction.base import Mention
from kg_reasoner.extraction.canonical import CanonicalDocument, canonical_key, canonicalize
from kg_reasoner.extraction.pipeline import ProcessedDocument
from kg_reasoner.extraction.values import DATE_TYPES
from kg_reasoner.graph.stores.terms import (
    INTEGER_NT,
    NTriple,
    iri_nt,
    literal_nt,
    string_nt,
    string_value,
)
from kg_reasoner.graph.vocabulary import (
    KGR,
    SENT,
    STMT,
    TYPE_CLASSES,
    document_iri,
    relation_iri,
)

# The N-Triples text of every fixed term, made once.
TYPE = iri_nt(RDF.type)
DOCUMENT = iri_nt(KGR.Document)
DOCUMENT_ID = iri_nt(KGR.documentId)
CONTENT_HASH = iri_nt(KGR.contentHash)
FINGERPRINT = iri_nt(KGR.fingerprint)
SOURCE = iri_nt(KGR.source)
EXTRACTOR = iri_nt(KGR.extractor)
SENTENCE_COUNT = iri_nt(KGR.sentenceCount)
PROCESSED_AT = iri_nt(KGR.processedAt)
METADATA = iri_nt(KGR.metadata)
ENTITY = iri_nt(KGR.Entity)
DOCUMENT_LABEL = iri_nt(KGR.documentLabel)
ENTITY_TYPE = iri_nt(KGR.entityType)
ALIAS = iri_nt(KGR.alias)
ALIAS_KEY = iri_nt(KGR.aliasKey)
STATEMENT = iri_nt(KGR.Statement)
SUBJECT = iri_nt(RDF.subject)
PREDICATE = iri_nt(RDF.predicate)
OBJECT = iri_nt(RDF.object)
IN_DOCUMENT = iri_nt(KGR.document)
SENTENCE = iri_nt(KGR.sentence)
START = iri_nt(KGR.start)
END = iri_nt(KGR.end)
CONFIDENCE = iri_nt(KGR.confidence)
SOURCE_LABEL = iri_nt(KGR.sourceLabel)
SENTENCE_CLASS = iri_nt(KGR.Sentence)
TEXT = iri_nt(KGR.text)
MENTIONED_IN = iri_nt(KGR.mentionedIn)
POSITION = iri_nt(KGR.position)
UNIT = iri_nt(KGR.unit)
STATED_DATE = iri_nt(KGR.statedDate)
CONCEPT_FLAG = iri_nt(KGR.isConcept)
CLASS_OF_TYPE = {ctype: iri_nt(iri) for ctype, iri in TYPE_CLASSES.items()}
THING = iri_nt(KGR.Thing)
TRUE = literal_nt(True)[1]
_SENT, _STMT, _DATE_TIME, _DOUBLE = str(SENT), str(STMT), str(XSD.dateTime), str(XSD.double)


def document_labels(triples: list[NTriple]) -> set[tuple[str, str]]:
    """``(entity IRI, name)`` for each name a document's triples give an entity (the entities
    whose shared label its write may change)."""
    return {(s[1:-1], string_value(o)) for s, p, o in triples if p == DOCUMENT_LABEL}


def _short_hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def document_triples(
    processed: ProcessedDocument,
    index: EntityIndex,
    *,
    extractor: str,
    fingerprint: str,
    min_confidence: float = 0.0,
) -> tuple[str, list[NTriple], int]:
    """Build the graph of one document; returns ``(graph IRI, triples, relation count)``.

    Triples are N-Triples text. The index is updated with the document's entities, so later
    documents can join them.
    """
    doc = processed.document
    text = doc.text
    graph_iri = document_iri(doc.id)
    graph = iri_nt(graph_iri)
    dh = _short_hash(doc.id)
    extractor_nt = string_nt(extractor)
    processed_at = datetime.now(timezone.utc).isoformat()
    out: list[NTriple] = [
        (graph, TYPE, DOCUMENT),
        (graph, DOCUMENT_ID, string_nt(doc.id)),
        (graph, CONTENT_HASH, string_nt(doc.content_hash)),
        (graph, FINGERPRINT, string_nt(fingerprint)),
        (graph, SOURCE, string_nt(doc.source)),
        (graph, EXTRACTOR, extractor_nt),
        (graph, SENTENCE_COUNT, INTEGER_NT[len(processed.sentences)]),
        (graph, PROCESSED_AT, literal_nt(processed_at, _DATE_TIME)[1]),
    ]
    if doc.metadata:
        out.append((graph, METADATA, string_nt(json.dumps(doc.metadata, sort_keys=True))))

    paragraph_of = [processed.sentence_paragraph[m.sentence] for m in processed.mentions]
    canon: CanonicalDocument = canonicalize(processed.mentions, paragraph_of)
    entity_iris = [index.resolve(c) for c in canon.clusters]
    iris = [iri_nt(e) for e in entity_iris]

    used_sentences: set[int] = set()
    sentence_nodes: dict[int, str] = {}

    def sentence_node(i: int) -> str:
        node = sentence_nodes.get(i)
        if node is None:
            used_sentences.add(i)
            node = sentence_nodes[i] = iri_nt(f"{_SENT}{dh}/{i}")
        return node

    for cluster, entity, iri in zip(canon.clusters, entity_iris, iris, strict=True):
        out += [
            (iri, TYPE, ENTITY),
            (iri, TYPE, CLASS_OF_TYPE.get(cluster.ctype, THING)),
            (iri, DOCUMENT_LABEL, string_nt(cluster.label)),
            (iri, ENTITY_TYPE, string_nt(cluster.ctype)),
        ]
        for alias in sorted(cluster.aliases):
            out.append((iri, ALIAS, string_nt(alias)))
        for key in sorted(cluster.alias_keys | {canonical_key(cluster.label, cluster.ctype)}):
            out.append((iri, ALIAS_KEY, string_nt(key)))
            index.add(entity, key, cluster.ctype)
        for sentence in sorted({processed.mentions[i].sentence for i in cluster.mentions}):
            out.append((iri, MENTIONED_IN, sentence_node(sentence)))
        if cluster.ctype == "CONCEPT":
            out.append((iri, CONCEPT_FLAG, TRUE))

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
        # The statement IRI hashes the terms' plain strings: an IRI, or a literal's lexical form.
        s_key, p_key = entity_iris[head], relation_iri(r.label)
        s, p = iris[head], iri_nt(p_key)
        if tail is None:
            o_key, o = value_literal(tm)
        else:
            o_key, o = entity_iris[tail], iris[tail]
        stmt = iri_nt(_STMT + _short_hash(doc.id, r.sentence, s_key, p_key, o_key))
        if (s_key, p_key, o_key) not in stated:
            stated.add((s_key, p_key, o_key))
            out.append((s, p, o))
            relations += 1
        out += [
            (stmt, TYPE, STATEMENT),
            (stmt, SUBJECT, s),
            (stmt, PREDICATE, p),
            (stmt, OBJECT, o),
            (stmt, IN_DOCUMENT, graph),
            (stmt, SENTENCE, sentence_node(r.sentence)),
            (stmt, START, INTEGER_NT[min(hm.start, tm.start)]),
            (stmt, END, INTEGER_NT[max(hm.end, tm.end)]),
            (stmt, EXTRACTOR, extractor_nt),
            (stmt, CONFIDENCE, literal_nt(round(confidence, 4), _DOUBLE)[1]),
            (stmt, SOURCE_LABEL, string_nt(r.label)),
            (stmt, POSITION, INTEGER_NT[r.sentence]),
        ]
        if tm.is_value and tm.unit:
            out.append((stmt, UNIT, string_nt(tm.unit)))
        when = sentence_dates.get(r.sentence)
        if when is not None and when != o:
            out.append((stmt, STATED_DATE, when))

    for i in sorted(used_sentences):
        start, end = processed.sentences[i]
        node = sentence_nodes[i]
        out += [
            (node, TYPE, SENTENCE_CLASS),
            (node, IN_DOCUMENT, graph),
            (node, TEXT, string_nt(text[start:end])),
            (node, START, INTEGER_NT[start]),
            (node, END, INTEGER_NT[end]),
            (node, POSITION, INTEGER_NT[i]),
        ]
    return graph_iri, out, relations


def value_literal(mention: Mention) -> tuple[str, str]:
    """The RDF literal of a value mention, typed with its XSD datatype: (lexical, N-Triples)."""
    datatype = XSD[mention.datatype] if mention.datatype else XSD.string
    return literal_nt(mention.value, str(datatype))


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


def _sentence_dates(processed: ProcessedDocument) -> dict[int, str]:
    """The first date each sentence states (a year, month or day), as a typed literal."""
    dates: dict[int, str] = {}
    for m in processed.mentions:
        if m.is_value and m.datatype in DATE_TYPES:
            dates.setdefault(m.sentence, value_literal(m)[1])
    return dates
