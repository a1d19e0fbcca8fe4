"""Graph stage: triples with provenance in an RDF store, queries, exports and PyG tensors."""

from __future__ import annotations

from pathlib import Path

from kg_reasoner.corpus import read_corpus
from kg_reasoner.building.build_config import BuildConfig
from kg_reasoner.graph.knowledge_graph import KnowledgeGraph
from kg_reasoner.graph.pyg import PygGraph
from kg_reasoner.graph.records import EntityRecord, Provenance, Triple
from kg_reasoner.building.report import BuildReport


def build_graph(
    corpus: str | Path | list[str | Path],
    graph_dir: str | Path | None,
    *,
    config: BuildConfig | None = None,
    prune: bool = False,
    progress: bool = False,
) -> BuildReport:
    """Build (or update) the graph in ``graph_dir`` from a folder or files of documents.

    Unchanged documents are skipped, changed ones replaced; with ``prune`` documents that left
    the corpus are deleted. ``graph_dir=None`` builds in memory and discards the graph.
    """
    config = config or BuildConfig()
    paths = [Path(p) for p in (corpus if isinstance(corpus, list) else [corpus])]
    with KnowledgeGraph.open(graph_dir) as kg:
        return kg.add_documents(
            read_corpus(paths, config.corpus), config=config, prune=prune, progress=progress
        )


__all__ = [
    "BuildConfig",
    "BuildReport",
    "EntityRecord",
    "KnowledgeGraph",
    "Provenance",
    "PygGraph",
    "Triple",
    "build_graph",
]
