"""Batched inference: word lists in, typed entities and relations out.

Decoding: every span up to the maximum width is classified; spans labelled as entities are kept
greedily by probability without overlaps (flat entities, as in CoNLL04). Every ordered pair of
kept entities is then scored, by the span model's pair head or, with a relation stage
(``relation_model: markers``, :mod:`.pair_predictor`), by the typed-marker model reading the
predicted entities; a span-head relation is kept when its probability reaches the threshold
and, optionally, its argument types were seen with it in training.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch

from kg_reasoner.extraction.supervised.data import Entity, Example, Relation
from kg_reasoner.extraction.supervised.encoding import WordPieceAligner
from kg_reasoner.extraction.supervised.model import SpanRelationModel
from kg_reasoner.extraction.supervised.sampling import candidate_spans
from kg_reasoner.extraction.supervised.vocab import LabelVocab
from kg_reasoner.training.device import model_device, move_to_device

if TYPE_CHECKING:
    from kg_reasoner.extraction.supervised.pair_predictor import MarkedRelationPredictor


@dataclass(frozen=True)
class PredictedEntity:
    start: int
    end: int
    type: str
    confidence: float


@dataclass(frozen=True)
class PredictedRelation:
    """``head`` and ``tail`` index the sentence's predicted entities."""

    head: int
    tail: int
    type: str
    confidence: float


@dataclass(frozen=True)
class SentencePrediction:
    entities: tuple[PredictedEntity, ...]
    relations: tuple[PredictedRelation, ...]

    def to_example(self, tokens: Sequence[str]) -> Example:
        """The prediction in the training-data form (for scoring and export)."""
        ents = tuple(Entity(e.start, e.end, e.type) for e in self.entities)
        rels = tuple(Relation(ents[r.head].span, ents[r.tail].span, r.type) for r in self.relations)
        return Example(tuple(tokens), ents, rels)


class ExtractorPredictor:
    """Runs a :class:`SpanRelationModel` over sentences in length-sorted batches.

    ``relation_stage`` (when given) predicts the relations among the span model's entities;
    otherwise the span model's own pair head does, unless ``span_relations`` is false (a
    ``markers`` run before its relation stage is trained: entities only).
    """

    def __init__(
        self,
        model: SpanRelationModel,
        aligner: WordPieceAligner,
        vocab: LabelVocab,
        *,
        relation_threshold: float = 0.4,
        use_signatures: bool = True,
        batch_size: int = 32,
        relation_stage: MarkedRelationPredictor | None = None,
        span_relations: bool = True,
    ) -> None:
        self.model = model
        self.relation_stage = relation_stage
        self.span_relations = span_relations
        self.aligner = aligner
        self.vocab = vocab
        self.relation_threshold = relation_threshold
        self.use_signatures = use_signatures
        self.batch_size = batch_size

    def predict(self, sentences: Sequence[Sequence[str]]) -> list[SentencePrediction]:
        """One prediction per sentence (a sentence is a list of words), in input order."""
        if self.relation_stage is None:
            return self._predict(sentences, span_relations=self.span_relations)
        entities = self.predict_entities(sentences)
        relations = self.relation_stage.predict(sentences, entities)
        return [SentencePrediction(e, r) for e, r in zip(entities, relations, strict=True)]

    def predict_entities(
        self, sentences: Sequence[Sequence[str]]
    ) -> list[tuple[PredictedEntity, ...]]:
        """The span model's entities of each sentence, in text order."""
        return [p.entities for p in self._predict(sentences, span_relations=False)]

    @torch.no_grad()
    def _predict(
        self, sentences: Sequence[Sequence[str]], *, span_relations: bool
    ) -> list[SentencePrediction]:
        was_training = self.model.training
        self.model.eval()
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        results: list[SentencePrediction | None] = [None] * len(sentences)
        for first in range(0, len(order), self.batch_size):
            idx = order[first : first + self.batch_size]
            batch = self._predict_batch([sentences[i] for i in idx], span_relations)
            for i, pred in zip(idx, batch, strict=True):
                results[i] = pred
        self.model.train(was_training)
        return [r if r is not None else SentencePrediction((), ()) for r in results]

    def _predict_batch(
        self, sentences: list[Sequence[str]], span_relations: bool = True
    ) -> list[SentencePrediction]:
        if not any(len(s) for s in sentences):
            return [SentencePrediction((), ()) for _ in sentences]
        device = model_device(self.model)  # the run's device: batches follow the model
        tokenized = self.aligner.tokenize(sentences)
        states = self.model.encode(move_to_device(self.aligner.collate(tokenized), device))
        width = self.model.max_span_width
        cands = [candidate_spans(len(s), width) for s in sentences]
        spans = _pad_spans(cands).to(device)
        ent_probs = self.model.score_spans(states, spans).softmax(-1).cpu()
        entities = [
            _decode_entities(ent_probs[b, : len(c)], c, self.vocab) for b, c in enumerate(cands)
        ]
        if not span_relations:
            return [SentencePrediction(tuple(ents), ()) for ents in entities]
        ent_spans = _pad_spans([[(e.start, e.end) for e in ents] for ents in entities]).to(device)
        pair_lists = [
            [(h, t) for h in range(len(ents)) for t in range(len(ents)) if h != t]
            for ents in entities
        ]
        pairs = _pad_spans(pair_lists).to(device)
        rel_probs = (
            self.model.relation_logits(
                states, ent_spans, self.model.span_vectors(states, ent_spans), pairs
            )
            .sigmoid()
            .cpu()
        )
        out = []
        for b, ents in enumerate(entities):
            rels = self._decode_relations(rel_probs[b, : len(pair_lists[b])], pair_lists[b], ents)
            out.append(SentencePrediction(tuple(ents), tuple(rels)))
        return out

    def _decode_relations(
        self,
        probs: torch.Tensor,
        pairs: list[tuple[int, int]],
        entities: list[PredictedEntity],
    ) -> list[PredictedRelation]:
        found = []
        hits = (probs >= self.relation_threshold).nonzero().tolist()
        for p, r in hits:
            h, t = pairs[p]
            label = self.vocab.relation_types[r]
            signature = (entities[h].type, label, entities[t].type)
            if self.use_signatures and signature not in self.vocab.signatures:
                continue
            found.append(PredictedRelation(h, t, label, float(probs[p, r])))
        return found


def _pad_spans(rows: list[list[tuple[int, int]]]) -> torch.Tensor:
    """Pad lists of integer pairs to a (B, max(1, longest), 2) tensor of zeros."""
    out = torch.zeros((len(rows), max([1, *(len(r) for r in rows)]), 2), dtype=torch.long)
    for b, row in enumerate(rows):
        if row:
            out[b, : len(row)] = torch.tensor(row, dtype=torch.long)
    return out


def _decode_entities(
    probs: torch.Tensor, spans: list[tuple[int, int]], vocab: LabelVocab
) -> list[PredictedEntity]:
    """Greedy non-overlapping spans by decreasing probability, returned in text order."""
    conf, label = probs.max(-1)
    chosen = (label > 0).nonzero().flatten().tolist()
    chosen.sort(key=lambda i: -float(conf[i]))
    taken: list[tuple[int, int]] = []
    kept = []
    for i in chosen:
        start, end = spans[i]
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        kept.append(PredictedEntity(start, end, vocab.entity_types[int(label[i])], float(conf[i])))
    return sorted(kept, key=lambda e: e.start)
