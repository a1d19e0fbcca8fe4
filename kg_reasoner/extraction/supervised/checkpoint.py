"""Building, saving and loading the extractor as plain files (safetensors + JSON, no pickles).

A run directory holds ``model.safetensors`` (encoder and heads), ``config.json`` (``task``,
``model`` settings, training summary), ``vocab.json`` (label vocabularies), ``encoder/config.json``
(the Hugging Face architecture) and ``tokenizer/`` (the tokenizer files). It is self-contained:
loading never reads the original encoder path. With ``model.relation_model: markers`` the
typed-marker relation model is a second checkpoint of the same shape under ``relation/``
(its tokenizer holds the marker tokens).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from kg_reasoner.errors import ModelLoadError
from kg_reasoner.extraction.supervised.config import ExtractorModelConfig
from kg_reasoner.extraction.supervised.encoding import WordPieceAligner
from kg_reasoner.extraction.supervised.markers import MarkerTokenizer
from kg_reasoner.extraction.supervised.model import SpanRelationModel
from kg_reasoner.extraction.supervised.pair_model import MarkedPairModel
from kg_reasoner.extraction.supervised.spacy_features import SpacyNerTagger
from kg_reasoner.extraction.supervised.vocab import LabelVocab
from kg_reasoner.models.text_encoder import load_tokenizer_and_model
from kg_reasoner.training.checkpoint import load_model, save_model

ENCODER_DIR = "encoder"
TOKENIZER_DIR = "tokenizer"
RELATION_DIR = "relation"
RELATION_KIND = "marked_pair_relations"


def new_model(
    encoder,  # type: ignore[no-untyped-def]
    vocab: LabelVocab,
    config: ExtractorModelConfig,
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
    relation_model: MarkedPairModel | None = None,
) -> Path:
    """Write a self-contained run directory (``extra`` goes into config.json), with the
    marker relation model under ``relation/`` when given."""
    directory = Path(directory)
    payload = {"task": "extraction", "model": config.model_dump(), **(extra or {})}
    save_model(directory, model.state_dict(), payload, vocab.to_dict())
    model.encoder.config.save_pretrained(str(directory / ENCODER_DIR))
    aligner.tokenizer.save_pretrained(str(directory / TOKENIZER_DIR))
    if relation_model is not None:
        save_model(
            directory / RELATION_DIR,
            relation_model.state_dict(),
            relation_payload(config),
            relation_vocab(relation_model, vocab),
        )
        save_relation_files(directory, relation_model)
    return directory


def new_relation_model(
    encoder,  # type: ignore[no-untyped-def]
    tokenizer,  # type: ignore[no-untyped-def]
    vocab: LabelVocab,
    config: ExtractorModelConfig,
    *,
    freeze: str = "none",
    top_k: int = 0,
) -> MarkedPairModel:
    """The typed-marker relation model on ``encoder``; ``tokenizer`` gets one start and end
    marker per role and entity type of ``vocab``."""
    settings = config.markers
    limit = int(getattr(encoder.config, "max_position_embeddings", settings.max_length + 4))
    if settings.max_length + 4 > limit:
        raise ModelLoadError(
            f"model.markers.max_length={settings.max_length} plus 4 markers exceeds the "
            f"encoder's {limit} positions; set model.markers.max_length to at most {limit - 4}"
        )
    if not getattr(tokenizer, "is_fast", False):
        raise ModelLoadError(
            "model.relation_model markers needs a fast tokenizer (character offsets); use an "
            "encoder that has a tokenizer.json"
        )
    marker = MarkerTokenizer(tokenizer, vocab.entity_types[1:], max_length=settings.max_length)
    return MarkedPairModel(
        encoder,
        marker,
        num_labels=1 + len(vocab.relation_types),
        hidden=settings.hidden,
        dropout=settings.dropout,
        freeze=freeze,
        top_k=top_k,
    )


def build_relation_model(
    config: ExtractorModelConfig, vocab: LabelVocab, *, freeze: str = "none", top_k: int = 0
) -> MarkedPairModel:
    """A fresh relation model on the pretrained encoder of ``model.markers.encoder`` (default:
    ``model.encoder``), frozen as asked."""
    tokenizer, encoder = load_tokenizer_and_model(config.markers.encoder or config.encoder)
    return new_relation_model(encoder, tokenizer, vocab, config, freeze=freeze, top_k=top_k)


def relation_payload(config: ExtractorModelConfig, **extra: Any) -> dict[str, Any]:
    """``relation/config.json``: what the relation model is."""
    return {"kind": RELATION_KIND, "markers": config.markers.model_dump(), **extra}


def relation_vocab(model: MarkedPairModel, vocab: LabelVocab) -> dict[str, Any]:
    """``relation/vocab.json``: its labels (0 is "none") and its marker tokens."""
    return {
        "labels": ["none", *vocab.relation_types],
        "markers": model.marker_tokenizer.vocab.tokens,
    }


def save_relation_files(directory: str | Path, model: MarkedPairModel) -> None:
    """The relation model's encoder architecture and its tokenizer (markers included)."""
    where = Path(directory) / RELATION_DIR
    model.encoder.config.save_pretrained(str(where / ENCODER_DIR))
    model.marker_tokenizer.tokenizer.save_pretrained(str(where / TOKENIZER_DIR))


