"""WebNLG texts -> labelled examples: spans from references, types, relations, the ceiling."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_reasoner.extraction.supervised.names import display_name, learn_names, link_name
from kg_reasoner.tasks.extraction.webnlg.examples import (
    ENTITY,
    STRING,
    VALUE,
    read_webnlg_examples,
)
from tests.tasks.extraction.webnlg_fixture import write_webnlg_split


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return read_webnlg_examples(write_webnlg_split(tmp_path_factory.mktemp("webnlg")))


def _spans(example) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {" ".join(example.tokens[e.start : e.end]): (e.type, e.name) for e in example.entities}


def test_malformed_entry_is_skipped_with_its_reason(converted) -> None:  # type: ignore[no-untyped-def]
    examples, report = converted
    assert len(examples) == 3  # one per text of the two good entries
    assert len(report.skipped_entries) == 1
    assert "entry Id3: malformed triple 'Broken | only two'" in report.skipped_entries[0]


def test_entities_are_located_through_references_and_typed(converted) -> None:  # type: ignore[no-untyped-def]
    examples, _ = converted
    airport, bean, bean2 = examples
    assert _spans(airport) == {
        "Aarhus Airport": (ENTITY, "Aarhus_Airport"),
        "Tirstrup": (ENTITY, "Tirstrup"),
        "Denmark": (ENTITY, "Denmark"),
        "25 metres": (VALUE, "25.0"),  # the reference, not the DBpedia value "25.0"
    }
    assert _spans(bean) == {
        "Alan Bean": (ENTITY, "Alan_Bean"),
        "American": (ENTITY, "United_States"),  # a demonym
        "March 15 , 1932": (VALUE, '"1932-03-15"'),  # the reference's spacing differs
        "retired": (STRING, '"Retired"'),  # case differs
    }
    # the pronoun "It" is not an entity; "the" and "'s" are trimmed from the references
    assert "It" not in _spans(airport)
    assert {"Alan Bean", "United States", "15 March 1932"} <= set(_spans(bean2))


def test_facts_become_relations_typed_by_the_dbpedia_property(converted) -> None:  # type: ignore[no-untyped-def]
    examples, _ = converted
    airport = examples[0]
    words = airport.tokens
    rels = {
        (" ".join(words[slice(*r.head)]), r.type, " ".join(words[slice(*r.tail)]))
        for r in airport.relations
    }
    assert rels == {
        ("Aarhus Airport", "location", "Tirstrup"),
        ("Aarhus Airport", "elevationAboveTheSeaLevel", "25 metres"),  # across the sentence
        ("Tirstrup", "country", "Denmark"),
    }


def test_alignment_report_counts_the_fact_no_span_states(converted) -> None:  # type: ignore[no-untyped-def]
    _, report = converted
    assert (report.texts, report.facts, report.aligned) == (3, 10, 9)
    assert report.unaligned_by_kind == {"entity": 1}  # Denmark leaderName Lars_Rasmussen
    assert report.to_dict()["ceiling"] == 0.9


def test_names_learnt_from_references_link_other_surface_forms(converted) -> None:  # type: ignore[no-untyped-def]
    examples, _ = converted
    names = learn_names(examples)
    assert link_name(names, "American") == "United States"
    assert link_name(names, "the Americans") == ""  # never seen
    assert "aarhus airport" not in names  # the text already spells that name
    assert display_name("Big_Hero_6_(film)") == "Big Hero 6 (film)"
    assert display_name('"Retired"') == "Retired"


def test_missing_split_fails_clearly(tmp_path: Path) -> None:
    from kg_reasoner.errors import DataFormatError

    with pytest.raises(DataFormatError, match="no WebNLG data"):
        read_webnlg_examples(tmp_path / "nowhere")


def test_a_surface_form_links_by_the_relation_it_takes_part_in() -> None:
    from kg_reasoner.extraction.supervised.data import Entity, Example, Relation

    def example(relation: str, name: str) -> Example:
        tokens = ("Britain", "speaks", "English")
        ents = (Entity(0, 1, ENTITY, "Britain"), Entity(2, 3, ENTITY, name))
        return Example(tokens, ents, (Relation((0, 1), (2, 3), relation),))

    names = learn_names(
        [example("language", "English_language")] * 3 + [example("ethnicGroup", "English_people")]
    )
    assert link_name(names, "English") == "English language"  # the majority
    assert link_name(names, "English", [("ethnicGroup", "tail")]) == "English people"
    assert link_name(names, "English", [("ethnicGroup", "head")]) == "English language"
    assert "english|language|tail" not in names  # the plain entry already says so


def test_punctuation_glued_to_a_token_does_not_hide_the_name() -> None:
    from kg_reasoner.tasks.extraction.webnlg.data import Entry, Fact, Lexicalisation, Reference
    from kg_reasoner.tasks.extraction.webnlg.examples import (
        AlignmentReport,
        blank_tokenizer,
        text_example,
    )

    text = "Aarhus Airport has a runway named 10L/28R."
    refs = (Reference('"10L/28R"', "PATIENT-1", "name", "10L/28R"),)
    facts = (Fact("Aarhus_Airport", "runwayName", '"10L/28R"'),)
    entry = Entry("Id9", "Airport", "fixture", facts, (Lexicalisation("Id1", text, refs),))
    report = AlignmentReport()
    example = text_example(entry, entry.texts[0], blank_tokenizer(), report)
    assert example is not None and example.tokens[-1] == "10L/28R."  # spaCy keeps the "."
    assert report.aligned == 1
    assert [(example.tokens[e.start], e.type) for e in example.entities][-1] == ("10L/28R.", STRING)


def test_the_text_chooses_between_region_qualified_names() -> None:
    from kg_reasoner.extraction.canonical import word_key
    from kg_reasoner.extraction.supervised.data import Entity, Example
    from kg_reasoner.extraction.supervised.names import learn_qualified_names

    def example(name: str) -> Example:
        return Example(("Auburn", "is", "nice"), (Entity(0, 1, ENTITY, name),), ())

    qualified = learn_qualified_names(
        [example("Auburn,_Washington")] * 2
        + [example("Auburn,_Alabama"), example("Rome"), example('"Rome, Italy"')]
    )
    assert qualified == {"auburn": ["Auburn, Washington", "Auburn, Alabama"]}  # no literal
    text = word_key("Auburn is part of Alabama.")
    assert link_name({}, "Auburn", qualified=qualified, context=text) == "Auburn, Alabama"
    elsewhere = word_key("Auburn is a city.")
    assert link_name({}, "Auburn", qualified=qualified, context=elsewhere) == ""
    # a span that spells the region after "in"
    assert link_name({}, "Auburn in Washington", qualified=qualified) == "Auburn, Washington"


def test_a_name_that_begins_with_an_article_keeps_it_and_an_article_alone_is_no_span() -> None:
    from kg_reasoner.tasks.extraction.webnlg.data import Entry, Fact, Lexicalisation, Reference
    from kg_reasoner.tasks.extraction.webnlg.examples import (
        AlignmentReport,
        blank_tokenizer,
        text_example,
    )

    facts = (Fact("A_Long_Long_Way", "author", "Sebastian_Barry"),)
    refs = (
        Reference("Sebastian_Barry", "PATIENT-1", "name", "the Sebastian Barry"),
        Reference("A_Long_Long_Way", "AGENT-1", "description", "the"),  # names nothing
    )
    lex = Lexicalisation("Id1", "A Long Long Way was written by the Sebastian Barry.", refs)
    entry = Entry("Id1", "WrittenWork", "f", facts, (lex,))
    example = text_example(entry, lex, blank_tokenizer(), AlignmentReport())
    assert example is not None
    assert set(_spans(example)) == {"A Long Long Way", "Sebastian Barry"}  # "the" trimmed
