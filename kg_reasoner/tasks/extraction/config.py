"""The YAML config of ``task: extraction``: data, optimisation + negative sampling, freezing."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kg_reasoner.config import StrictModel
from kg_reasoner.extraction.supervised.config import ExtractorModelConfig
from kg_reasoner.training.config import FreezeConfig, OptimConfig


class ExtractionData(StrictModel):
    """Training and selection data: CoNLL04 JSON files or WebNLG split folders."""

    format: Literal["conll04", "webnlg"] = Field(
        "conll04", description="conll04: .json/.jsonl records; webnlg: a folder of XML files"
    )
    train: str = Field(description="training file (.json array or .jsonl) or WebNLG folder")
    dev: str = Field(description="development data: early stopping and model selection")
    max_train_sentences: int | None = Field(
        None, ge=1, description="train on the first N training sentences only (quick runs)"
    )


class ExtractionTraining(OptimConfig):
    """Optimisation plus negative sampling (SpERT's defaults: 100 spans, 100 pairs)."""

    lr: float = Field(5e-4, gt=0, description="peak learning rate of the task heads")
    encoder_lr: float | None = Field(5e-5, gt=0, description="learning rate of the encoder")
    epochs: int = Field(20, ge=1)
    batch_size: int = Field(8, ge=1)

    neg_entities: int = Field(100, ge=0, description="non-entity spans sampled per sentence")
    neg_relations: int = Field(100, ge=0, description="unrelated entity pairs per sentence")
    eval_batch_size: int = Field(32, ge=1)
    cache_frozen_layers: bool = Field(
        True, description="with frozen lower layers, compute their output once (much faster)"
    )


class ExtractionFreeze(FreezeConfig):
    """Encoder freezing; extraction fine-tunes the whole encoder by default."""

    policy: Literal["none", "all", "top_k"] = "none"
    embeddings: bool = Field(
        True, description="keep the word-embedding matrix frozen (half of MiniLM's weights)"
    )


class RelationStageTraining(OptimConfig):
    """Optimisation of the marker relation model: one marked encoder pass per entity pair."""

    lr: float = Field(1e-3, gt=0, description="peak learning rate of the pair classifier")
    encoder_lr: float | None = Field(1e-4, gt=0, description="learning rate of its encoder")
    epochs: int = Field(6, ge=1)
    batch_size: int = Field(16, ge=1, description="entity pairs per step")
    eval_batch_size: int = Field(64, ge=1, description="entity pairs per inference batch")


class RelationStageFreeze(FreezeConfig):
    """Which layers of the relation model's encoder train (its marker embeddings train only
    with policy none: under top_k no gradient reaches the input)."""

    policy: Literal["none", "all", "top_k"] = "none"
    embeddings: bool = Field(
        True,
        description="keep the word-embedding matrix frozen (the marker embeddings still train "
        "with policy none); saves updating half of MiniLM's weights every step",
    )


class RelationStage(StrictModel):
    """Training of the marker relation model (``model.relation_model: markers``), after the
    span model: on the gold-entity pairs of the training sentences, selected by end-to-end
    dev relation F1 on the span model's predicted entities."""

    training: RelationStageTraining = RelationStageTraining()
    freeze: RelationStageFreeze = RelationStageFreeze()


class ExtractionConfig(StrictModel):
    """A YAML config with ``task: extraction``."""

    task: Literal["extraction"] = "extraction"
    name: str = Field("extractor", description="recorded as the extractor name in provenance")
    output_dir: str
    data: ExtractionData
    model: ExtractorModelConfig = ExtractorModelConfig()
    training: ExtractionTraining = ExtractionTraining()
    freeze: ExtractionFreeze = ExtractionFreeze()
    relation_stage: RelationStage = RelationStage()
