"""The public API: one call per job, over the explicit objects of the stages below.

- :func:`build` documents -> ``(KnowledgeGraph, BuildReport)``; :func:`open_graph` a graph or
  a knowledge-base file to read;
- :func:`ask` a question over a graph and/or a trained KGQA run -> ``QAResult``;
- :func:`train` any task from a config -> :class:`TrainResult`; :func:`load_run` a trained run;
  :func:`evaluate` a run on a split;
- :func:`predict` a kinship relation with a trained CLUTRR run, :func:`predict_text` a label
  with a classification run, :func:`predict_choice` an answer with a multiple-choice run;
  :func:`score_extractor` a trained extractor on labelled data;
- :func:`demo` what `kgr demo` shows.

Building, opening and asking import nothing heavy until called; the training names come from
:mod:`kg_reasoner.pipelines.training`, imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kg_reasoner.pipelines.ask import ask, close_answerers, load_answerer, reload_answerer
from kg_reasoner.pipelines.build import build, build_config, build_graph
from kg_reasoner.pipelines.demo import demo
from kg_reasoner.pipelines.predict import predict, predict_choice, predict_text
from kg_reasoner.pipelines.score_extractor import score_extractor

if TYPE_CHECKING:
    from kg_reasoner.pipelines.training import TrainResult, evaluate, load_run, train
    from kg_reasoner.retrieval.kb_graph import open_graph

_TRAINING = ("TrainResult", "evaluate", "load_run", "train")

__all__ = [
    "TrainResult",
    "ask",
    "build",
    "build_config",
    "build_graph",
    "close_answerers",
    "demo",
    "evaluate",
    "load_answerer",
    "load_run",
    "open_graph",
    "predict",
    "predict_choice",
    "predict_text",
    "reload_answerer",
    "score_extractor",
    "train",
]


def __getattr__(name: str) -> Any:
    if name == "open_graph":  # the retrieval stage imports torch: only when a graph is opened
        return importlib.import_module("kg_reasoner.retrieval.kb_graph").open_graph
    if name in _TRAINING:
        return getattr(importlib.import_module("kg_reasoner.pipelines.training"), name)
    raise AttributeError(f"module 'kg_reasoner.pipelines' has no attribute {name!r}")
