"""Turning examples into model inputs: text windows, cached LM features, and graphs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from kg_reasoner.models.text_encoder import TextEncoder
from kg_reasoner.tasks.clutrr.data import ClutrrExample
from kg_reasoner.tasks.clutrr.features import TextFeatures, encode_texts
from kg_reasoner.tasks.clutrr.kinship import GENDERS, RELATIONS
from kg_reasoner.tasks.clutrr.names import surrogate_names
from kg_reasoner.tasks.clutrr.story_graph import (
    StoryGraph,
    TextWindow,
    gold_graph,
    group_windows,
    rename_mentions,
    story_people,
    story_sentences,
)


@dataclass
class PreparedSplit:
    """Examples with their windows (flattened; ``window_ids[i]`` are story i's) and features."""

    examples: list[ClutrrExample]
    windows: list[list[TextWindow]]
    window_ids: list[list[int]]
    flat_windows: list[TextWindow]
    window_features: TextFeatures | None
    story_features: TextFeatures | None
    people: list[list[str]]
    gold: list[StoryGraph] = field(default_factory=list)


def query_text(
    example: ClutrrExample, sentences: list[TextWindow], rename: Mapping[str, str]
) -> str:
    """What the LM reads: the story's sentences (markup removed, people renamed) and the
    question."""
    story = " ".join(s.text for s in sentences)
    head, tail = (rename.get(n, n) for n in (example.head, example.tail))
    return f"{story} Who is {tail} to {head}?"


def story_renaming(
    example: ClutrrExample, sentences: list[TextWindow], seed: int
) -> dict[str, str]:
    """Stand-in names for everyone in the story and the query (see :mod:`.names`)."""
    people = [m.name for s in sentences for m in s.mentions]
    return surrogate_names([*people, example.head, example.tail], example.genders,
                           key=example.story, seed=seed)


def prepare_split(
    examples: list[ClutrrExample],
    encoder: TextEncoder,
    *,
    window: int = 2,
    cache_dir: str | Path | None = None,
    batch_size: int = 64,
    with_story_text: bool = True,
    with_window_features: bool = True,
    nlp: Any | None = None,
    rename_people: bool = False,
    rename_seed: int = 0,
    window_state_layer: int | None = None,
    progress: bool = True,
    name: str = "split",
) -> PreparedSplit:
    """Split stories into windows, encode windows (and whole stories + query) with the LM.

    Window features feed the extractor and the fused model's memory; story features (story +
    question) are the LM reading of the text. With ``rename_people`` the LM reads every person
    under a stand-in name of the same gender (the graph keeps the real names).
    """
    sentences = [story_sentences(e.story, nlp=nlp) for e in examples]
    renames: list[dict[str, str]] = [{} for _ in examples]
    if rename_people:
        renames = [story_renaming(e, s, rename_seed) for e, s in zip(examples, sentences,
                                                                     strict=True)]
        sentences = [[rename_mentions(t, r) for t in s] for s, r in zip(sentences, renames,
                                                                         strict=True)]
    windows = [group_windows(s, window) for s in sentences]
    flat = [w for ws in windows for w in ws]
    ids, cursor = [], 0
    for ws in windows:
        ids.append(list(range(cursor, cursor + len(ws))))
        cursor += len(ws)
    window_features = None
    if with_window_features:
        window_features = encode_texts(
            encoder, [w.text for w in flat], batch_size=batch_size, cache_dir=cache_dir,
            desc=f"LM features: {name} windows", progress=progress,
            state_layer=window_state_layer,
        )
    story_features = None
    if with_story_text:
        story_features = encode_texts(
            encoder, [query_text(e, s, r) for e, s, r in zip(examples, sentences, renames,
                                                             strict=True)],
            batch_size=batch_size,
            cache_dir=cache_dir, desc=f"LM features: {name} stories", progress=progress,
        )
    people = [story_people(ws, e.head, e.tail) for ws, e in zip(windows, examples, strict=True)]
    gold = [gold_graph(e) for e in examples if e.edges] if all(e.edges for e in examples) else []
    return PreparedSplit(examples, windows, ids, flat, window_features, story_features, people,
                         gold)


def collate_reasoner(
    split: PreparedSplit,
    graphs: list[StoryGraph] | None,
    indices: list[int],
    *,
    with_text: bool,
    with_labels: bool = True,
) -> dict[str, torch.Tensor]:
    """A batch for :class:`KinshipReasoner`: the graphs as one disjoint union, text features."""
    batch: dict[str, torch.Tensor] = {}
    if graphs is not None:
        roles, sexes, edges, attrs, heads, tails = [], [], [], [], [], []
        offset = 0
        for i in indices:
            graph, example = graphs[i], split.examples[i]
            head, tail = graph.index(example.head), graph.index(example.tail)
            role = [0] * len(graph.names)
            role[head], role[tail] = 1, 2
            roles.extend(role)
            sexes.extend(GENDERS.index(g) for g in graph.genders)
            edges.extend((u + offset, v + offset) for u, v in graph.edges)
            attrs.append(graph.relation_probs)
            heads.append(head + offset)
            tails.append(tail + offset)
            offset += len(graph.names)
        batch["node_role"] = torch.tensor(roles)
        batch["node_gender"] = torch.tensor(sexes)
        batch["edge_index"] = torch.tensor(edges, dtype=torch.long).reshape(-1, 2).t().contiguous()
        batch["edge_attr"] = torch.cat(attrs) if attrs else torch.zeros(0, len(RELATIONS))
        batch["head_index"] = torch.tensor(heads)
        batch["tail_index"] = torch.tensor(tails)
    else:
        batch["head_index"] = torch.zeros(len(indices), dtype=torch.long)
        batch["tail_index"] = torch.zeros(len(indices), dtype=torch.long)
    if with_text:
        assert split.story_features is not None and split.window_features is not None
        batch["text"] = split.story_features.pooled[indices]
        size = max(len(split.window_ids[i]) for i in indices)
        hidden = split.window_features.pooled.shape[1]
        memory = torch.zeros(len(indices), size, hidden)
        mask = torch.zeros(len(indices), size, dtype=torch.bool)
        for row, i in enumerate(indices):
            ids = split.window_ids[i]
            memory[row, : len(ids)] = split.window_features.pooled[ids]
            mask[row, : len(ids)] = True
        batch["memory"], batch["memory_mask"] = memory, mask
    if with_labels:
        batch["labels"] = torch.tensor(
            [RELATIONS.index(split.examples[i].target or "") for i in indices]
        )
    return batch
