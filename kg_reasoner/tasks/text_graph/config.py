"""Config sections shared by ``classification`` and ``multiple_choice``.

``graph: null`` trains the language model alone (the classic fine-tuning recipe, the LM-only
ablation); ``graph: {source: wordnet | <kgr build dir> | <s|r|o file>, hops, max_nodes, prune}``
fuses a GNN over the subgraph retrieved for each text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from kg_reasoner.config import StrictModel
from kg_reasoner.data_paths import default_data_root, resolve_data_path
from kg_reasoner.training.config import FreezeConfig, OptimConfig

FUSION_CHOICES = ("concat", "gated", "qagnn_context_node", "greaselm_interaction")


class TextEncoderConfig(StrictModel):
    """The language model: fine-tuned by the freezing policy; it also embeds node labels
    (frozen, cached in ``cache_dir``) as the GNN's node features."""

    name: str = Field("all-MiniLM-L6-v2", description="Hugging Face id or local path")
    max_length: int = Field(128, ge=8, description="tokens per text (question + choice)")
    pooling: Literal["mean", "cls"] = "mean"
    freeze: FreezeConfig = Field(default_factory=lambda: FreezeConfig(policy="none"))
    batch_size: int = Field(64, ge=1, description="texts per batch when evaluating / embedding")
    cache_dir: str | None = Field(
        "runs/.feature_cache", description="node-label features; null disables the cache"
    )


class GraphConfig(StrictModel):
    """The knowledge graph and how a subgraph is retrieved for each text."""

    source: str = Field(
        ..., description="wordnet, a `kgr build` graph directory, or a subject|relation|object file"
    )
    hops: int = Field(2, ge=0)
    max_nodes: int = Field(64, ge=1, description="nodes kept per subgraph after pruning")
    prune: str = Field("ppr", description="how a subgraph is cut to max_nodes (the retriever's)")
    expand: Literal["paths", "neighbourhood"] = Field(
        "paths",
        description="paths: nodes on question-choice paths within hops (QA-GNN); "
        "neighbourhood: the hops-neighbourhood of the grounded nodes",
    )
    node_text: Literal["label", "description"] = Field(
        "label",
        description="what a node's features embed: its label, or its label and the "
        "graph's description of it (a WordNet gloss: 'bank: sloping land beside a river')",
    )
    text_descriptions: bool = Field(
        False,
        description="the LM also reads the graph's description of each choice's first "
        "grounded node that has one ('bank: sloping land beside a body of water'), after the "
        "choice (multiple choice only)",
    )
    cache_dir: str | None = Field(
        None,
        description="converted graphs and retrieved subgraphs (default: the "
        "retriever's, runs/.kg_cache)",
    )

    def resolved_source(self) -> str:
        """``wordnet`` (``wordnet:DIR``) unchanged; a path kept when it exists, else under the
        data root."""
        if self.source.lower().startswith("wordnet"):  # wordnet or wordnet:DIR
            return self.source
        return str(resolve_data_path(self.source, default_data_root(), keep_existing=True))


class ScorerConfig(StrictModel):
    """The graph encoder (a registered one: rgcn or gat) and the fusion with the LM."""

    graph_encoder: Literal["rgcn", "gat"] = "rgcn"
    graph_hidden: int = Field(64, ge=4)
    graph_layers: int = Field(2, ge=1)
    graph_encoder_options: dict[str, float | str] = Field(
        default_factory=dict, description="extra encoder arguments, e.g. {heads: 2} for gat"
    )
    fusion: Literal["concat", "gated", "qagnn_context_node", "greaselm_interaction"] = "gated"
    interaction_layers: int = Field(
        2, ge=1, description="greaselm_interaction: top LM blocks that exchange with the GNN"
    )
    hidden: int = Field(128, ge=4)
    dropout: float = Field(0.1, ge=0, lt=1)

    @model_validator(mode="after")
    def _typed_encoder_options(self) -> ScorerConfig:
        from kg_reasoner.models.reasoner import graph_model_options

        graph_model_options(self.graph_encoder, self.graph_encoder_options)
        return self


class AdversarialConfig(StrictModel):
    """Adversarial training on the word embeddings (``fgm``: the fast gradient method)."""

    method: Literal["fgm"] = "fgm"
    epsilon: float = Field(1.0, gt=0, description="norm of the perturbation per example")


class TextTrainingConfig(OptimConfig):
    """``training:``: the shared optimiser block (``lr`` for the task layers, ``encoder_lr``
    for the LM) plus optional adversarial training."""

    adversarial: AdversarialConfig | None = None


def text_training_defaults() -> TextTrainingConfig:
    """The BERT fine-tuning recipe: AdamW, 10% warm-up, linear decay, small LM learning rate."""
    return TextTrainingConfig(
        lr=1e-3, encoder_lr=3e-5, epochs=3, batch_size=16, patience=2, warmup_ratio=0.1
    )


def resolve_file(path: str | None, root: str | None) -> Path | None:
    """A data path of a config: kept when absolute or existing, otherwise under ``root``."""
    if path is None:
        return None
    return resolve_data_path(path, root or default_data_root(), keep_existing=True)
