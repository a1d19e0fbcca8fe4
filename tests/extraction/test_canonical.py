from __future__ import annotations

from kg_reasoner.extraction.base import Mention
from kg_reasoner.extraction.canonical import canonical_key, canonicalize, clean_label, coarse_type


def test_normalisation_removes_titles_articles_possessives_and_case() -> None:
    assert clean_label("Dr. Marie  Curie's", "PERSON") == "Marie Curie"
    assert canonical_key("Dr. Marie  Curie's", "PERSON") == "marie curie"
    assert canonical_key("President Abraham Lincoln", "PERSON") == "abraham lincoln"
    assert clean_label("the University of Paris", "ORG") == "University of Paris"
    assert canonical_key("The University of Paris", "ORG") == "university of paris"
    assert clean_label("The Hague", "PLACE") == "The Hague"  # capitalised article is kept
    assert canonical_key("Microsoft Corp.", "ORG") == "microsoft"
    assert canonical_key("U.S.", "PLACE") == "us"


def test_coarse_types_merge_label_schemes() -> None:
    assert coarse_type("GPE") == coarse_type("LOC") == coarse_type("Loc") == "PLACE"
    assert coarse_type("Peop") == "PERSON"
    assert coarse_type("SOMETHING_NEW") == "MISC"


def _m(text: str, start: int, label: str, *, pronoun: bool = False) -> Mention:
    return Mention(text, start, start + len(text), label, 0, 1.0, pronoun)


def test_short_forms_join_the_full_name_of_a_compatible_type() -> None:
    mentions = [
        _m("Marie Curie", 0, "PERSON"),
        _m("Curie", 20, "PERSON"),
        _m("International Business Machines", 40, "ORG"),
        _m("IBM", 80, "ORG"),
        _m("Microsoft Corporation", 90, "ORG"),
        _m("Microsoft", 120, "ORG"),
        _m("Curie", 140, "ORG"),  # same word, incompatible type: a different entity
    ]
    result = canonicalize(mentions, [0] * len(mentions))
    c = result.mention_cluster
    assert c[0] == c[1] and c[2] == c[3] and c[4] == c[5]
    assert c[6] != c[0]
    curie = result.clusters[c[0]]
    assert curie.label == "Marie Curie" and curie.aliases == {"Marie Curie", "Curie"}
    assert "curie" in curie.alias_keys


def test_ambiguous_short_forms_stay_apart() -> None:
    mentions = [
        _m("Marie Curie", 0, "PERSON"),
        _m("Pierre Curie", 20, "PERSON"),
        _m("Curie", 40, "PERSON"),
    ]
    result = canonicalize(mentions, [0, 0, 0])
    assert len({result.mention_cluster[i] for i in range(3)}) == 3


def test_a_later_full_name_absorbs_an_earlier_short_form() -> None:
    mentions = [_m("Curie", 0, "PERSON"), _m("Marie Curie", 20, "PERSON")]
    result = canonicalize(mentions, [0, 0])
    assert result.mention_cluster[0] == result.mention_cluster[1]
    assert result.clusters[0].label == "Marie Curie"


def test_a_full_name_after_its_acronym_joins_it() -> None:
    mentions = [_m("IBM", 0, "ORG"), _m("International Business Machines", 20, "ORG")]
    result = canonicalize(mentions, [0, 0])
    assert result.mention_cluster[0] == result.mention_cluster[1]
    assert result.clusters[0].label == "International Business Machines"
    assert {"ibm", "international business machines"} <= result.clusters[0].alias_keys


def test_untyped_proper_nouns_join_typed_entities() -> None:
    mentions = [_m("Warsaw", 0, "GPE"), _m("Warsaw", 20, "MISC")]
    result = canonicalize(mentions, [0, 0])
    assert result.mention_cluster[0] == result.mention_cluster[1]
    assert result.clusters[0].ctype == "PLACE"


def test_pronouns_resolve_within_their_paragraph_only() -> None:
    mentions = [
        _m("Marie Curie", 0, "PERSON"),
        _m("Warsaw", 20, "GPE"),
        _m("She", 30, "PRON:she", pronoun=True),
        _m("it", 40, "PRON:it", pronoun=True),
        _m("He", 60, "PRON:he", pronoun=True),  # next paragraph: no antecedent there
    ]
    result = canonicalize(mentions, [0, 0, 0, 0, 1])
    assert result.mention_cluster[2] == result.mention_cluster[0]
    assert result.mention_cluster[3] == result.mention_cluster[1]
    assert 4 not in result.mention_cluster
    assert result.resolved_pronouns == {2, 3}
    assert all("She" not in c.aliases for c in result.clusters)


def test_pronouns_prefer_the_subject_and_respect_gender() -> None:
    subject = Mention("Marie Curie", 0, 11, "PERSON", 0, is_subject=True)
    mentions = [
        subject,
        _m("Pierre Curie", 30, "PERSON"),  # more recent, but not a subject
        _m("She", 50, "PRON:she", pronoun=True),
        _m("Paul Langevin", 60, "PERSON"),
        _m("He", 80, "PRON:he", pronoun=True),
        _m("he", 90, "PRON:he", pronoun=True),
    ]
    result = canonicalize(mentions, [0] * len(mentions))
    c = result.mention_cluster
    assert c[2] == c[0]  # She -> the subject Marie Curie
    assert c[4] == c[3]  # He -> most recent person not already called "she"
    assert c[5] == c[3]
    assert result.clusters[c[0]].gender == "f"


def test_the_country_prefers_a_known_country_to_a_more_salient_subject() -> None:
    dish = Mention("Mole poblano", 0, 12, "GPE", 0, is_subject=True)  # a dish the tagger misread
    description = Mention("country", 60, 67, "DEF:country", 1, is_pronoun=True)  # next sentence
    mentions = [dish, _m("Mexico", 40, "GPE"), description]
    c = canonicalize(mentions, [0, 0, 0]).mention_cluster
    assert c[2] == c[1]
