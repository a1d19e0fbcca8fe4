"""Building stage: corpus + extraction -> graph (the incremental builder, its config and report).

:func:`add_documents` adds documents to an open :class:`~kg_reasoner.graph.KnowledgeGraph`;
:func:`kg_reasoner.build` is the one-call entry point that reads a corpus and opens the graph.
"""

from __future__ import annotations

from kg_reasoner.building.build_config import BuildConfig, ExtractionConfig, StoreConfig
from kg_reasoner.building.builder import add_documents
from kg_reasoner.building.report import BuildReport, DocumentOutcome

__all__ = [
    "BuildConfig",
    "BuildReport",
    "DocumentOutcome",
    "ExtractionConfig",
    "StoreConfig",
    "add_documents",
]
