"""The trained extractor behind ``kgr build --extractor DIR``.

spaCy supplies sentences and tokens; the model supplies typed entities and relations. All
sentences (or, with ``model.unit: text``, whole spaCy chunks) of all documents are predicted in
length-sorted batches. Spans of the model's value types become literal value mentions
(:func:`~kg_reasoner.extraction.values.parse_value`, else an ``xsd:string``); other spans carry
the canonical name training linked their surface form to, when there is one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kg_reasoner.extraction.base import Extraction, Mention, RelationMention
from kg_reasoner.extraction.canonical import clean_label, word_key
from kg_reasoner.extraction.supervised.checkpoint import load_extractor, load_relation_model
from kg_reasoner.extraction.supervised.config import ExtractorModelConfig
from kg_reasoner.extraction.supervised.names import link_name
from kg_reasoner.extraction.supervised.pair_predictor import MarkedRelationPredictor
from kg_reasoner.extraction.supervised.predictor import (
    ExtractorPredictor,
    PredictedEntity,
    SentencePrediction,
)
from kg_reasoner.extraction.values import Value, parse_value

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


_EMPTY = SentencePrediction((), ())


@dataclass(frozen=True)
class SentenceResult:
    """A sentence (index in the doc, its non-space tokens) and the model's prediction.

    With ``model.unit: text`` the unit is a whole chunk; ``sentences`` then gives the sentence
    index of each token (empty: every token is in ``sentence``).
    """

    sentence: int
    tokens: list[Token]
    prediction: SentencePrediction
    sentences: tuple[int, ...] = ()

    def sentence_of(self, token: int) -> int:
        return self.sentences[token] if self.sentences else self.sentence


class SupervisedExtractor:
    """An :class:`~kg_reasoner.extraction.base.Extractor` backed by a trained span model."""

    def __init__(
        self,
        predictor: ExtractorPredictor,
        *,
        name: str,
        config: dict | None = None,
        model_config: ExtractorModelConfig | None = None,
    ) -> None:
        self.predictor = predictor
        self.name = name
        self.config = config or {}  # the run's config.json
        self.model_config = model_config or ExtractorModelConfig()

    @classmethod
    def from_directory(
        cls,
        path: str | Path,
        *,
        batch_size: int = 32,
        relation_threshold: float | None = None,
    ) -> SupervisedExtractor:
        """Load a run directory written by ``kgr train`` (task: extraction), with its marker
        relation model when it has one; ``relation_threshold`` overrides the cut-off of
        whichever model predicts the relations."""
        path = Path(path)
        model, aligner, vocab, config, payload = load_extractor(path)
        stage = None
        if config.relation_model == "markers":
            stage = MarkedRelationPredictor(
                load_relation_model(path, vocab, config),
                vocab,
                threshold=relation_threshold or config.markers.threshold,
                use_signatures=config.use_signatures,
                batch_size=2 * batch_size,
            )
        predictor = ExtractorPredictor(
            model,
            aligner,
            vocab,
            relation_threshold=relation_threshold or config.relation_threshold,
            use_signatures=config.use_signatures,
            batch_size=batch_size,
            relation_stage=stage,
        )
        label = str(payload.get("name") or "extractor")
        return cls(
            predictor, name=f"{label}@{path.resolve().name}", config=payload, model_config=config
        )

    def predict_tokens(self, sentences: Sequence[Sequence[str]]) -> list[SentencePrediction]:
        """Predictions for pre-tokenized sentences (token offsets)."""
        return self.predictor.predict(sentences)

    def predict_docs(self, docs: Sequence[Doc]) -> list[list[SentenceResult]]:
        """Per doc, the prediction of each non-empty sentence (batched across all docs)."""
        units: list[tuple[int, SentenceResult]] = []
        for d, doc in enumerate(docs):
            units += [(d, unit) for unit in self._units(doc)]
        predictions = self.predictor.predict([[t.text for t in u.tokens] for _, u in units])
        results: list[list[SentenceResult]] = [[] for _ in docs]
        for (d, unit), pred in zip(units, predictions, strict=True):
            results[d].append(replace(unit, prediction=pred))
        return results

    def _add_unit(self, out: Extraction, doc: Doc, unit: SentenceResult, context: str = "") -> None:
        """Add one unit's mentions and relations (``context``: the doc's words, for names)."""
        tokens, pred = unit.tokens, unit.prediction
        offset = len(out.mentions)
        roles: list[list[tuple[float, str, str]]] = [[] for _ in pred.entities]
        for rel in pred.relations:
            roles[rel.head].append((-rel.confidence, rel.type, "head"))
            roles[rel.tail].append((-rel.confidence, rel.type, "tail"))
        for ent, taken in zip(pred.entities, roles, strict=True):
            start = tokens[ent.start].idx
            end = tokens[ent.end - 1].idx + len(tokens[ent.end - 1])
            in_relations = [(label, role) for _, label, role in sorted(taken)]
            out.mentions.append(
                self._mention(doc.text[start:end], start, end, ent, unit, in_relations, context)
            )
        for rel in pred.relations:
            head, tail = pred.entities[rel.head], pred.entities[rel.tail]
            out.relations.append(
                RelationMention(
                    head=offset + rel.head,
                    tail=offset + rel.tail,
                    label=rel.type,
                    confidence=rel.confidence,
                    # the later of the two mentions' sentences: where the fact is completed
                    sentence=max(unit.sentence_of(head.start), unit.sentence_of(tail.start)),
                )
            )

    def _mention(
        self,
        text: str,
        start: int,
        end: int,
        ent: PredictedEntity,
        unit: SentenceResult,
        roles: list[tuple[str, str]],
        context: str = "",
    ) -> Mention:
        """A value mention for value types, else an entity mention with its linked name
        (``roles``: the relations it takes part in, most confident first; ``context``: the
        words of its doc, which choose between region-qualified names)."""
        settings = self.model_config
        vocab = self.predictor.vocab
        name = (
            link_name(vocab.names, text, roles, qualified=vocab.qualified_names, context=context)
            if settings.link_names
            else ""
        )
        mention = Mention(
            text=text,
            start=start,
            end=end,
            label=ent.type,
            sentence=unit.sentence_of(ent.start),
            confidence=ent.confidence,
        )
        if ent.type not in settings.value_types:
            return replace(mention, name=name)
        value = literal_value(name or text, text)
        stated = parse_value(text, "DATE") if name else None  # the text, not the name, has units
        unit = value.unit or (stated.unit if stated is not None else "")
        return replace(mention, value=value.lexical, datatype=value.datatype, unit=unit)

    def _units(self, doc: Doc) -> list[SentenceResult]:
        """The doc's non-empty sentences, or the whole doc as one unit (``unit: text``)."""
        sentences = [[t for t in sent if not t.is_space] for sent in sentences_of(doc)]
        if self.model_config.unit == "text":
            tokens = [t for sent in sentences for t in sent]
            index = tuple(s for s, sent in enumerate(sentences) for _ in sent)
            return [SentenceResult(index[0], tokens, _EMPTY, index)] if tokens else []
        return [SentenceResult(s, sent, _EMPTY) for s, sent in enumerate(sentences) if sent]

    def extract(self, docs: list[Doc]) -> list[Extraction]:
        """One :class:`Extraction` per ``Doc``; offsets are characters in ``doc.text``."""
        results = []
        for doc, sentences in zip(docs, self.predict_docs(docs), strict=True):
            extraction = Extraction()
            context = word_key(doc.text) if self.predictor.vocab.qualified_names else ""
            for unit in sentences:
                self._add_unit(extraction, doc, unit, context)
            results.append(extraction)
        return results


def sentences_of(doc: Doc) -> list[Span]:
    """The doc's sentences, or the whole doc as one sentence when it has no boundaries."""
    if doc.has_annotation("SENT_START"):
        return list(doc.sents)
    return [doc[:]]


def literal_value(text: str, fallback: str = "") -> Value:
    """The literal a value span states: a number, measure or date when ``text`` (else
    ``fallback``) parses as one, otherwise the cleaned text as an ``xsd:string``."""
    for candidate in (text, fallback):
        if candidate and (value := parse_value(candidate, "DATE")) is not None:
            return value  # dates first ("5 March 1942"), then numbers and measures
    return Value(clean_label(text), "string")
