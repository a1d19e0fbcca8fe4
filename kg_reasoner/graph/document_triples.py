"""One processed document -> the RDF triples of its named graph (entities, mentions, sentences,
asserted relations and their provenance statements). See :mod:`kg_reasoner.graph.vocabulary`."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg_reasoner.extraction.canonical import CanonicalDocument, canonical_key, canonicalize
from kg_reasoner.extraction.pipeline import ProcessedDocument
from kg_reasoner.graph.entity_index import EntityIndex
from kg_reasoner.graph.stores.base import TripleTerms
from kg_reasoner.graph.vocabulary import (
    KGR,
    MENTION,
    SENT,
    STMT,
    TYPE_CLASSES,
    document_iri,
    relation_iri,
)


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
        (graph, RDF.type, KGR.Document),
        (graph, KGR.documentId, Literal(doc.id)),
        (graph, KGR.contentHash, Literal(doc.content_hash)),
        (graph, KGR.fingerprint, Literal(fingerprint)),
        (graph, KGR.source, Literal(doc.source)),
        (graph, KGR.extractor, Literal(extractor)),
        (graph, KGR.sentenceCount, Literal(len(processed.sentences))),
        (
            graph,
            KGR.processedAt,
            Literal(datetime.now(timezone.utc).isoformat(), datatype=XSD.dateTime),
        ),
    ]
    if doc.metadata:
        out.append((graph, KGR.metadata, Literal(json.dumps(doc.metadata, sort_keys=True))))

    paragraph_of = [processed.sentence_paragraph[m.sentence] for m in processed.mentions]
    canon: CanonicalDocument = canonicalize(processed.mentions, paragraph_of)
    iris = [URIRef(index.resolve(c)) for c in canon.clusters]

    used_sentences: set[int] = set()

    def sentence_node(i: int) -> URIRef:
        used_sentences.add(i)
        return SENT[f"{dh}/{i}"]

    for cluster, iri in zip(canon.clusters, iris, strict=True):
        out += [
            (iri, RDF.type, KGR.Entity),
            (iri, RDF.type, TYPE_CLASSES.get(cluster.ctype, KGR.Thing)),
            (iri, RDFS.label, Literal(cluster.label)),
            (iri, KGR.entityType, Literal(cluster.ctype)),
        ]
        for alias in sorted(cluster.aliases):
            out.append((iri, KGR.alias, Literal(alias)))
        for key in sorted(cluster.alias_keys | {canonical_key(cluster.label, cluster.ctype)}):
            out.append((iri, KGR.aliasKey, Literal(key)))
            index.add(str(iri), key, cluster.ctype)
        for m_index in cluster.mentions:
            m = processed.mentions[m_index]
            node = MENTION[f"{dh}/{m_index}"]
            out += [
                (node, RDF.type, KGR.Mention),
                (node, KGR.mentionOf, iri),
                (node, KGR.sentence, sentence_node(m.sentence)),
                (node, KGR.start, Literal(m.start)),
                (node, KGR.end, Literal(m.end)),
                (node, KGR.surface, Literal(m.text)),
            ]

    stated: set[tuple[str, str, str]] = set()
    relations = 0
    for r in processed.relations:
        head, tail = canon.mention_cluster.get(r.head), canon.mention_cluster.get(r.tail)
        if head is None or tail is None or iris[head] == iris[tail]:
            continue  # an unresolved pronoun, or a relation of an entity with itself
        confidence = r.confidence
        if r.head in canon.resolved_pronouns or r.tail in canon.resolved_pronouns:
            confidence *= 0.8
        if confidence < min_confidence:
            continue
        s, o, p = iris[head], iris[tail], URIRef(relation_iri(r.label))
        hm, tm = processed.mentions[r.head], processed.mentions[r.tail]
        stmt = STMT[_short_hash(doc.id, r.sentence, s, p, o)]
        if (str(s), str(p), str(o)) not in stated:
            stated.add((str(s), str(p), str(o)))
            out.append((s, p, o))
            relations += 1
        out += [
            (stmt, RDF.type, KGR.Statement),
            (stmt, RDF.subject, s),
            (stmt, RDF.predicate, p),
            (stmt, RDF.object, o),
            (stmt, KGR.document, graph),
            (stmt, KGR.sentence, sentence_node(r.sentence)),
            (stmt, KGR.start, Literal(min(hm.start, tm.start))),
            (stmt, KGR.end, Literal(max(hm.end, tm.end))),
            (stmt, KGR.extractor, Literal(extractor)),
            (stmt, KGR.confidence, Literal(round(confidence, 4), datatype=XSD.double)),
            (stmt, KGR.sourceLabel, Literal(r.label)),
        ]

    for i in sorted(used_sentences):
        start, end = processed.sentences[i]
        node = SENT[f"{dh}/{i}"]
        out += [
            (node, RDF.type, KGR.Sentence),
            (node, KGR.document, graph),
            (node, KGR.text, Literal(text[start:end])),
            (node, KGR.start, Literal(start)),
            (node, KGR.end, Literal(end)),
        ]
    return graph, out, relations
