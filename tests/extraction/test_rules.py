"""Dependency-pattern relations, on the packaged spaCy model's parses."""

from __future__ import annotations

import pytest

from kg_reasoner.extraction.rules import RuleExtractor, relation_label


def _relations(nlp, text: str) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    ex = RuleExtractor().extract([nlp(text)])[0]
    return {(ex.mentions[r.head].text, r.label, ex.mentions[r.tail].text) for r in ex.relations}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pierre Curie married Marie Curie.", ("Pierre Curie", "marry", "Marie Curie")),
        ("Tim Cook works for Apple.", ("Tim Cook", "work_for", "Apple")),
        ("Marie Curie was born in Warsaw.", ("Marie Curie", "born_in", "Warsaw")),
        ("Google was founded by Larry Page.", ("Larry Page", "found", "Google")),
        ("Tim Cook, the CEO of Apple, spoke.", ("Tim Cook", "ceo_of", "Apple")),
        ("Warsaw is the capital of Poland.", ("Warsaw", "capital_of", "Poland")),
        ("Google's founder Larry Page is rich.", ("Larry Page", "founder_of", "Google")),
        ("Marie Curie was born in 1867.", ("Marie Curie", "born_date", "1867")),
    ],
)
def test_patterns(nlp, text: str, expected: tuple[str, str, str]) -> None:  # type: ignore[no-untyped-def]
    assert expected in _relations(nlp, text)


def test_conjunctions_expand_subjects(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _relations(nlp, "Google was founded by Larry Page and Sergey Brin.")
    assert {("Larry Page", "found", "Google"), ("Sergey Brin", "found", "Google")} <= found


def test_negated_verbs_give_no_relation(nlp) -> None:  # type: ignore[no-untyped-def]
    assert not any(r[1] == "born_in" for r in _relations(nlp, "Marie Curie was not born in Paris."))


def test_pronoun_subjects_are_marked_for_resolution(nlp) -> None:  # type: ignore[no-untyped-def]
    ex = RuleExtractor().extract([nlp("Marie Curie lived in Paris. She worked for the Sorbonne.")])[
        0
    ]
    pronouns = [m for m in ex.mentions if m.is_pronoun]
    assert [p.text for p in pronouns] == ["She"]
    assert any(ex.mentions[r.head].is_pronoun and r.label == "work_for" for r in ex.relations)


def test_relation_labels_are_normalised() -> None:
    assert relation_label("Work", "for") == "work_for"
    assert relation_label("set", "up", "") == "set_up"
    assert relation_label("co-found") == "co_found"
