"""KGQA metrics: Hits@1, answer-set F1 at a score threshold, choosing that threshold, and
scoring a model on encoded questions overall / per group / per question type."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import torch

from kg_reasoner.models.kgqa.relation_reasoner import HopwiseRelationReasoner
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.tasks.kgqa.collate import indicator_rows
from kg_reasoner.tasks.kgqa.data import QuestionRecord
from kg_reasoner.tasks.kgqa.encoding import EncodedQuestions
from kg_reasoner.training.device import model_device, move_to_device

DEFAULT_THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))


def predicted_sets(scores: torch.Tensor, threshold: float) -> list[set[int]]:
    """Entities scoring at least ``threshold`` (always including the top one) per row of (B, N)."""
    top = scores.argmax(dim=1)
    rows = []
    for b in range(scores.shape[0]):
        chosen = set(torch.nonzero(scores[b] >= threshold).flatten().tolist())
        chosen.add(int(top[b]))
        rows.append(chosen)
    return rows


def set_f1(predicted: set[int], gold: set[int]) -> float:
    if not predicted or not gold:
        return 0.0
    hits = len(predicted & gold)
    if hits == 0:
        return 0.0
    precision, recall = hits / len(predicted), hits / len(gold)
    return 2 * precision * recall / (precision + recall)


def batch_hits_and_f1(
    scores: torch.Tensor, gold: Sequence[set[int]], thresholds: Iterable[float]
) -> tuple[list[float], dict[float, list[float]]]:
    """Per-question Hits@1 and, per threshold, per-question F1."""
    top = scores.argmax(dim=1).tolist()
    hits = [1.0 if t in g else 0.0 for t, g in zip(top, gold, strict=True)]
    f1 = {
        th: [set_f1(p, g) for p, g in zip(predicted_sets(scores, th), gold, strict=True)]
        for th in thresholds
    }
    return hits, f1


def best_threshold(f1_by_threshold: dict[float, list[float]]) -> tuple[float, float]:
    """(threshold, mean F1) maximising mean F1; ties go to the higher threshold."""
    best = max(f1_by_threshold.items(), key=lambda kv: (sum(kv[1]) / max(len(kv[1]), 1), kv[0]))
    return best[0], sum(best[1]) / max(len(best[1]), 1)


@torch.no_grad()
def score_encoded(
    model: HopwiseRelationReasoner,
    data: EncodedQuestions,
    index: KBIndex,
    *,
    exclude_topic: bool,
    revisit_topic: bool = True,
    batch_size: int,
    thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS,
) -> tuple[list[float], dict[float, list[float]]]:
    """Per-record Hits@1 and per-threshold F1 over all records (skipped ones score 0); the
    batches and the adjacency go to the model's device."""
    model.eval()
    device = model_device(model)
    adjacency = move_to_device(index.adjacency, device)
    hits = [0.0] * len(data.records)
    f1 = {th: [0.0] * len(data.records) for th in thresholds}
    for start in range(0, len(data), batch_size):
        rows = range(start, min(start + batch_size, len(data)))
        topic = indicator_rows([data.topics[i] for i in rows], index.num_entities)
        out = model(
            move_to_device(data.embeddings[start : rows.stop], device),
            move_to_device(topic, device),
            adjacency,
            exclude_topic=exclude_topic,
            revisit_topic=revisit_topic,
        )
        gold = [set(data.answers[i]) for i in rows]
        batch_hits, batch_f1 = batch_hits_and_f1(out.scores.cpu(), gold, thresholds)
        for j, i in enumerate(rows):
            hits[data.usable[i]] = batch_hits[j]
            for th in thresholds:
                f1[th][data.usable[i]] = batch_f1[th][j]
    return hits, f1


def summarise(
    records: list[QuestionRecord], hits: list[float], f1: list[float], threshold: float
) -> dict[str, Any]:
    """Hits@1 and F1 (percent) overall, per group (hop) and per question type."""
    by_group: dict[str, list[int]] = defaultdict(list)
    by_type: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        by_group[record.group].append(i)
        if record.qtype:
            by_type[record.qtype].append(i)

    def pct(values: list[float], ids: list[int]) -> float:
        return round(100.0 * sum(values[i] for i in ids) / max(len(ids), 1), 2)

    everyone = list(range(len(records)))
    return {
        "hits_at_1": {g: pct(hits, ids) for g, ids in sorted(by_group.items())},
        "answer_f1": {g: pct(f1, ids) for g, ids in sorted(by_group.items())},
        "hits_at_1_by_type": {t: pct(hits, ids) for t, ids in sorted(by_type.items())},
        "hits_at_1_all": pct(hits, everyone),
        "answer_f1_all": pct(f1, everyone),
        "questions": {g: len(ids) for g, ids in sorted(by_group.items())},
        "threshold": threshold,
    }
