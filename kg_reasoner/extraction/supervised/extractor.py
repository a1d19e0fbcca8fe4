"""The trained extractor behind ``kgr build --extractor DIR``.

spaCy supplies sentences and tokens; the model supplies typed entities and relations. All
sentences of all documents are predicted in length-sorted batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kg_reasoner.extraction.base import Extraction, Mention, RelationMention
from kg_reasoner.extraction.supervised.checkpoint import load_extractor
from kg_reasoner.extraction.supervised.predictor import ExtractorPredictor, SentencePrediction

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


class SupervisedExtractor:
    """An :class:`~kg_reasoner.extraction.base.Extractor` backed by a trained span model."""

    def __init__(self, predictor: ExtractorPredictor, *, name: str) -> None:
        self.predictor = predictor
        self.name = name

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
        return cls(predictor, name=f"{label}@{path.resolve().name}")

    def predict_tokens(self, sentences: Sequence[Sequence[str]]) -> list[SentencePrediction]:
        """Predictions for pre-tokenized sentences (token offsets)."""
        return self.predictor.predict(sentences)

    def extract(self, docs: list[Doc]) -> list[Extraction]:
        """One :class:`Extraction` per ``Doc``; offsets are characters in ``doc.text``."""
        units: list[tuple[int, int, list[Token]]] = []  # (doc index, sentence index, tokens)
        for d, doc in enumerate(docs):
            for s, sent in enumerate(sentences_of(doc)):
                tokens = [t for t in sent if not t.is_space]
                if tokens:
                    units.append((d, s, tokens))
        predictions = self.predictor.predict([[t.text for t in toks] for _, _, toks in units])
        results = [Extraction() for _ in docs]
        for (d, s, tokens), pred in zip(units, predictions, strict=True):
            _add_sentence(results[d], docs[d], s, tokens, pred)
        return results


def sentences_of(doc: Doc) -> list[Span]:
    """The doc's sentences, or the whole doc as one sentence when it has no boundaries."""
    if doc.has_annotation("SENT_START"):
        return list(doc.sents)
    return [doc[:]]


def _add_sentence(
    out: Extraction, doc: Doc, sentence: int, tokens: list[Token], pred: SentencePrediction
) -> None:
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
