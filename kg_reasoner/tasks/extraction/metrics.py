"""Scores of the extraction task: strict entity/relation F1 and WebNLG typed-triple F1."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kg_reasoner.extraction.supervised.data import Example
from kg_reasoner.extraction.supervised.extractor import SupervisedExtractor
from kg_reasoner.extraction.supervised.pair_predictor import MarkedRelationPredictor
from kg_reasoner.extraction.supervised.predictor import (
    ExtractorPredictor,
    PredictedEntity,
    SentencePrediction,
)
from kg_reasoner.extraction.supervised.scoring import score_examples

SELECT = "selection"  # relation micro F1, ties broken by entity F1


def score_predictions(predictor: ExtractorPredictor, examples: list[Example]) -> dict[str, Any]:
    """Predict every sentence of ``examples`` and score strictly against their labels."""
    preds = predictor.predict([ex.tokens for ex in examples])
    predicted = [p.to_example(ex.tokens) for p, ex in zip(preds, examples, strict=True)]
    return score_examples(examples, predicted)


def score_relation_stage(
    stage: MarkedRelationPredictor,
    examples: list[Example],
    entities: Sequence[Sequence[PredictedEntity]],
) -> dict[str, Any]:
    """Strict end-to-end scores when ``stage`` reads the already predicted ``entities`` of each
    sentence of ``examples`` (a gold entity the span model missed loses its relations)."""
    tokens = [ex.tokens for ex in examples]
    relations = stage.predict(tokens, entities)
    predicted = [
        SentencePrediction(tuple(e), r).to_example(t)
        for e, r, t in zip(entities, relations, tokens, strict=True)
    ]
    return score_examples(examples, predicted)


def triple_summary(extractor: SupervisedExtractor, corpus: Any) -> dict[str, float]:
    """Typed-triple precision, recall and F1 (fractions) of an extractor on a WebNLG split."""
    from kg_reasoner.tasks.extraction.webnlg.extractor_scores import score_extractor

    triple = score_extractor(extractor, corpus).triples["overall"]
    return {
        "triple_precision": triple.precision,
        "triple_recall": triple.recall,
        "triple_f1": triple.f1,
    }
