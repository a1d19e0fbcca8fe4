"""The YAML config of a KGQA run (``task: kgqa``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from kg_reasoner.config import StrictModel
from kg_reasoner.data_paths import default_data_root, resolve_data_path
from kg_reasoner.models.kgqa.question_embedder import DEFAULT_PLACEHOLDER
from kg_reasoner.models.text_encoder import DEFAULT_ENCODER
from kg_reasoner.training.config import OptimConfig


class QuestionFileConfig(StrictModel):
    """One questions file; ``name`` groups its metrics (e.g. the hop count)."""

    name: str
    path: str
    qtypes: str | None = Field(None, description="optional file with one question type per line")


class KGQADataConfig(StrictModel):
    root: str | None = Field(
        None,
        description="folder relative paths start from (default $KG_REASONER_DATA or "
        "../shared/data)",
    )
    kb: str = Field(description="subject|relation|object file or a `kgr build` graph directory")
    questions: list[QuestionFileConfig] = Field(min_length=1)
    validation_fraction: float = Field(0.1, gt=0, lt=1)
    split_seed: int = 0
    topic_can_be_answer: bool = Field(
        False, description="MetaQA never answers with the topic entity; other datasets may"
    )
    topic_in_paths: bool = Field(
        True, description="may reasoning walks pass through the topic entity again (MetaQA: no)"
    )

    def resolve(self, path: str) -> Path:
        """A config path: absolute as is, otherwise under ``root``."""
        return resolve_data_path(path, self.root or default_data_root())


class QuestionEncoderConfig(StrictModel):
    name: str = DEFAULT_ENCODER
    max_length: int = Field(64, ge=8)
    topic_placeholder: str = DEFAULT_PLACEHOLDER
    cache: bool = Field(True, description="keep frozen question embeddings in output_dir")


class ReasonerModelConfig(StrictModel):
    num_hops: int = Field(3, ge=1)
    hidden_channels: int = Field(256, ge=4)
    dropout: float = Field(0.1, ge=0, lt=1)
    positive_weight: float = Field(10.0, ge=1)
    relation_activation: Literal["sigmoid", "softmax"] = Field(
        "sigmoid", description="independent relations per hop, or one distribution per hop"
    )


class KGQAInferenceConfig(StrictModel):
    max_subgraph_nodes: int = Field(50_000, ge=10, description="retrieval bound at ask time")
    relation_threshold: float = Field(
        0.01, ge=0, lt=1, description="relations below this probability are not expanded"
    )
    top_k: int = Field(10, ge=1)
    max_paths: int = Field(3, ge=1, description="evidence paths shown per answer")
    eval_batch_size: int = Field(256, ge=1)


class KGQAConfig(StrictModel):
    task: Literal["kgqa"] = "kgqa"
    output_dir: str = "runs/kgqa"
    data: KGQADataConfig
    encoder: QuestionEncoderConfig = QuestionEncoderConfig()
    model: ReasonerModelConfig = ReasonerModelConfig()
    training: OptimConfig = OptimConfig(lr=1e-3, epochs=20, batch_size=64, patience=4)
    inference: KGQAInferenceConfig = KGQAInferenceConfig()
