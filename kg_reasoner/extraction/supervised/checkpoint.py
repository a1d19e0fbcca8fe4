"""Building, saving and loading the extractor as plain files (safetensors + JSON, no pickles).

A run directory holds ``model.safetensors`` (encoder and heads), ``config.json`` (``task``,
``model`` settings, training summary), ``vocab.json`` (label vocabularies), ``encoder/config.json``
(the Hugging Face architecture) and ``tokenizer/`` (the tokenizer files). It is self-contained:
loading never reads the original encoder path.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from kg_reasoner.errors import ModelLoadError
from kg_reasoner.extraction.supervised.config import ExtractorModelConfig
from kg_reasoner.extraction.supervised.encoding import WordPieceAligner
from kg_reasoner.extraction.supervised.model import SpanRelationModel
from kg_reasoner.extraction.supervised.spacy_features import SpacyNerTagger
from kg_reasoner.extraction.supervised.vocab import LabelVocab
from kg_reasoner.models.text_encoder import load_tokenizer_and_model
from kg_reasoner.training.checkpoint import load_model, save_model

ENCODER_DIR = "encoder"
TOKENIZER_DIR = "tokenizer"


def new_model(
    encoder, vocab: LabelVocab, config: ExtractorModelConfig  # type: ignore[no-untyped-def]
) -> SpanRelationModel:
    """Task heads sized from the vocabularies on top of ``encoder``."""
    return SpanRelationModel(
        encoder,
        num_entity_labels=len(vocab.entity_types),
        num_relation_labels=len(vocab.relation_types),
        max_span_width=config.max_span_width,
        width_dim=config.width_dim,
        shape_dim=config.shape_dim,
        dropout=config.dropout,
        span_endpoints=config.span_endpoints,
        num_tags=len(vocab.feature_tags),
        tag_dim=config.tag_dim,
    )


def build_extractor(
    config: ExtractorModelConfig, vocab: LabelVocab
) -> tuple[SpanRelationModel, WordPieceAligner, LabelVocab]:
    """A fresh model on the pretrained encoder named in ``config`` (vocab gains tag names)."""
    tokenizer, encoder = load_tokenizer_and_model(config.encoder)
    tagger = SpacyNerTagger(config.spacy_ner) if config.spacy_ner else None
    if tagger is not None:
        vocab = replace(vocab, feature_tags=tagger.tags)
    limit = int(getattr(encoder.config, "max_position_embeddings", config.max_length))
    if config.max_length > limit:
        raise ModelLoadError(
            f"model.max_length={config.max_length} exceeds the encoder's {limit} positions; "
            f"set model.max_length to at most {limit}"
        )
    aligner = WordPieceAligner(tokenizer, max_length=config.max_length, tagger=tagger)
    return new_model(encoder, vocab, config), aligner, vocab


def save_extractor(
    directory: str | Path,
    model: SpanRelationModel,
    aligner: WordPieceAligner,
    vocab: LabelVocab,
    config: ExtractorModelConfig,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Write a self-contained run directory (``extra`` goes into config.json)."""
    directory = Path(directory)
    payload = {"task": "extraction", "model": config.model_dump(), **(extra or {})}
    save_model(directory, model.state_dict(), payload, vocab.to_dict())
    model.encoder.config.save_pretrained(str(directory / ENCODER_DIR))
    aligner.tokenizer.save_pretrained(str(directory / TOKENIZER_DIR))
    return directory


def load_extractor(
    directory: str | Path,
) -> tuple[SpanRelationModel, WordPieceAligner, LabelVocab, ExtractorModelConfig, dict[str, Any]]:
    """Load ``(model, aligner, vocab, model config, full config.json)`` from a run directory."""
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    directory = Path(directory)
    state, payload, vocab_data = load_model(directory)
    if payload.get("task") != "extraction":
        raise ModelLoadError(
            f"{directory} holds a {payload.get('task')!r} model, not an extractor "
            "(train one with `kgr train configs/conll04_extractor.yaml`)"
        )
    try:
        config = ExtractorModelConfig.model_validate(payload["model"])
        vocab = LabelVocab.from_dict(vocab_data)
        hf_config = AutoConfig.from_pretrained(str(directory / ENCODER_DIR), local_files_only=True)
        tokenizer = AutoTokenizer.from_pretrained(
            str(directory / TOKENIZER_DIR), local_files_only=True
        )
    except (KeyError, ValueError, OSError) as exc:
        raise ModelLoadError(
            f"extractor in {directory} is incomplete or unreadable: {exc}"
        ) from exc
    model = new_model(AutoModel.from_config(hf_config), vocab, config)
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise ModelLoadError(
            f"weights in {directory} do not match the model: missing {missing[:5]}, "
            f"unexpected {unexpected[:5]}; retrain with this version of kg_reasoner"
        )
    model.eval()
    tagger = (
        SpacyNerTagger(config.spacy_ner, tags=vocab.feature_tags) if config.spacy_ner else None
    )
    aligner = WordPieceAligner(tokenizer, max_length=config.max_length, tagger=tagger)
    return model, aligner, vocab, config, payload
