"""Strict entity and relation scores (the SpERT / REBEL criterion).

An entity is correct when its boundaries and type match a gold entity. A relation is correct
when its type and both arguments' boundaries and types match a gold relation. Scores are
percentages: micro (pooled counts), macro (mean over types seen in gold or predictions) and
per type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from typing import Any

from kg_reasoner.extraction.supervised.data import Example


def entity_tuples(examples: Sequence[Example]) -> set[tuple[Hashable, ...]]:
    """(sentence, start, end, type) for every entity."""
    return {(i, e.start, e.end, e.type) for i, ex in enumerate(examples) for e in ex.entities}


def relation_tuples(examples: Sequence[Example]) -> set[tuple[Hashable, ...]]:
    """(sentence, head span, head type, tail span, tail type, type) for every relation."""
    out: set[tuple[Hashable, ...]] = set()
    for i, ex in enumerate(examples):
        types = {e.span: e.type for e in ex.entities}
        for r in ex.relations:
            out.add((i, r.head, types.get(r.head), r.tail, types.get(r.tail), r.type))
    return out


def prf(correct: int, predicted: int, gold: int) -> dict[str, float]:
    """Precision, recall and F1 in percent (0 when undefined)."""
    p = 100.0 * correct / predicted if predicted else 0.0
    r = 100.0 * correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 2), "recall": round(r, 2), "f1": round(f, 2)}


def score_sets(
    gold: set[tuple[Hashable, ...]], predicted: set[tuple[Hashable, ...]]
) -> dict[str, Any]:
    """Micro, macro and per-type scores; the type is the last element of each tuple."""
    correct = gold & predicted
    n_gold, n_pred, n_ok = (Counter(t[-1] for t in s) for s in (gold, predicted, correct))
    types = sorted(set(n_gold) | set(n_pred), key=str)
    per_type = {
        str(t): {**prf(n_ok[t], n_pred[t], n_gold[t]), "support": n_gold[t], "predicted": n_pred[t]}
        for t in types
    }
    macro = {
        k: round(sum(v[k] for v in per_type.values()) / len(per_type), 2) if per_type else 0.0
        for k in ("precision", "recall", "f1")
    }
    return {
        "micro": prf(len(correct), len(predicted), len(gold)),
        "macro": macro,
        "per_type": per_type,
        "support": len(gold),
        "predicted": len(predicted),
        "correct": len(correct),
    }


def score_examples(gold: Sequence[Example], predicted: Sequence[Example]) -> dict[str, Any]:
    """Strict scores of ``predicted`` against ``gold`` (aligned sentence by sentence)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(predicted)} predictions for {len(gold)} gold sentences")
    return {
        "sentences": len(gold),
        "entity": score_sets(entity_tuples(gold), entity_tuples(predicted)),
        "relation": score_sets(relation_tuples(gold), relation_tuples(predicted)),
    }


def summary(scores: dict[str, Any]) -> dict[str, float]:
    """The headline numbers: entity micro F1, relation micro and macro F1."""
    return {
        "entity_f1": scores["entity"]["micro"]["f1"],
        "relation_f1_micro": scores["relation"]["micro"]["f1"],
        "relation_f1_macro": scores["relation"]["macro"]["f1"],
    }


def format_table(scores: dict[str, Any]) -> str:
    """A markdown table: one row per entity and relation type plus micro and macro rows."""
    lines = ["| kind | type | P | R | F1 | support |", "|---|---|---:|---:|---:|---:|"]
    for kind in ("entity", "relation"):
        block = scores[kind]
        for name, row in block["per_type"].items():
            lines.append(_row(kind, name, row, row["support"]))
        lines.append(_row(kind, "**micro**", block["micro"], block["support"]))
        lines.append(_row(kind, "**macro**", block["macro"], block["support"]))
    return "\n".join(lines)


def _row(kind: str, name: str, row: dict[str, Any], support: int) -> str:
    return (
        f"| {kind} | {name} | {row['precision']:.2f} | {row['recall']:.2f} | "
        f"{row['f1']:.2f} | {support} |"
    )
