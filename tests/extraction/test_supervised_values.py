"""The trained extractor's mentions: literal values for value types, linked names, text units."""

from __future__ import annotations

from collections.abc import Sequence

import spacy

from kg_reasoner.extraction.supervised import SupervisedExtractor
from kg_reasoner.extraction.supervised.config import ExtractorModelConfig
from kg_reasoner.extraction.supervised.predictor import (
    PredictedEntity,
    PredictedRelation,
    SentencePrediction,
)
from kg_reasoner.extraction.supervised.vocab import LabelVocab

TEXT = "Aarhus Airport is in Denmark. It is 25 metres high, opened on 5 March 1942 and is retired."
# word indices in TEXT's tokens (spaCy's blank English tokenizer)
AIRPORT, DENMARK, HEIGHT, OPENED, STATUS = (0, 2), (4, 5), (8, 10), (14, 17), (19, 20)


class FixedPredictor:
    """Stands in for ExtractorPredictor: always the same prediction, records its inputs."""

    def __init__(self, prediction: SentencePrediction, names: dict[str, str]) -> None:
        self.prediction = prediction
        self.vocab = LabelVocab(("<none>",), (), frozenset(), names=names)
        self.inputs: list[list[str]] = []

    def predict(self, sentences: Sequence[Sequence[str]]) -> list[SentencePrediction]:
        self.inputs += [list(s) for s in sentences]
        # the prediction indexes the words of the whole text: other units get none
        return [self.prediction if len(s) > 20 else SentencePrediction((), ()) for s in sentences]


def _extract(unit: str, link_names: bool = True):  # type: ignore[no-untyped-def]
    spans = [(AIRPORT, "ENTITY"), (DENMARK, "ENTITY"), (HEIGHT, "VALUE"), (OPENED, "VALUE"),
             (STATUS, "STRING")]  # fmt: skip
    entities = tuple(PredictedEntity(s, e, label, 0.9) for (s, e), label in spans)
    relations = tuple(
        PredictedRelation(0, k, label, 0.8)
        for k, label in ((1, "country"), (2, "elevation"), (3, "openingDate"), (4, "status"))
    )
    predictor = FixedPredictor(SentencePrediction(entities, relations), {"denmark": "Kingdom"})
    config = ExtractorModelConfig(
        unit=unit,
        value_types=["VALUE", "STRING"],
        link_names=link_names,  # type: ignore[arg-type]
    )
    extractor = SupervisedExtractor(predictor, name="stub", model_config=config)  # type: ignore[arg-type]
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return extractor.extract([nlp(TEXT)])[0], predictor


def test_value_types_become_literal_mentions() -> None:
    extraction, _ = _extract("text")
    by_text = {m.text: m for m in extraction.mentions}
    height, opened, status = by_text["25 metres"], by_text["5 March 1942"], by_text["retired"]
    assert (height.value, height.datatype, height.unit) == ("25", "integer", "metre")
    assert (opened.value, opened.datatype) == ("1942-03-05", "date")
    assert (status.value, status.datatype) == ("retired", "string")  # no number: a string
    assert not by_text["Aarhus Airport"].is_value and by_text["Aarhus Airport"].name == ""
    assert all(TEXT[m.start : m.end] == m.text for m in extraction.mentions)


def test_linked_names_label_entity_mentions_unless_disabled() -> None:
    extraction, _ = _extract("text")
    assert {m.text: m.name for m in extraction.mentions}["Denmark"] == "Kingdom"
    unlinked, _ = _extract("text", link_names=False)
    assert {m.text: m.name for m in unlinked.mentions}["Denmark"] == ""


def test_text_unit_reads_the_whole_text_and_relations_cross_sentences() -> None:
    extraction, predictor = _extract("text")
    assert len(predictor.inputs) == 1 and predictor.inputs[0][:2] == ["Aarhus", "Airport"]
    sentence = {m.text: m.sentence for m in extraction.mentions}
    assert sentence["Aarhus Airport"] == sentence["Denmark"] == 0 and sentence["25 metres"] == 1
    by_label = {r.label: r for r in extraction.relations}
    assert by_label["country"].sentence == 0
    assert by_label["elevation"].sentence == 1  # the sentence where the fact is completed
    assert extraction.mentions[by_label["elevation"].tail].text == "25 metres"


def test_sentence_unit_predicts_each_sentence_on_its_own() -> None:
    _, predictor = _extract("sentence")
    assert [words[0] for words in predictor.inputs] == ["Aarhus", "It"]
