"""Choosing and loading an answerer from `--graph` and/or `--model`, as the CLI and server do."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from kg_reasoner.errors import ConfigError
from kg_reasoner.qa.answer import QAResult
from kg_reasoner.retrieval.index_cache import answer_index
from kg_reasoner.retrieval.kb_graph import kb_graph, open_graph
from kg_reasoner.retrieval.kb_index import KBIndex


class Answerer(Protocol):
    method: str
    index: KBIndex

    def answer(self, question: str, *, top_k: int = 10) -> QAResult: ...

    def warm_up(self) -> None: ...


@dataclass
class LoadedQA:
    """An answerer and the graph it reads (for entity pages, provenance and SPARQL)."""

    answerer: Answerer
    graph: Any

    def close(self) -> None:
        close = getattr(self.graph, "close", None)
        if close is not None:
            close()


def load_qa(
    *,
    graph: str | Path | Any = None,
    model: str | Path | None = None,
    answer_threshold: float | None = None,
) -> LoadedQA:
    """``graph`` is a `kgr build` directory or an already open graph (one with ``entities`` and
    ``triples``, e.g. from :func:`kg_reasoner.open_graph`).

    ``model`` alone: the trained run on its own KB; ``graph`` alone: zero-shot answering;
    both: the trained model on the given graph (its relations must match).

    ``answer_threshold`` (zero-shot only; None = the calibrated default): a best answer scoring
    below it is withheld ("not found in the graph")."""
    from kg_reasoner.qa.trained_answerer import TrainedAnswerer
    from kg_reasoner.qa.zero_shot import ZeroShotAnswerer, ZeroShotSettings

    if graph is None and model is None:
        raise ConfigError(
            "give --graph DIR (a graph from `kgr build`, zero-shot answering) and/or "
            "--model RUN_DIR (a run from `kgr train` with a kgqa config)"
        )
    if graph is not None:
        source = open_graph(graph) if isinstance(graph, (str, Path)) else graph
        index = answer_index(source)
        if model is None:
            settings = ZeroShotSettings()
            if answer_threshold is not None:
                settings = replace(settings, answer_threshold=answer_threshold)
            return LoadedQA(ZeroShotAnswerer(index, graph=source, settings=settings), source)
        return LoadedQA(TrainedAnswerer.from_run(model, index=index, graph=source), source)
    trained = TrainedAnswerer.from_run(model)  # type: ignore[arg-type]
    graph = kb_graph(trained.index)
    trained.graph = graph
    return LoadedQA(trained, graph)
