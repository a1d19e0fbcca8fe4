"""Scores of the extraction task: strict entity/relation F1 and WebNLG typed-triple F1."""

from __future__ import annotations

from typing import Any

from kg_reasoner.extraction.supervised.data import Example
from kg_reasoner.extraction.supervised.extractor import SupervisedExtractor
from kg_reasoner.extraction.supervised.predictor import ExtractorPredictor
from kg_reasoner.extraction.supervised.scoring import score_examples

SELECT = "selection"  # relation micro F1, ties broken by entity F1


def score_predictions(predictor: ExtractorPredictor, examples: list[Example]) -> dict[str, Any]:
    """Predict every sentence of ``examples`` and score strictly against their labels."""
    preds = predictor.predict([ex.tokens for ex in examples])
    predicted = [p.to_example(ex.tokens) for p, ex in zip(preds, examples, strict=True)]
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
