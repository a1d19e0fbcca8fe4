"""Applying a trained run to a new story: the relation, its probability and the supporting path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg_reasoner.errors import EntityNotFoundError, ModelLoadError
from kg_reasoner.extraction.spacy_loader import DEFAULT_SPACY_MODEL, load_spacy
from kg_reasoner.models.walks import WALKS
from kg_reasoner.tasks.clutrr.collate import prepare_split
from kg_reasoner.tasks.clutrr.data import ClutrrExample
from kg_reasoner.tasks.clutrr.extractor_training import extract_graphs
from kg_reasoner.tasks.clutrr.kinship import RELATIONS
from kg_reasoner.tasks.clutrr.story_graph import StoryGraph
from kg_reasoner.tasks.clutrr.task import load_run, predict_probabilities


def predict(
    checkpoint_dir: str | Path,
    story: str,
    head: str,
    tail: str,
    *,
    genders: dict[str, str] | None = None,
    top: int = 3,
) -> dict[str, Any]:
    """What is ``tail`` to ``head`` in ``story``? People are ``[Name]`` mentions, or spaCy
    PERSON entities when the story has no brackets."""
    config, model, extractor, encoder = load_run(checkpoint_dir)
    if config.graph.source == "gold":
        raise ModelLoadError(
            f"{checkpoint_dir} reasons over gold graphs, which a new story does not have; "
            "use a run trained with graph.source: extracted (or none)"
        )
    example = ClutrrExample(id="input", story=story, head=head, tail=tail,
                            genders=dict(genders or {}))
    nlp = None if "[" in story else _load_spacy()
    split = prepare_split([example], encoder, window=config.graph.window, cache_dir=None,
                          with_story_text=config.model.use_text, nlp=nlp,
                          rename_people=config.encoder.rename_people, progress=False,
                          name="story")
    mentioned = {n for w in split.windows[0] for n in w.names}
    for name in (head, tail):
        if name not in mentioned:
            raise EntityNotFoundError(
                f"{name!r} is not mentioned in the story; people found: "
                f"{', '.join(sorted(mentioned)) or 'none'} (mark names as [Name])"
            )
    graphs = None
    if extractor is not None:
        graphs = extract_graphs(extractor, split, threshold=config.graph.edge_threshold)
    probs = predict_probabilities(model, split, graphs, use_text=config.model.use_text)[0]
    ranked = probs.argsort(descending=True)[:top].tolist()
    walk = getattr(model.reasoner.graph, "walk", "shortest")
    return {
        "head": head,
        "tail": tail,
        "relation": RELATIONS[ranked[0]],
        "probability": float(probs[ranked[0]]),
        "alternatives": [{"relation": RELATIONS[i], "probability": float(probs[i])}
                         for i in ranked[1:]],
        "path": supporting_path(graphs[0], head, tail, walk=walk) if graphs else [],
        "edges": graph_edges(graphs[0]) if graphs else [],
    }


def supporting_path(
    graph: StoryGraph, head: str, tail: str, *, walk: str = "shortest"
) -> list[dict[str, Any]]:
    """The head->tail walk the reasoner composed (``walk`` as in the path-composition reasoner),
    as (person, relation, person) steps."""
    if not graph.edges:
        return []
    src = [u for u, _ in graph.edges]
    dst = [v for _, v in graph.edges]
    confidence = graph.relation_probs.max(-1).values.tolist()
    path = WALKS[walk](src, dst, confidence, graph.index(head), graph.index(tail))
    return [{"from": graph.names[src[e]], "relation": graph.relation_of(e),
             "to": graph.names[dst[e]], "confidence": confidence[e]} for e in path]


def graph_edges(graph: StoryGraph) -> list[dict[str, Any]]:
    return [{"from": graph.names[u], "relation": graph.relation_of(e), "to": graph.names[v]}
            for e, (u, v) in enumerate(graph.edges)]


def _load_spacy() -> Any:
    return load_spacy(DEFAULT_SPACY_MODEL, hint="or mark the names in the story as [Name]")
