"""Graphs as noisy as test graphs for the training stories: K-fold held-out extraction.

The extractor reads the training stories almost perfectly (it was trained on them), so a fusion
trained on those graphs never sees extraction fail and learns nothing about when to distrust the
graph. Here the training stories are cut into K folds; for each fold an extractor is trained on
the other folds and extracts the held-out one. Every training story then gets a graph from an
extractor that never saw it.

This module is the one place the reasoner side calls the extractor's training and decoding
(:func:`train_extractor`, :func:`extract_graphs`, :func:`edge_f1` of
:mod:`.extractor_training`), as black boxes over a :class:`PreparedSplit`. The graphs are cached
as JSON under the feature cache, keyed by the stories, the folds and the extractor settings.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

import torch

from kg_reasoner.tasks.clutrr.collate import PreparedSplit
from kg_reasoner.tasks.clutrr.config import ExtractorConfig
from kg_reasoner.tasks.clutrr.extractor_training import edge_f1, extract_graphs, train_extractor
from kg_reasoner.tasks.clutrr.kinship import RELATIONS
from kg_reasoner.tasks.clutrr.story_graph import StoryGraph


def fold_of_stories(count: int, folds: int, seed: int) -> list[int]:
    """A seeded fold id in ``0..folds-1`` for each of ``count`` stories (sizes differ by <= 1)."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    fold = [0] * count
    for rank, story in enumerate(order):
        fold[story] = rank % folds
    return fold


def subset_split(split: PreparedSplit, indices: list[int]) -> PreparedSplit:
    """The stories ``indices`` of ``split``, sharing its flat windows and window features (the
    window ids stay global), without the story-level text features."""
    return PreparedSplit(
        examples=[split.examples[i] for i in indices],
        windows=[split.windows[i] for i in indices],
        window_ids=[split.window_ids[i] for i in indices],
        flat_windows=split.flat_windows,
        window_features=split.window_features,
        story_features=None,
        people=[split.people[i] for i in indices],
        gold=[split.gold[i] for i in indices] if split.gold else [],
    )


def heldout_graphs(
    train: PreparedSplit,
    validation: PreparedSplit,
    config: ExtractorConfig,
    *,
    folds: int,
    seed: int,
    threshold: float,
    work_dir: Path,
    cache_dir: Path | None,
    language_model: torch.nn.Module | None = None,
    encoder_name: str | None = None,
    progress: bool = True,
) -> tuple[list[StoryGraph], dict[str, Any]]:
    """One graph per training story, each extracted by the fold extractor that did not train on
    it, and a report (edge F1 of those graphs against the gold ones, per-fold timings).

    Each fold extractor selects its epoch on ``validation`` (never on its held-out fold).
    """
    if folds < 2:
        raise ValueError("held-out graphs need at least 2 folds")
    key = _cache_key(train, config, folds, seed, threshold, encoder_name)
    cached = cache_dir / f"heldout-graphs-{key}.json" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        payload = json.loads(cached.read_text(encoding="utf-8"))
        return [_graph(g) for g in payload["graphs"]], {**payload["report"], "cached": True}
    fold = fold_of_stories(len(train.examples), folds, seed)
    graphs: list[StoryGraph | None] = [None] * len(train.examples)
    report: dict[str, Any] = {"folds": folds, "fold_extractors": []}
    for j in range(folds):
        inside = [i for i, f in enumerate(fold) if f != j]
        held = [i for i, f in enumerate(fold) if f == j]
        extractor, metrics = train_extractor(
            subset_split(train, inside), validation, config, work_dir / f"fold{j}",
            language_model=language_model, encoder_name=encoder_name, resume=False,
            progress=progress,
        )
        for i, graph in zip(held, extract_graphs(extractor, subset_split(train, held),
                                                 threshold=threshold), strict=True):
            graphs[i] = graph
        report["fold_extractors"].append({"train_stories": len(inside),
                                          "heldout_stories": len(held), **metrics})
    done = [g for g in graphs if g is not None]
    assert len(done) == len(graphs)
    if train.gold:
        report["heldout_edge_f1"] = edge_f1(train.gold, done)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(json.dumps({"report": report, "graphs": [_record(g) for g in done]}),
                       encoding="utf-8")
        tmp.replace(cached)
    return done, report


def _cache_key(split: PreparedSplit, config: ExtractorConfig, folds: int, seed: int,
               threshold: float, encoder_name: str | None) -> str:
    digest = hashlib.sha256()
    # the fold extractors are trained afresh: which extractor the run reuses is not part of it
    settings = config.model_dump(mode="json", exclude={"checkpoint"})
    digest.update(json.dumps([settings, folds, seed, threshold,
                              encoder_name], sort_keys=True).encode())
    for example in split.examples:
        digest.update(example.story.encode())
        digest.update(repr(example.edges).encode())
    return digest.hexdigest()[:20]


def _record(graph: StoryGraph) -> dict[str, Any]:
    return {"names": graph.names, "genders": graph.genders, "edges": graph.edges,
            "relation_probs": graph.relation_probs.tolist()}


def _graph(record: dict[str, Any]) -> StoryGraph:
    probs = torch.tensor(record["relation_probs"], dtype=torch.float32)
    return StoryGraph(names=list(record["names"]), genders=list(record["genders"]),
                      edges=[(int(u), int(v)) for u, v in record["edges"]],
                      relation_probs=probs.reshape(len(record["edges"]), len(RELATIONS)))
