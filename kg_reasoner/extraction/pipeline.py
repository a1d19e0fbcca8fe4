"""Documents -> parsed chunks -> mentions and relations, in one process or several.

spaCy parses paragraph chunks in batches (``nlp.pipe``); the extractor reads the parsed chunks;
results are shifted to document offsets. With ``workers > 1`` each worker process loads the
pipeline once and handles whole batches of documents, so extraction runs in parallel too.
A document whose processing raises is reported as failed; the others go on.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any

from kg_reasoner.corpus.document import Document
from kg_reasoner.extraction.base import Extraction, Extractor, Mention, RelationMention
from kg_reasoner.extraction.chunking import Chunk, chunk_text
from kg_reasoner.extraction.spacy_loader import load_spacy

EXTRACTION_VERSION = "7"


@dataclass
class ProcessedDocument:
    """One document's extraction in document offsets (or the error that stopped it)."""

    document: Document
    sentences: list[tuple[int, int]] = field(default_factory=list)
    sentence_paragraph: list[int] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    relations: list[RelationMention] = field(default_factory=list)
    error: str | None = None


def load_extractor(spec: str) -> Extractor:
    """``rules`` gives the dependency-rule extractor; a directory gives a trained extractor."""
    if spec in {"rules", "rules-v1", "rules-v2"}:
        from kg_reasoner.extraction.rules import RuleExtractor

        return RuleExtractor()
    from kg_reasoner.errors import ModelLoadError

    if not Path(spec).is_dir():
        raise ModelLoadError(
            f"unknown extractor {spec!r}: use 'rules' or the directory of a trained extractor "
            "(`kgr train configs/conll04_extractor.yaml` writes one)"
        )
    try:
        from kg_reasoner.extraction.supervised import SupervisedExtractor
    except ImportError as exc:
        raise ModelLoadError(f"the trained extractor is not available: {exc}") from exc
    return SupervisedExtractor.from_directory(spec)


def pipeline_fingerprint(spacy_model: str, extractor: str) -> str:
    """A short hash of what decides the extraction: spaCy model and version, extractor, code.

    Computed without loading any model, so a re-run over unchanged documents stays instant.
    """
    parts = [spacy_model, _model_version(spacy_model), extractor, EXTRACTION_VERSION]
    path = Path(extractor)
    if path.is_dir():
        for name in sorted(p.name for p in path.iterdir() if p.is_file()):
            stat = (path / name).stat()
            parts.append(f"{name}:{stat.st_size}:{int(stat.st_mtime)}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _model_version(spacy_model: str) -> str:
    meta = Path(spacy_model) / "meta.json"
    if meta.is_file():
        return hashlib.sha256(meta.read_bytes()).hexdigest()[:12]
    try:
        return metadata.version(spacy_model.replace("_", "-"))
    except metadata.PackageNotFoundError:
        return "unknown"


class ExtractionPipeline:
    """spaCy + an extractor, applied to batches of documents."""

    def __init__(
        self,
        spacy_model: str,
        extractor: str = "rules",
        *,
        batch_size: int = 64,
        max_chunk_chars: int = 20_000,
    ) -> None:
        self.spacy_model = spacy_model
        self.extractor_spec = extractor
        self.batch_size = batch_size
        self.max_chunk_chars = max_chunk_chars
        self.nlp = load_spacy(spacy_model)
        self.extractor = load_extractor(extractor)
        max_len = getattr(self.nlp, "max_length", 1_000_000)
        self.max_chunk_chars = min(max_chunk_chars, max_len)

    @property
    def fingerprint(self) -> str:
        """Changes when the pipeline would extract differently (model, extractor, version)."""
        return pipeline_fingerprint(self.spacy_model, self.extractor_spec)

    @property
    def extractor_name(self) -> str:
        return self.extractor.name

    def process(self, documents: list[Document]) -> list[ProcessedDocument]:
        """Extract a batch; if it fails, retry document by document to isolate the bad one."""
        try:
            return self._process(documents)
        except Exception:  # any failure inside spaCy or an extractor is isolated per document
            results = []
            for doc in documents:
                try:
                    results.extend(self._process([doc]))
                except Exception as exc:
                    results.append(ProcessedDocument(doc, error=f"{type(exc).__name__}: {exc}"))
            return results

    def _process(self, documents: list[Document]) -> list[ProcessedDocument]:
        chunks: list[tuple[int, Chunk]] = [
            (i, c)
            for i, d in enumerate(documents)
            for c in chunk_text(d.text, self.max_chunk_chars)
        ]
        parsed = list(self.nlp.pipe((c.text for _, c in chunks), batch_size=self.batch_size))
        extractions = self.extractor.extract(parsed) if parsed else []
        results = [ProcessedDocument(d) for d in documents]
        for (doc_index, chunk), spacy_doc, extraction in zip(
            chunks, parsed, extractions, strict=True
        ):
            _merge_chunk(results[doc_index], chunk, spacy_doc, extraction)
        return results


def _merge_chunk(result: ProcessedDocument, chunk: Chunk, doc: Any, extraction: Extraction) -> None:
    sent_base, mention_base, off = len(result.sentences), len(result.mentions), chunk.offset
    for sent in doc.sents:
        result.sentences.append((off + sent.start_char, off + sent.end_char))
        result.sentence_paragraph.append(chunk.paragraph)
    if off == sent_base == mention_base == 0:  # a document's first chunk: nothing to shift
        result.mentions.extend(extraction.mentions)
        result.relations.extend(extraction.relations)
        return
    for m in extraction.mentions:
        result.mentions.append(
            replace(m, start=m.start + off, end=m.end + off, sentence=m.sentence + sent_base)
        )
    for r in extraction.relations:
        result.relations.append(
            RelationMention(
                r.head + mention_base, r.tail + mention_base, r.label, r.confidence,
                r.sentence + sent_base,
            )
        )  # fmt: skip


# -- multiprocessing ----------------------------------------------------------------------------
_WORKER: ExtractionPipeline | None = None


def _init_worker(spacy_model: str, extractor: str, batch_size: int, max_chunk_chars: int) -> None:
    global _WORKER
    _WORKER = ExtractionPipeline(
        spacy_model, extractor, batch_size=batch_size, max_chunk_chars=max_chunk_chars
    )
    torch = sys.modules.get("torch")  # loaded by a trained extractor; rules never need it
    if torch is not None:
        torch.set_num_threads(1)  # the processes share the cores


def _work(documents: list[Document]) -> list[ProcessedDocument]:
    assert _WORKER is not None
    return _WORKER.process(documents)


def process_documents(
    pipeline: ExtractionPipeline,
    batches: Iterable[list[Document]],
    *,
    workers: int = 1,
) -> Iterator[list[ProcessedDocument]]:
    """Process document batches in order, in this process or in ``workers`` processes."""
    if workers <= 1:
        for batch in batches:
            yield pipeline.process(batch)
        return
    ctx = mp.get_context("spawn")
    args = (
        pipeline.spacy_model,
        pipeline.extractor_spec,
        pipeline.batch_size,
        pipeline.max_chunk_chars,
    )
    with ctx.Pool(workers, initializer=_init_worker, initargs=args) as pool:
        yield from pool.imap(_work, batches)
