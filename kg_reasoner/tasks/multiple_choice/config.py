"""The ``task: multiple_choice`` config: a question and its choices -> the right choice.

Example (CommonsenseQA over WordNet)::

    task: multiple_choice
    output_dir: runs/csqa_wordnet
    data: {train: commonsenseqa/train_inhouse.jsonl, dev: commonsenseqa/dev_inhouse.jsonl}
    graph: {source: wordnet, hops: 2, max_nodes: 32, prune: ppr}   # or null: the LM alone
    model: {graph_encoder: rgcn, fusion: qagnn_context_node}
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


class MultipleChoiceDataConfig(SplitFilesConfig):
    """Question files in JSONL: ``csqa`` (CommonsenseQA's records) or ``generic``
    (``{"question": ..., "choices": [...], "answer": index or text}``); ``auto`` tells them
    apart per line."""

    format: Literal["auto", "csqa", "generic"] = "auto"


class MultipleChoiceConfig(StrictModel):
    """Multiple-choice QA: each (question, choice) pair scored, a softmax over the choices."""

    task: Literal["multiple_choice"] = "multiple_choice"
    output_dir: str
    data: MultipleChoiceDataConfig
    encoder: TextEncoderConfig = Field(default_factory=TextEncoderConfig)
    graph: GraphConfig | None = None
    model: ScorerConfig = Field(default_factory=ScorerConfig)
    training: TextTrainingConfig = Field(default_factory=text_training_defaults)
    progress: bool = True
