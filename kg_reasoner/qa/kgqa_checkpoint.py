"""Saving and loading a trained KGQA reasoner (safetensors + JSON, via kg_reasoner.training)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg_reasoner.config import validate_config
from kg_reasoner.errors import ModelLoadError
from kg_reasoner.models.kgqa.relation_reasoner import HopwiseRelationReasoner
from kg_reasoner.qa.kgqa_config import KGQAConfig
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.training.checkpoint import load_model, save_model


@dataclass
class TrainedReasoner:
    """A loaded run: the model, its config, the relation vocabulary and the answer threshold."""

    model: HopwiseRelationReasoner
    config: KGQAConfig
    relations: list[str]
    question_dim: int
    threshold: float


def build_model(
    config: KGQAConfig, *, question_dim: int, num_relations: int
) -> HopwiseRelationReasoner:
    return HopwiseRelationReasoner(
        question_dim=question_dim,
        num_relations=num_relations,
        num_hops=config.model.num_hops,
        hidden_channels=config.model.hidden_channels,
        dropout=config.model.dropout,
        positive_weight=config.model.positive_weight,
        relation_activation=config.model.relation_activation,
    )


def save_reasoner(
    directory: str | Path,
    model: HopwiseRelationReasoner,
    config: KGQAConfig,
    *,
    relations: list[str],
    question_dim: int,
    threshold: float,
    extra: dict[str, Any] | None = None,
) -> None:
    meta = {
        "task": "kgqa",
        "config": config.model_dump(mode="json"),
        "question_dim": question_dim,
        "answer_threshold": threshold,
        **(extra or {}),
    }
    save_model(directory, model.state_dict(), meta, {"relations": relations})


def load_reasoner(directory: str | Path) -> TrainedReasoner:
    """Load a run directory written by `kgr train` with a kgqa config."""
    state, meta, vocab = load_model(directory)
    if meta.get("task") != "kgqa":
        raise ModelLoadError(f"{directory} holds a {meta.get('task')!r} model, not a kgqa one")
    config = validate_config(KGQAConfig, meta["config"], source=f"{directory}/config.json")
    relations = list(vocab.get("relations", []))
    if not relations:
        raise ModelLoadError(f"{directory}/vocab.json has no relation vocabulary")
    model = build_model(
        config, question_dim=int(meta["question_dim"]), num_relations=2 * len(relations)
    )
    model.load_state_dict(state)
    model.eval()
    return TrainedReasoner(
        model,
        config,
        relations,
        int(meta["question_dim"]),
        float(meta.get("answer_threshold", 0.5)),
    )


def check_relations(trained: TrainedReasoner, index: KBIndex, source: str) -> None:
    """The graph must use exactly the relations the model was trained on, in the same order."""
    if index.relations != trained.relations:
        missing = sorted(set(trained.relations) - set(index.relations))
        extra = sorted(set(index.relations) - set(trained.relations))
        raise ModelLoadError(
            f"{source} does not have the relations the model was trained on "
            f"(missing: {missing[:5]}, unexpected: {extra[:5]}); use the graph the model was "
            "trained with, or `kgr ask --graph` alone for zero-shot answering"
        )
