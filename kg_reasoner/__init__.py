"""kg_reasoner: build knowledge graphs from text, reason over them with GNNs fused with LMs.

The public API (imported lazily, so ``import kg_reasoner`` and the CLI start fast):

- :func:`build` documents -> ``(KnowledgeGraph, BuildReport)``, :func:`open_graph`,
  :class:`KnowledgeGraph`, :class:`BuildConfig`: graphs from documents (:func:`build_graph`:
  the same, returning only the report);
- :func:`ask` a question over a graph and/or a trained KGQA run -> :class:`QAResult` (ranked
  :class:`Answer` s with evidence); :func:`load_qa` the answerer itself;
- :func:`train` any task from a YAML config (``task:`` extraction, clutrr or kgqa) ->
  :class:`TrainResult`; :func:`load_run` a trained run; :func:`evaluate` a run;
- :class:`TriplesFactory`: a graph as vocabularies + an (n, 3) tensor with CSR and PyG views
  (``KnowledgeGraph.triples_factory()``, or from a KB triple file);
- :class:`SupervisedExtractor`: a trained entity/relation extractor;
- :class:`FusedReasoner`: the graph encoder + language model reasoner.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg_reasoner.building import BuildConfig, BuildReport
    from kg_reasoner.extraction.supervised import SupervisedExtractor
    from kg_reasoner.graph import KnowledgeGraph
    from kg_reasoner.graph.triples_factory import TriplesFactory
    from kg_reasoner.models.reasoner import FusedReasoner
    from kg_reasoner.pipelines import (
        TrainResult,
        ask,
        build,
        build_graph,
        evaluate,
        load_run,
        open_graph,
        train,
    )
    from kg_reasoner.qa.answer import Answer, QAResult
    from kg_reasoner.qa.loading import load_qa

__version__ = "0.1.0"

_LAZY = {
    "build": "kg_reasoner.pipelines",
    "build_graph": "kg_reasoner.pipelines",
    "open_graph": "kg_reasoner.pipelines",
    "ask": "kg_reasoner.pipelines",
    "train": "kg_reasoner.pipelines",
    "load_run": "kg_reasoner.pipelines",
    "evaluate": "kg_reasoner.pipelines",
    "TrainResult": "kg_reasoner.pipelines",
    "KnowledgeGraph": "kg_reasoner.graph",
    "TriplesFactory": "kg_reasoner.graph.triples_factory",
    "BuildConfig": "kg_reasoner.building",
    "BuildReport": "kg_reasoner.building",
    "Answer": "kg_reasoner.qa.answer",
    "QAResult": "kg_reasoner.qa.answer",
    "load_qa": "kg_reasoner.qa.loading",
    "SupervisedExtractor": "kg_reasoner.extraction.supervised",
    "FusedReasoner": "kg_reasoner.models.reasoner",
}

__all__ = [
    "Answer",
    "BuildConfig",
    "BuildReport",
    "FusedReasoner",
    "KnowledgeGraph",
    "QAResult",
    "SupervisedExtractor",
    "TrainResult",
    "TriplesFactory",
    "ask",
    "build",
    "build_graph",
    "evaluate",
    "load_qa",
    "load_run",
    "open_graph",
    "train",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kg_reasoner' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
