"""Graphs from hand-written extractions: the test writes sentences and what they state, the
real builder turns them into RDF (positions, literal values, units) and QA reads them back.

No spaCy and no extractor run, so a test pins answering behaviour, not extraction quality.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg_reasoner.building.document_triples import document_triples
from kg_reasoner.building.entity_index import EntityIndex
from kg_reasoner.corpus import Document
from kg_reasoner.extraction.base import Mention, RelationMention
from kg_reasoner.extraction.pipeline import ProcessedDocument
from kg_reasoner.extraction.values import parse_value
from kg_reasoner.graph import KnowledgeGraph


@dataclass(frozen=True)
class Fact:
    """``head -label-> tail`` stated by one sentence; ``tail_type`` VALUE makes the tail a
    literal parsed from its text ("34", "1,410 metres", "4 May 1971")."""

    head: str
    label: str
    tail: str
    head_type: str = "PERSON"
    tail_type: str = "GPE"


def processed(doc_id: str, sentences: list[tuple[str, list[Fact]]]) -> ProcessedDocument:
    text = " ".join(s for s, _ in sentences)
    result = ProcessedDocument(Document(doc_id, text, source=doc_id))
    offset = 0
    for index, (sentence, facts) in enumerate(sentences):
        result.sentences.append((offset, offset + len(sentence)))
        result.sentence_paragraph.append(0)
        for fact in facts:
            ids = [
                _mention(result, sentence, offset, index, name, etype)
                for name, etype in ((fact.head, fact.head_type), (fact.tail, fact.tail_type))
            ]
            result.relations.append(RelationMention(ids[0], ids[1], fact.label, 0.9, index))
        offset += len(sentence) + 1
    return result


def _mention(
    result: ProcessedDocument, sentence: str, offset: int, index: int, name: str, etype: str
) -> int:
    start = sentence.index(name) + offset
    value = parse_value(name, "DATE") or parse_value(name) if etype == "VALUE" else None
    label = "DATE" if value and value.datatype in {"date", "gYear", "gYearMonth"} else etype
    result.mentions.append(
        Mention(
            name,
            start,
            start + len(name),
            label,
            index,
            is_subject=True,
            value=value.lexical if value else None,
            datatype=value.datatype if value else "",
            unit=value.unit if value else "",
            lemma=name.lower() if etype == "CONCEPT" else "",
        )
    )
    return len(result.mentions) - 1


def text_graph(documents: dict[str, list[tuple[str, list[Fact]]]]) -> KnowledgeGraph:
    """An in-memory :class:`KnowledgeGraph` holding these documents."""
    kg = KnowledgeGraph.open(None)
    index = EntityIndex()
    batch = []
    for doc_id, sentences in documents.items():
        graph, triples, _ = document_triples(
            processed(doc_id, sentences), index, extractor="test", fingerprint="test"
        )
        batch.append((graph, triples))
    kg.store.write_prepared(kg.store.prepare_write(batch))  # N-Triples terms, as a build writes
    return kg
