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

from kg_reasoner.errors import StoreError
from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.stores import is_store_url
from kg_reasoner.retrieval.kb_index import KBIndex


def kb_graph(index: KBIndex) -> KnowledgeGraph:
    """The read-only graph of ``index``'s triples, labels, aliases and types."""
    return KnowledgeGraph.from_knowledge_base(index.knowledge_base())


def open_graph(
    path: str | Path, *, read_only: bool = True, kb_files: bool = True
) -> KnowledgeGraph:
    """Open the graph at ``path`` (never creating one: :func:`kg_reasoner.build` does that).

    A directory is a `kgr build` graph (read-only unless ``read_only=False``); with
    ``kb_files``, a file is a knowledge base of ``head|relation|tail`` lines (e.g. MetaQA's
    ``kb.txt``) read into a read-only, in-memory graph (:func:`kb_graph`: entities are
    ``ent:<name>`` IRIs labelled with their names). Without ``kb_files`` a file is refused, as
    store-level commands need a store. An ``http(s)://`` URL is a graph in a SPARQL server.
    """
    if is_store_url(path):
        return KnowledgeGraph.open(path, read_only=read_only, create=False)
    path = Path(path)
    if kb_files and path.is_file():
        if not read_only:
            raise StoreError(
                f"{path} is a knowledge-base file, which opens read-only: build a graph folder "
                f"from documents with `kgr build DOCS --graph DIR` to change it"
            )
        from kg_reasoner.retrieval.kb_readers import load_kb_index

        return kb_graph(load_kb_index(path))
    return KnowledgeGraph.open(path, read_only=read_only, create=False)


__all__ = ["kb_graph", "open_graph"]
