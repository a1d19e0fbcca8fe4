"""The ``task: classification`` config: labelled texts (CSV or JSONL) -> a label.

Example::

    task: classification
    output_dir: runs/my_classifier
    data: {train: texts_train.csv, dev: texts_dev.csv, text_field: text, label_field: label}
    graph: {source: runs/my_graph, hops: 2, max_nodes: 32}   # or null: the LM alone
    model: {graph_encoder: rgcn, fusion: gated}
    training: {epochs: 3, adversarial: {method: fgm, epsilon: 1.0}}
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kg_reasoner.config import StrictModel
from kg_reasoner.tasks.text_graph.config import (
    GraphConfig,
    ScorerConfig,
    TextEncoderConfig,
    TextTrainingConfig,
    text_training_defaults,
)
from kg_reasoner.tasks.text_graph.data_config import SplitFilesConfig


class ClassificationDataConfig(SplitFilesConfig):
    """Labelled text files; ``format`` auto reads ``.csv`` as CSV, anything else as JSONL."""

    format: Literal["auto", "csv", "jsonl"] = "auto"
    text_field: str = "text"
    label_field: str = "label"
    labels: list[str] | None = Field(
        None, description="the classes in order (default: the sorted labels of train)"
    )


class ClassificationConfig(StrictModel):
    """Text classification by a fine-tuned LM, optionally fused with a GNN over the KG."""

    task: Literal["classification"] = "classification"
    output_dir: str
    data: ClassificationDataConfig
    encoder: TextEncoderConfig = Field(default_factory=TextEncoderConfig)
    graph: GraphConfig | None = None
    model: ScorerConfig = Field(default_factory=ScorerConfig)
    training: TextTrainingConfig = Field(default_factory=text_training_defaults)
    progress: bool = True
