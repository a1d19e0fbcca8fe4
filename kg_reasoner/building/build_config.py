"""Configuration of ``kgr build`` (YAML ``--config`` file and ``--set`` overrides)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kg_reasoner.config import StrictModel
from kg_reasoner.corpus.config import CorpusConfig
from kg_reasoner.extraction.spacy_loader import DEFAULT_SPACY_MODEL


class ExtractionConfig(StrictModel):
    """Which spaCy pipeline and extractor read the text."""

    spacy_model: str = Field(DEFAULT_SPACY_MODEL, description="spaCy package name or path")
    extractor: str = Field("rules", description="'rules' or a trained extractor directory")
    batch_size: int = Field(64, ge=1, description="chunks per nlp.pipe batch")
    max_chunk_chars: int = Field(20_000, ge=200, description="longer paragraphs are split")
    min_confidence: float = Field(0.0, ge=0, le=1, description="drop weaker relations")


class StoreConfig(StrictModel):
    backend: Literal["oxigraph", "memory"] = "oxigraph"


class BuildConfig(StrictModel):
    """Everything ``kgr build`` can be told."""

    corpus: CorpusConfig = Field(default_factory=CorpusConfig)
    extraction: ExtractionConfig = Field(default_factory=ExtractionConfig)
    store: StoreConfig = Field(default_factory=StoreConfig)
    workers: int = Field(1, ge=1, description="extraction processes (Ray actors with engine 'ray')")
    engine: Literal["local", "ray"] = Field(
        "local", description="where extraction runs: this machine's processes, or Ray actors"
    )
    address: str | None = Field(
        None,
        description="engine 'ray': the cluster ('auto', 'ray://host:port'); none starts one here",
    )
    docs_per_batch: int = Field(16, ge=1, description="documents handed to a worker at once")
    commit_every: int = Field(32, ge=1, description="documents per store transaction")
