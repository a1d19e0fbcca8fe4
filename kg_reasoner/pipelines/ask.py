"""``ask``: a question answered over a graph and/or a trained KGQA run, with its evidence.

>>> result = ask("Where was Marie Curie born?", graph="kg/")
>>> result.answers[0].label
'Warsaw'

The answerer (graph, index, language model) is loaded once per (graph, model, threshold) and
kept, so repeated calls answer without reloading; a graph directory rebuilt since is reloaded.
:func:`close_answerers` releases every kept answerer.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg_reasoner.qa.answer import QAResult
    from kg_reasoner.qa.loading import LoadedQA


def load_answerer(
    *,
    graph: str | Path | Any | None = None,
    model: str | Path | None = None,
    answer_threshold: float | None = None,
) -> LoadedQA:
    """A fresh answerer and the graph it reads; the caller closes it.

    ``graph`` is a path (see :func:`open_graph`) or an already open graph; ``model`` a run
    directory of a kgqa training. ``model`` alone: the trained run on its own knowledge base;
    ``graph`` alone: zero-shot answering; both: the trained model on that graph.
    ``answer_threshold`` (zero-shot only; None = the calibrated default): a best answer scoring
    below it is withheld ("not found in the graph").
    """
    from kg_reasoner.qa.loading import load_qa
    from kg_reasoner.retrieval.kb_graph import open_graph

    source = open_graph(graph) if isinstance(graph, (str, Path)) else graph
    try:
        return load_qa(graph=source, model=model, answer_threshold=answer_threshold)
    except BaseException:
        if source is not graph:
            source.close()
        raise


def reload_answerer(
    old: LoadedQA, *, graph: str | Path, model: str | Path | None = None
) -> LoadedQA:
    """``old`` over a newer build of ``graph``: a zero-shot answerer keeps its language model
    (only the graph and its index are read again); a trained one is loaded again."""
    from kg_reasoner.qa.loading import LoadedQA
    from kg_reasoner.qa.zero_shot import ZeroShotAnswerer
    from kg_reasoner.retrieval.index_cache import answer_index
    from kg_reasoner.retrieval.kb_graph import open_graph

    answerer = old.answerer
    if model is None and isinstance(answerer, ZeroShotAnswerer):
        source = open_graph(graph)
        fresh = ZeroShotAnswerer(
            answer_index(source),
            graph=source,
            embedder=answerer.embedder,
            settings=answerer.settings,
            max_paths_per_answer=answerer.max_paths_per_answer,
        )
        return LoadedQA(fresh, source)
    loaded = load_answerer(graph=graph, model=model)
    loaded.answerer.warm_up()
    return loaded


@dataclass
class _Kept:
    loaded: LoadedQA
    generation: int
    owns_graph: bool
    graph: Any  # keeps a caller's open graph alive, so its id() is not reused while kept


_kept: dict[tuple[Any, ...], _Kept] = {}
_lock = threading.Lock()


def ask(
    question: str,
    *,
    graph: str | Path | Any | None = None,
    model: str | Path | None = None,
    top_k: int = 10,
    answer_threshold: float | None = None,
) -> QAResult:
    """Answer ``question``: ranked answers with scores and the evidence path(s) behind each
    (``result.answers``; none above the threshold reads "not found in the graph").

    ``graph``/``model``/``answer_threshold`` are as for :func:`load_answerer`; ``top_k`` is how
    many answers are returned.
    """
    return _answerer(graph, model, answer_threshold).answerer.answer(question, top_k=top_k)


def close_answerers() -> None:
    """Close every answerer :func:`ask` keeps (and the graphs it opened for them)."""
    with _lock:
        kept = list(_kept.values())
        _kept.clear()
    for entry in kept:
        if entry.owns_graph:
            entry.loaded.close()


def _answerer(
    graph: str | Path | Any | None, model: str | Path | None, answer_threshold: float | None
) -> LoadedQA:
    from kg_reasoner.graph.generation import read_generation

    model_key = None if model is None else str(Path(model).resolve())
    if isinstance(graph, (str, Path)):
        graph_key: Any = ("path", str(Path(graph).resolve()))
        generation = read_generation(graph).number
    else:
        graph_key = ("object", id(graph))
        generation = 0
    key = (graph_key, model_key, answer_threshold)
    with _lock:
        entry = _kept.get(key)
        if entry is not None and entry.generation == generation:
            return entry.loaded
        if entry is not None and entry.owns_graph:
            entry.loaded.close()  # the graph directory holds a newer build
        loaded = load_answerer(graph=graph, model=model, answer_threshold=answer_threshold)
        _kept[key] = _Kept(loaded, generation, owns_graph=graph is None or graph_key[0] == "path",
                           graph=graph)  # fmt: skip
        return loaded


__all__ = ["ask", "close_answerers", "load_answerer", "reload_answerer"]
