"""A :class:`KBIndex` served as the one graph facade, a :class:`~kg_reasoner.graph.KnowledgeGraph`.

A knowledge base of triples (e.g. MetaQA's ``kb.txt``, or the KB a trained run names) is read
into a :class:`KBIndex` for answering; for entity pages and SPARQL it is also served as a
graph, over a read-only store in the vocabulary of built graphs. The index keeps the KB's
names as entity ids, the graph speaks ``ent:<name>`` IRIs; the graph's methods take either
(:func:`kg_reasoner.graph.vocabulary.name_iri` is the one mapping), and
:func:`~kg_reasoner.retrieval.kb_readers.index_from_graph` gives the index back.
"""

from __future__ import annotations

from pathlib import Path

from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.retrieval.kb_index import KBIndex


def kb_graph(index: KBIndex) -> KnowledgeGraph:
    """The read-only graph of ``index``'s triples, labels, aliases and types."""
    return KnowledgeGraph.from_knowledge_base(index.knowledge_base())


def open_graph(path: str | Path) -> KnowledgeGraph:
    """Open a `kgr build` graph directory read-only."""
    return KnowledgeGraph.open(Path(path), read_only=True)


__all__ = ["kb_graph", "open_graph"]