def load_relation_model(
    directory: str | Path, vocab: LabelVocab, config: ExtractorModelConfig
) -> MarkedPairModel:
    """The trained relation model of a ``relation_model: markers`` run directory."""
    where = Path(directory) / RELATION_DIR
    if not (where / "model.safetensors").is_file():
        raise ModelLoadError(
            f"{directory} uses model.relation_model markers but has no trained relation model "
            f"in {where}: run `kgr train` on its config again (it resumes and trains it)"
        )
    state, payload, _ = load_model(where)
    if payload.get("kind") != RELATION_KIND:
        raise ModelLoadError(
            f"{where} holds no marker relation model (kind {payload.get('kind')!r})"
        )
    try:
        encoder, tokenizer = _encoder_files(where)
    except (ValueError, OSError) as exc:
        raise ModelLoadError(
            f"relation model in {where} is incomplete or unreadable: {exc}"
        ) from exc
    model = new_relation_model(encoder, tokenizer, vocab, config)
    _load_weights(model, state, where, "the relation model")
    return model.eval()


def _encoder_files(where: Path):  # type: ignore[no-untyped-def]
    """An untrained encoder of the saved architecture and the saved tokenizer, offline."""
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    hf_config = AutoConfig.from_pretrained(str(where / ENCODER_DIR), local_files_only=True)
    tokenizer = AutoTokenizer.from_pretrained(str(where / TOKENIZER_DIR), local_files_only=True)
    return AutoModel.from_config(hf_config), tokenizer


def _load_weights(model: Any, state: dict[str, Any], where: Path, what: str) -> None:
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise ModelLoadError(
            f"weights in {where} do not match {what}: missing {missing[:5]}, "
            f"unexpected {unexpected[:5]}; retrain with this version of kg_reasoner"
        )


def load_extractor(
    directory: str | Path,
) -> tuple[SpanRelationModel, WordPieceAligner, LabelVocab, ExtractorModelConfig, dict[str, Any]]:
    """Load ``(model, aligner, vocab, model config, full config.json)`` from a run directory."""
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
        encoder, tokenizer = _encoder_files(directory)
    except (KeyError, ValueError, OSError) as exc:
        raise ModelLoadError(
            f"extractor in {directory} is incomplete or unreadable: {exc}"
        ) from exc
    model = new_model(encoder, vocab, config)
    _load_weights(model, state, directory, "the model")
    model.eval()
    tagger = SpacyNerTagger(config.spacy_ner, tags=vocab.feature_tags) if config.spacy_ner else None
    aligner = WordPieceAligner(tokenizer, max_length=config.max_length, tagger=tagger)
    return model, aligner, vocab, config, payload
