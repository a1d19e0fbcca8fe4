"""A :class:`KBIndex` as a :class:`~kg_reasoner.graph.KnowledgeGraph`, and back.

A knowledge base of triples (e.g. MetaQA's ``kb.txt``, or the KB a trained run names) is read
into a :class:`KBIndex` for answering; for entity pages and SPARQL it is also served as the one
graph facade, over a read-only store in the vocabulary of built graphs. The index keeps the
KB's names as entity ids, the graph speaks ``ent:<name>`` IRIs; the graph's methods take either
(:func:`kg_reasoner.graph.vocabulary.name_iri` is the one mapping).
"""

from __future__ import annotations

from pathlib import Path

from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.knowledge_base import KnowledgeBase
from kg_reasoner.retrieval.kb_index import KBIndex


def kb_graph(index: KBIndex) -> KnowledgeGraph:
    """The read-only graph of ``index``'s triples, labels, aliases and types."""
    names = index.entity_ids
    return KnowledgeGraph.from_triples(
        index.triples_factory,
        labels=dict(zip(names, index.entity_labels, strict=True)),
        aliases=dict(zip(names, index.entity_aliases, strict=True)),
        types=dict(zip(names, index.entity_types, strict=True)) if index.entity_types else None,
    )


def kb_index(knowledge_base: KnowledgeBase) -> KBIndex:
    """The index of a graph opened :meth:`KnowledgeGraph.from_triples` (its own factory, so
    entity ids stay the KB's names)."""
    return KBIndex(
        triples_factory=knowledge_base.factory,
        entity_labels=list(knowledge_base.labels),
        entity_aliases=list(knowledge_base.aliases),
        entity_types=list(knowledge_base.types),
    )


def open_graph(path: str | Path) -> KnowledgeGraph:
    """Open a `kgr build` graph directory read-only."""
    return KnowledgeGraph.open(Path(path), read_only=True)


__all__ = ["kb_graph", "kb_index", "open_graph"]
