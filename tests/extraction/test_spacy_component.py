"""The ``kg_reasoner_extractor`` spaCy component (tiny trained model, blank pipeline)."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
import torch

from kg_reasoner.errors import ModelLoadError
from kg_reasoner.extraction import spacy_component
from tests.extraction.supervised_fixtures import train_tiny_run


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch.set_num_threads(1)
    return train_tiny_run(tmp_path_factory.mktemp("tiny_spacy"))


@pytest.fixture
def nlp(run_dir: Path):  # type: ignore[no-untyped-def]
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(spacy_component.FACTORY_NAME, config={"model": str(run_dir)})
    return nlp


def test_component_sets_ents_and_relations(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Mary lives in Paris. London is located in England.")
    assert all(ent.label_ in {"Peop", "Org", "Loc"} for ent in doc.ents)
    assert "Paris" in [ent.text for ent in doc.ents]
    relations = doc._.relations
    assert isinstance(relations, list)
    found = {(r["head"].text, r["label"], r["tail"].text) for r in relations}
    assert ("Mary", "Live_In", "Paris") in found
    for rel in relations:
        assert rel["head"] in doc.ents and rel["tail"] in doc.ents
        assert 0 < rel["confidence"] <= 1


def test_predict_does_not_modify_docs(nlp) -> None:  # type: ignore[no-untyped-def]
    component = nlp.get_pipe(spacy_component.FACTORY_NAME)
    doc = nlp.make_doc("Mary lives in Paris.")
    predictions = component.predict([doc])
    assert doc.ents == () and doc._.relations is None
    component.set_annotations([doc], predictions)
    assert [e.text for e in doc.ents] == [e.text for e in nlp("Mary lives in Paris.").ents]


def test_pipe_matches_single_calls(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = ["Mary lives in Paris.", "John Smith works for IBM in New York.", ""]
    piped = [[(e.text, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=2)]
    single = [[(e.text, e.label_) for e in nlp(t).ents] for t in texts]
    assert piped == single


def test_doc_without_sentences_is_one_sentence(run_dir: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe(spacy_component.FACTORY_NAME, config={"model": str(run_dir)})
    doc = nlp("Mary lives in Paris.")
    assert "Paris" in [e.text for e in doc.ents]


def test_missing_model_setting_says_how_to_set_it() -> None:
    nlp = spacy.blank("en")
    with pytest.raises(ModelLoadError, match='config=\\{"model"'):
        nlp.add_pipe(spacy_component.FACTORY_NAME)
