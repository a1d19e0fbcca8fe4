"""The trained extractor behind ``kgr build --extractor DIR``.

spaCy supplies sentences and tokens; the model supplies typed entities and relations. All
sentences of all documents are predicted in length-sorted batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg_reasoner.extraction.base import Extraction, Mention, RelationMention
from kg_reasoner.extraction.supervised.checkpoint import load_extractor
from kg_reasoner.extraction.supervised.predictor import ExtractorPredictor, SentencePrediction

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


_EMPTY = SentencePrediction((), ())


@dataclass(frozen=True)
class SentenceResult:
    """A sentence (index in the doc, its non-space tokens) and the model's prediction."""

    sentence: int
    tokens: list[Token]
    prediction: SentencePrediction


class SupervisedExtractor:
    """An :class:`~kg_reasoner.extraction.base.Extractor` backed by a trained span model."""

    def __init__(
        self, predictor: ExtractorPredictor, *, name: str, config: dict | None = None
    ) -> None:
        self.predictor = predictor
        self.name = name
        self.config = config or {}  # the run's config.json

    @classmethod
    def from_directory(
        cls,
        path: str | Path,
        *,
        batch_size: int = 32,
        relation_threshold: float | None = None,
    ) -> SupervisedExtractor:
        """Load a run directory written by ``kgr train`` (task: extraction)."""
        path = Path(path)
        model, aligner, vocab, config, payload = load_extractor(path)
        predictor = ExtractorPredictor(
            model,
            aligner,
            vocab,
            relation_threshold=relation_threshold or config.relation_threshold,
            use_signatures=config.use_signatures,
            batch_size=batch_size,
        )
        label = str(payload.get("name") or "extractor")
        return cls(predictor, name=f"{label}@{path.resolve().name}", config=payload)

    def predict_tokens(self, sentences: Sequence[Sequence[str]]) -> list[SentencePrediction]:
        """Predictions for pre-tokenized sentences (token offsets)."""
        return self.predictor.predict(sentences)

    def predict_docs(self, docs: Sequence[Doc]) -> list[list[SentenceResult]]:
        """Per doc, the prediction of each non-empty sentence (batched across all docs)."""
        units: list[tuple[int, SentenceResult]] = []
        for d, doc in enumerate(docs):
            for s, sent in enumerate(sentences_of(doc)):
                tokens = [t for t in sent if not t.is_space]
                if tokens:
                    units.append((d, SentenceResult(s, tokens, _EMPTY)))
        predictions = self.predictor.predict([[t.text for t in u.tokens] for _, u in units])
        results: list[list[SentenceResult]] = [[] for _ in docs]
        for (d, unit), pred in zip(units, predictions, strict=True):
            results[d].append(SentenceResult(unit.sentence, unit.tokens, pred))
        return results

    def extract(self, docs: list[Doc]) -> list[Extraction]:
        """One :class:`Extraction` per ``Doc``; offsets are characters in ``doc.text``."""
        results = []
        for doc, sentences in zip(docs, self.predict_docs(docs), strict=True):
            extraction = Extraction()
            for unit in sentences:
                _add_sentence(extraction, doc, unit)
            results.append(extraction)
        return results


def sentences_of(doc: Doc) -> list[Span]:
    """The doc's sentences, or the whole doc as one sentence when it has no boundaries."""
    if doc.has_annotation("SENT_START"):
        return list(doc.sents)
    return [doc[:]]


def _add_sentence(out: Extraction, doc: Doc, unit: SentenceResult) -> None:
    tokens, pred, sentence = unit.tokens, unit.prediction, unit.sentence
    offset = len(out.mentions)
    for ent in pred.entities:
        start, end = tokens[ent.start].idx, tokens[ent.end - 1].idx + len(tokens[ent.end - 1])
        out.mentions.append(
            Mention(
                text=doc.text[start:end],
                start=start,
                end=end,
                label=ent.type,
                sentence=sentence,
                confidence=ent.confidence,
            )
        )
    for rel in pred.relations:
        out.relations.append(
            RelationMention(
                head=offset + rel.head,
                tail=offset + rel.tail,
                label=rel.type,
                confidence=rel.confidence,
                sentence=sentence,
            )
        )
