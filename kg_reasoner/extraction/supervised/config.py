"""Architecture and decoding settings of the supervised extractor (``model:`` in a config)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kg_reasoner.config import StrictModel
from kg_reasoner.models.text_encoder import DEFAULT_ENCODER


class MarkerRelationConfig(StrictModel):
    """The typed-marker relation model (``model.relation_model: markers``): its own encoder
    reads each pair of predicted entities marked in the sentence (``model.markers``)."""

    encoder: str | None = Field(
        None, description="HF id or local path of its encoder (None: the same as model.encoder)"
    )
    max_length: int = Field(
        256, ge=8, description="subword tokens of the sentence before the 4 markers per pair"
    )
    hidden: int = Field(256, ge=1, description="hidden size of the pair classifier")
    dropout: float = Field(0.1, ge=0, lt=1)
    threshold: float = Field(
        0.5,
        gt=0,
        lt=1,
        description="keep a pair's most probable allowed relation when the probability that "
        "it holds any allowed relation reaches this",
    )


class ExtractorModelConfig(StrictModel):
    """What the saved model is; stored in the checkpoint's ``config.json`` under ``model``."""

    encoder: str = Field(DEFAULT_ENCODER, description="HF id, local path or the packaged default")
    max_length: int = Field(
        256, ge=8, description="subword tokens per encoder window; longer sentences slide"
    )
    max_span_width: int = Field(10, ge=1, description="longest entity considered, in words")
    width_dim: int = Field(25, ge=1, description="size of the span-width embedding")
    shape_dim: int = Field(16, ge=0, description="size of the word-shape embedding; 0 disables")
    spacy_ner: str | None = Field(
        None, description="spaCy pipeline whose NER tags are word features (None: no spaCy)"
    )
    tag_dim: int = Field(16, ge=1, description="size of the spaCy NER tag embedding")
    span_endpoints: bool = Field(
        True, description="add the span's first and last word vectors (sharper boundaries)"
    )
    dropout: float = Field(0.1, ge=0, lt=1)
    relation_model: Literal["span", "markers"] = Field(
        "span",
        description="span: the span model's pair head; markers: a second model reads each pair "
        "of predicted entities with typed markers in its input (model.markers)",
    )
    markers: MarkerRelationConfig = MarkerRelationConfig()
    relation_threshold: float = Field(
        0.4, gt=0, lt=1, description="sigmoid cut-off of the span relation head"
    )
    use_signatures: bool = Field(
        True,
        description="drop relations whose argument types never occurred with them in training "
        "(markers: such pairs are not even read)",
    )
    unit: Literal["sentence", "text"] = Field(
        "sentence",
        description="what one prediction reads: a sentence, or a whole short text (a spaCy "
        "chunk) so that relations may cross sentences (WebNLG)",
    )
    value_types: list[str] = Field(
        default_factory=list,
        description="entity types emitted as literal values (parse_value, else an xsd:string)",
    )
    link_names: bool = Field(
        True, description="label spans with the canonical names training tied them to"
    )
