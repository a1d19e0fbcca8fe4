from __future__ import annotations

from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.retrieval.linking import EntityLinker
from tests.qa.toy_kb import movie_index, people_graph


def _labels(result) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[c.label for c in m.candidates] for m in result.mentions]


def test_bracket_markup_links_directly() -> None:
    linker = EntityLinker(movie_index())
    result = linker.link("which person directed the movies starred by [John Krasinski]")
    assert _labels(result) == [["John Krasinski"]]
    assert result.mentions[0].candidates[0].match == "bracket"
    assert (result.mentions[0].start, result.mentions[0].end) == (44, 60)


def test_unknown_bracket_name_is_reported_not_guessed() -> None:
    result = EntityLinker(movie_index()).link("who directed [Zzyzx Road Movie]")
    assert result.mentions == []
    assert result.unmatched == ["Zzyzx Road Movie"]


def test_ngrams_match_exact_then_normalised_labels() -> None:
    linker = EntityLinker(movie_index())
    exact = linker.link("who directed Away We Go")
    assert _labels(exact) == [["Away We Go"]]
    assert exact.mentions[0].candidates[0].match == "exact"
    normalised = linker.link("who directed away we go?")
    assert _labels(normalised) == [["Away We Go"]]
    assert normalised.mentions[0].candidates[0].match == "normalised"


def test_longest_match_wins_over_contained_names() -> None:
    index = KBIndex.from_triples([("George", "r", "x"), ("George Clooney", "r", "y")])
    result = EntityLinker(index).link("films of George Clooney")
    assert _labels(result) == [["George Clooney"]]


def test_aliases_and_fuzzy_matches_link() -> None:
    graph = people_graph()
    linker = EntityLinker(graph.index)
    alias = linker.link("Where was Maria Skłodowska born?")
    assert _labels(alias) == [["Marie Curie"]]
    fuzzy = linker.link("Where was Marie Curi born?")
    assert fuzzy.mentions[0].candidates[0].label == "Marie Curie"
    assert fuzzy.mentions[0].candidates[0].match == "fuzzy"


def test_ambiguous_names_report_every_candidate() -> None:
    index = KBIndex.from_triples(
        [("paris-city", "capital_of", "France"), ("paris-person", "born_in", "Troy")],
        labels={"paris-city": "Paris", "paris-person": "Paris"},
    )
    result = EntityLinker(index).link("What is Paris the capital of?")
    (mention,) = result.mentions
    assert mention.ambiguous
    assert {c.entity_id for c in mention.best} == {"paris-city", "paris-person"}
    assert set(result.topic_entities) == {
        index.entity_to_id["paris-city"],
        index.entity_to_id["paris-person"],
    }


def test_question_words_alone_are_not_linked() -> None:
    index = KBIndex.from_triples([("It", "r", "Who"), ("Up", "r", "Drama")])
    result = EntityLinker(index).link("who is it")
    assert result.mentions == []
