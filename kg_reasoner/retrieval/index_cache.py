"""The answering index of a graph directory, kept on disk between processes.

Indexing a `kgr build` graph for answering reads every document graph (distinct triples,
entity types counted over documents, aliases): its cost grows with the documents, about 80 s
for a million sentences here, and every `kgr ask` process paid it. The index depends only on
the graph, so it is written once per build generation (:mod:`kg_reasoner.graph.generation`)
into ``<graph>/cache/`` and read back by the next process while the generation is unchanged.

The cache is plain data (a JSON file of names and an ``.npy`` array of triple ids), never
pickled code, so a graph directory from elsewhere cannot run anything when it is read. It is
not used while a build is running or was killed before it finished (labels pending: the store
holds writes the generation does not count yet), nor for a graph without a generation (one
built before generations existed, an in-memory graph, a SPARQL server). A cache that cannot be
written (a read-only directory) is skipped: answering works as without it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import torch

from kg_reasoner.graph.generation import read_generation
from kg_reasoner.graph.labels import labels_pending
from kg_reasoner.graph.triples_factory import TriplesFactory
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.retrieval.kb_readers import index_from_graph, statement_time_source

CACHE_DIR = "cache"
_FORMAT = 1  # bump when the index's contents change meaning
_PREFIX = "answer-index-"


def answer_index(graph: Any) -> KBIndex:
    """``index_from_graph(graph, lazy_times=True)``, read from the graph directory's cache
    when it was written for the current generation (and written there when it was not)."""
    key = _cache_key(graph)
    if key is None:
        return index_from_graph(graph, lazy_times=True)
    directory = Path(graph.path) / CACHE_DIR
    cached = _read(directory, key)
    if cached is not None:
        cached.time_source = statement_time_source(graph.statements, cached.triples_factory)
        return cached
    index = index_from_graph(graph, lazy_times=True)
    _write(directory, key, index)
    return index


def _cache_key(graph: Any) -> str | None:
    path = getattr(graph, "path", None)
    if path is None or getattr(graph, "knowledge_base", None) is not None:
        return None
    generation = read_generation(path)
    if generation.number == 0 or labels_pending(graph.store):
        return None
    stamp = generation.committed_at.replace(":", "").replace("-", "")
    return f"{_FORMAT}-{generation.number}-{stamp}"


def _read(directory: Path, key: str) -> KBIndex | None:
    meta_path, array_path = directory / f"{_PREFIX}{key}.json", directory / f"{_PREFIX}{key}.npy"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        triples = np.load(array_path, allow_pickle=False)
        factory = TriplesFactory(
            entity_to_id={e: i for i, e in enumerate(meta["entities"])},
            relation_to_id={r: i for i, r in enumerate(meta["relations"])},
            mapped_triples=torch.from_numpy(triples.astype(np.int64)),
        )
        return KBIndex(
            triples_factory=factory,
            entity_labels=list(meta["labels"]),
            entity_aliases=[tuple(a) for a in meta["aliases"]],
            entity_types=list(meta["types"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing, partial or foreign: indexed again from the graph


def _write(directory: Path, key: str, index: KBIndex) -> None:
    factory = index.triples_factory
    meta = {
        "entities": index.entity_ids,
        "relations": factory.relations,
        "labels": index.entity_labels,
        "aliases": [list(a) for a in index.entity_aliases],
        "types": index.entity_types,
    }
    try:
        directory.mkdir(exist_ok=True)
        for old in directory.glob(f"{_PREFIX}*"):
            old.unlink(missing_ok=True)  # one generation is kept
        tmp = directory / f".{_PREFIX}{key}.{os.getpid()}"
        np.save(f"{tmp}.npy", factory.mapped_triples.numpy(), allow_pickle=False)
        Path(f"{tmp}.json").write_text(json.dumps(meta), encoding="utf-8")
        os.replace(f"{tmp}.npy", directory / f"{_PREFIX}{key}.npy")
        os.replace(f"{tmp}.json", directory / f"{_PREFIX}{key}.json")  # written last: complete
    except OSError:
        return  # a read-only graph directory: answering works without the cache


__all__ = ["CACHE_DIR", "answer_index"]
