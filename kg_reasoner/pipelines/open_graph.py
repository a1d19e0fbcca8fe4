"""``open_graph``: a `kgr build` graph directory, or a knowledge-base triple file, to read from."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg_reasoner.graph import KnowledgeGraph


def open_graph(
    path: str | Path, *, read_only: bool = True, kb_files: bool = True
) -> KnowledgeGraph:
    """Open the graph at ``path`` (never creating one: :func:`kg_reasoner.build` does that).

    A directory is a `kgr build` graph (:class:`KnowledgeGraph`, read-only unless
    ``read_only=False``); with ``kb_files``, a file is a knowledge base of ``head|relation|tail``
    lines (e.g. MetaQA's ``kb.txt``) read into a read-only, in-memory :class:`KnowledgeGraph`
    (:meth:`KnowledgeGraph.from_triples`: entities are ``ent:<name>`` IRIs labelled with their
    names). Without ``kb_files`` a file is refused, as store-level commands need a store.
    """
    from kg_reasoner.errors import StoreError
    from kg_reasoner.graph import KnowledgeGraph

    path = Path(path)
    if kb_files and path.is_file():
        if not read_only:
            raise StoreError(
                f"{path} is a knowledge-base file, which opens read-only: build a graph folder "
                f"from documents with `kgr build DOCS --graph DIR` to change it"
            )
        from kg_reasoner.retrieval.kb_graph import kb_graph
        from kg_reasoner.retrieval.kb_readers import load_kb_index

        return kb_graph(load_kb_index(path))
    return KnowledgeGraph.open(path, read_only=read_only, create=False)


__all__ = ["open_graph"]
