"""The ``task: clutrr`` experiment config (validated; unknown keys are rejected)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from kg_reasoner.config import StrictModel
from kg_reasoner.data_paths import default_data_root, resolve_data_path
from kg_reasoner.training.config import FreezeConfig, OptimConfig

K_VALUES = tuple(range(2, 11))


class DataConfig(StrictModel):
    """Where the CSVs are; relative paths start at ``root``.

    ``root`` defaults to $KG_REASONER_DATA, else ../shared/data.
    """

    root: str | None = None
    train_file: str = "clutrr/train_k23/1.2,1.3_train.csv"
    test_files: list[str] = Field(
        default_factory=lambda: [f"clutrr/train_k23/1.{k}_test.csv" for k in K_VALUES]
    )
    validation_fraction: float = Field(0.1, gt=0, lt=1)
    validation_split: Literal["template", "story"] = Field(
        "template", description="template: validation stories use sentence templates (names "
        "masked) that no training story uses, as CLUTRR's test stories do; story: a random "
        "slice of stories (seen templates, overstates test accuracy)",
    )
    max_train_examples: int | None = Field(None, ge=10, description="read only the first "
                                           "rows of the training file (it is sorted by k)")
    train_sample: int | None = Field(
        None, ge=10, description="train on a seeded random sample of this many stories of the "
        "training file (every k it holds), e.g. for a reduced-budget benchmark",
    )
    max_test_examples: int | None = Field(None, ge=1, description="per test file")

    def resolve(self, path: str | Path) -> Path:
        """A config path: kept when absolute or existing, otherwise under ``root``."""
        return resolve_data_path(path, self.root or default_data_root(), keep_existing=True)


class EncoderConfig(StrictModel):
    """The language model (frozen; its features are computed once and cached)."""

    name: str = "all-MiniLM-L6-v2"
    max_length: int = Field(256, ge=8, description="tokens per text; longer texts are truncated")
    batch_size: int = Field(64, ge=1)
    cache_dir: str | None = Field("runs/.feature_cache", description="null disables the cache")
    rename_people: bool = Field(
        True, description="the LM reads each person under a random stand-in name of the same "
        "gender, so no name-specific shortcut can be learned (CLUTRR tests use unseen names)",
    )
    freeze: FreezeConfig = Field(default_factory=FreezeConfig)

    @field_validator("freeze")
    @classmethod
    def _only_frozen(cls, value: FreezeConfig) -> FreezeConfig:
        if value.policy != "all":
            raise ValueError(
                "the clutrr task caches frozen LM features; set encoder.freeze.policy: all"
            )
        return value


class GraphConfig(StrictModel):
    """Which graph the reasoner sees: the dataset's (gold), the extractor's, or none (LM only)."""

    source: Literal["gold", "extracted", "none"] = "extracted"
    window: int = Field(2, ge=1, description="sentences per extraction window")
    edge_threshold: float = Field(0.5, gt=0, lt=1)
    train_graphs: Literal["extracted", "heldout_folds"] = Field(
        "extracted", description="the training stories' graphs: extracted by the extractor "
        "trained on them (almost clean), or heldout_folds: K-fold, each fold extracted by an "
        "extractor trained on the other folds (as noisy as unseen stories; for fusion)",
    )
    folds: int = Field(2, ge=2, le=10, description="K of train_graphs: heldout_folds")


class ExtractorConfig(StrictModel):
    """The mention-pair kinship classifier trained on gold story edges."""

    checkpoint: str | None = Field(
        None, description="reuse the extractor of this run directory (its extractor/ folder) "
        "instead of training one",
    )
    kind: Literal["roles", "markers"] = Field(
        "roles", description="roles: role embeddings on cached LM states; markers: typed entity "
        "markers in the input, the LM fine-tuned per pair (extraction.supervised.pair_model)",
    )
    max_length: int = Field(128, ge=16, description="markers: tokens of a window before marking")
    max_train_stories: int | None = Field(
        None, ge=10, description="markers: train on this many training stories (seeded sample)",
    )
    hidden: int = Field(128, ge=8)
    heads: int = Field(4, ge=1)
    context_tokens: int | None = Field(
        None, ge=0, description="attend only to the pair's span +- this many tokens "
        "(null: the whole window)",
    )
    layers: int = Field(
        0, ge=0, le=6, description="trainable transformer layers reading the marked tokens "
        "(0: the frozen token states are pooled directly)",
    )
    freeze: FreezeConfig = Field(
        default_factory=FreezeConfig,
        description="all: read cached frozen LM states; top_k: fine-tune the LM's top k blocks "
        "(at training.encoder_lr) on cached outputs of the frozen blocks below",
    )
    dropout: float = Field(0.1, ge=0, lt=1)
    training: OptimConfig = Field(
        default_factory=lambda: OptimConfig(lr=1e-3, epochs=6, batch_size=64, patience=2)
    )

    @model_validator(mode="after")
    def _cached_bottom(self) -> ExtractorConfig:
        value = self.freeze
        if self.kind == "markers":
            if value.policy == "all" or (value.policy == "top_k" and value.top_k < 1):
                raise ValueError("the marker extractor fine-tunes the LM: use freeze policy none "
                                 "(all layers) or top_k with top_k >= 1")
            return self
        if value.policy == "none" or (value.policy == "top_k" and value.top_k < 1):
            raise ValueError(
                "the kinship extractor reads cached LM states: use policy all, or top_k with "
                "top_k >= 1 (top_k = the number of layers fine-tunes the whole stack)"
            )
        return self

    def state_layer(self, num_layers: int) -> int | None:
        """After how many LM layers the cached token states are taken (None: the last; the
        marker extractor reads no cached states)."""
        if self.kind == "markers":
            return None
        return num_layers - self.freeze.top_k if self.freeze.policy == "top_k" else None


class ModelConfig(StrictModel):
    """The reasoner: graph encoder and fusion are chosen by registered name."""

    graph_encoder: str | None = "path_composition"
    graph_hidden: int = Field(64, ge=4)
    graph_layers: int = Field(2, ge=1)
    graph_encoder_options: dict[str, float | str] = Field(
        default_factory=dict,
        description="extra encoder arguments, e.g. {sharpness: 20, walk: shortest}"
    )
    use_text: bool = True
    fusion: str = "gated"
    graph_checkpoint: str | None = Field(
        None, description="a clutrr run directory whose trained graph part (e.g. the "
        "gnn_extracted run's) this model starts from and keeps frozen; with fusion "
        "evidence_gate the fused model is then exactly that graph reasoner wherever the gate "
        "closes",
    )
    hidden: int = Field(128, ge=4)
    dropout: float = Field(0.1, ge=0, lt=1)

    @field_validator("graph_encoder")
    @classmethod
    def _known_encoder(cls, value: str | None) -> str | None:
        from kg_reasoner.models.reasoner import GRAPH_MODELS

        if value is None:
            return None
        if value.lower() not in GRAPH_MODELS:  # case-insensitive, as the resolver is
            raise ValueError(f"unknown graph encoder {value!r}; choose {sorted(GRAPH_MODELS)}")
        return value.lower()

    @model_validator(mode="after")
    def _typed_encoder_options(self) -> ModelConfig:
        """A misspelt or mistyped encoder option is a ConfigError naming the valid keys."""
        from kg_reasoner.models.reasoner import graph_model_options

        if self.graph_encoder is not None:
            graph_model_options(self.graph_encoder, self.graph_encoder_options)
        return self

    @field_validator("fusion")
    @classmethod
    def _known_fusion(cls, value: str) -> str:
        from kg_reasoner.models.fusion import FUSIONS, OUTPUT_FUSIONS

        known = {**FUSIONS, **OUTPUT_FUSIONS}
        if value.lower() not in known:  # case-insensitive, as the resolver is
            raise ValueError(f"unknown fusion {value!r}; choose {sorted(known)}")
        return value.lower()

    @model_validator(mode="after")
    def _output_fusion_needs_scores(self) -> ModelConfig:
        if self.fusion == "evidence_gate" and (self.graph_encoder != "path_composition"
                                               or not self.use_text):
            raise ValueError("fusion evidence_gate mixes the path reasoner's class scores with a "
                             "text classifier's: it needs graph_encoder: path_composition and "
                             "use_text: true")
        if self.graph_checkpoint is not None and self.graph_encoder is None:
            raise ValueError("model.graph_checkpoint needs a model.graph_encoder")
        return self


class ClutrrConfig(StrictModel):
    """A CLUTRR relation-classification experiment."""

    task: Literal["clutrr"] = "clutrr"
    output_dir: str
    data: DataConfig = Field(default_factory=DataConfig)
    encoder: EncoderConfig = Field(default_factory=EncoderConfig)
    graph: GraphConfig = Field(default_factory=GraphConfig)
    extractor: ExtractorConfig = Field(default_factory=ExtractorConfig)
    model: ModelConfig = Field(default_factory=ModelConfig)
    training: OptimConfig = Field(
        default_factory=lambda: OptimConfig(lr=3e-3, epochs=8, batch_size=32, patience=3)
    )
    evaluate_tests: bool = Field(True, description="score every test file after training")
    progress: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> ClutrrConfig:
        no_graph = self.graph.source == "none"
        if no_graph != (self.model.graph_encoder is None):
            raise ValueError(
                "graph.source: none goes with model.graph_encoder: null (LM only), and a graph "
                "source (gold/extracted) needs a model.graph_encoder"
            )
        if no_graph and not self.model.use_text:
            raise ValueError("with graph.source: none the model must use the text (use_text)")
        return self
