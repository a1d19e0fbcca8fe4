"""Answers over graphs built from text: statement order, literal values, linking, path length."""

from __future__ import annotations

import re

import pytest

from kg_reasoner.graph.literals import literal_of
from kg_reasoner.graph.records import Triple
from kg_reasoner.qa.zero_shot import ZeroShotAnswerer, asks_chain
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.retrieval.kb_readers import index_from_graph
from kg_reasoner.retrieval.linking import EntityLinker
from tests.qa.text_graph import Fact, text_graph
from tests.qa.toy_kb import BagOfWordsEmbedder


def _move(person: str, label: str, place: str) -> Fact:
    return Fact(person, label, place, "PERSON", "CONCEPT")


def _value(thing: str, label: str, value: str) -> Fact:
    return Fact(thing, label, value, "FAC", "VALUE")


MOVES = {
    "stories/mary.txt": [
        ("Mary went to the kitchen.", [_move("Mary", "go_to", "kitchen")]),
        ("John travelled to the office.", [_move("John", "travel_to", "office")]),
        (
            "Later in the morning, Mary moved to the garden.",
            [
                _move("Mary", "move_to", "garden"),
                Fact("Mary", "move_in", "morning", "PERSON", "MISC"),
            ],
        ),
        ("Mary journeyed to the hallway.", [_move("Mary", "journey_to", "hallway")]),
    ]
}
TOWERS = {
    "buildings/towers.txt": [
        ("Tower 42 was completed in 1980.", [_value("Tower 42", "completed_date", "1980")]),
        ("Tower 42 has 47 floors.", [_value("Tower 42", "floor_count", "47")]),
        (
            "The Humber Bridge has a main span of 1,410 metres.",
            [_value("Humber Bridge", "span", "1,410 metres")],
        ),
    ]
}


def _answerer(documents: dict, *, lazy_times: bool = False) -> ZeroShotAnswerer:
    kg = text_graph(documents)
    index = index_from_graph(kg, lazy_times=lazy_times)
    return ZeroShotAnswerer(index, graph=kg, embedder=BagOfWordsEmbedder())  # type: ignore[arg-type]


@pytest.mark.parametrize("lazy_times", [False, True], ids=["times read at load", "lazy times"])
def test_current_state_and_order_questions_follow_the_statement_order(lazy_times: bool) -> None:
    answerer = _answerer(MOVES, lazy_times=lazy_times)
    assert answerer.answer("Where is Mary?").answers[0].label == "hallway"
    assert answerer.answer("Where is Mary now?").answers[0].label == "hallway"
    assert answerer.answer("Where did Mary go first?").answers[0].label == "kitchen"
    assert answerer.answer("Where was Mary before the hallway?").answers[0].label == "garden"
    assert answerer.answer("Where did Mary go after the kitchen?").answers[0].label == "garden"
    # a move's destination is the state, not the time phrase its sentence also relates
    assert answerer.answer("Where was Mary before the hallway?").answers[0].label == "garden"
    result = answerer.answer("Where is Mary?")
    assert any("latest of 3 statements" in note for note in result.notes)
    assert result.answers[0].paths[0].hops[0].sentences == ("Mary journeyed to the hallway.",)
    # another person's moves are another timeline
    assert answerer.answer("Where is John?").answers[0].label == "office"


@pytest.mark.parametrize("lazy_times", [False, True], ids=["times read at load", "lazy times"])
def test_literal_values_are_answers_with_their_unit_and_evidence(lazy_times: bool) -> None:
    answerer = _answerer(TOWERS, lazy_times=lazy_times)
    top = answerer.answer("How many floors does Tower 42 have?").answers[0]
    assert top.label == "47" and literal_of(top.entity) == (
        "47",
        "http://www.w3.org/2001/XMLSchema#integer",
    )
    assert top.paths[0].hops[0].sentences == ("Tower 42 has 47 floors.",)
    span = answerer.answer("How long is the main span of the Humber Bridge?").answers[0]
    assert span.label == "1410 metre"
    assert span.paths[0].hops[0].sentences == (
        "The Humber Bridge has a main span of 1,410 metres.",
    )
    year = answerer.answer("When was Tower 42 completed?").answers[0]
    assert (
        year.label == "1980"
        and answerer.index.entity_type(answerer.index.entity_to_id[year.entity]) == "DATE"
    )


def test_lazy_statement_times_are_the_times_read_at_load_and_are_read_anchored() -> None:
    kg = text_graph({**MOVES, **TOWERS})
    eager = index_from_graph(kg)
    calls: list[object] = []
    statements = kg.statements

    def spy(triples: object = None) -> object:
        calls.append(triples)
        return statements(triples)  # type: ignore[arg-type]

    kg.statements = spy  # type: ignore[method-assign]
    lazy = index_from_graph(kg, lazy_times=True)
    assert calls == [] and lazy.statement_times == {}  # loading reads no statement
    assert lazy.entity_labels == eager.entity_labels  # units of values included
    ids = list(range(eager.num_triples))
    lazy.prefetch_times(ids[:3])
    assert len(calls) == 1 and calls[0] is not None  # one anchored read for the batch
    assert [lazy.times_of(i) for i in ids] == [eager.times_of(i) for i in ids]
    assert any(eager.times_of(i) for i in ids) and None not in calls
    fetched = len(calls)
    assert lazy.times_of(0) == eager.times_of(0) and len(calls) == fetched  # kept, not re-read


def test_statements_of_given_triples_are_those_of_the_whole_read() -> None:
    kg = text_graph({**MOVES, **TOWERS})
    every = list(kg.statements())
    triples = list(kg.triples())
    assert sorted(kg.statements(triples), key=repr) == sorted(every, key=repr)
    floors = next(t for t in triples if t.predicate == "floor_count")
    by_lexical = Triple(floors.subject, floors.predicate, floors.object)  # no datatype given
    assert [st.triple for st in kg.statements([by_lexical])] == [floors]
    assert list(kg.statements([])) == []


def test_literal_objects_keep_their_datatype_in_the_graph_api() -> None:
    kg = text_graph(TOWERS)
    floors = [t for t in kg.triples(predicate="floor_count")]
    assert [(t.object, t.datatype.rsplit("#", 1)[-1]) for t in floors] == [("47", "integer")]
    assert [p.sentence for p in kg.provenance(floors[0])] == ["Tower 42 has 47 floors."]
    units = {st.triple.object: st.unit for st in kg.statements()}
    assert units["1410"] == "metre"


def test_relation_words_are_not_linked_as_entities() -> None:
    index = KBIndex.from_triples(
        [
            ("e:helen", "chief_executive_of", "e:northwind"),
            ("e:magazine", "published_in", "e:leeds"),
        ],
        labels={
            "e:helen": "Helen Marsh",
            "e:northwind": "Northwind Analytics",
            "e:magazine": "Chief Executive",
            "e:leeds": "Leeds",
        },
        types={"e:helen": "PERSON", "e:northwind": "ORG", "e:magazine": "WORK", "e:leeds": "GPE"},
    )
    link = EntityLinker(index).link("Who is the chief executive of Northwind Analytics?")
    assert [m.text for m in link.mentions] == ["Northwind Analytics"]
    # alone in a question, the same words still name the magazine
    assert [
        m.text for m in EntityLinker(index).link("Where is Chief Executive published?").mentions
    ] == ["Chief Executive"]
    answer = ZeroShotAnswerer(index, embedder=BagOfWordsEmbedder()).answer(  # type: ignore[arg-type]
        "Who is the chief executive of Northwind Analytics?"
    )
    assert answer.answers[0].label == "Helen Marsh"


def test_surnames_company_stems_and_initials_link_to_the_full_name() -> None:
    index = KBIndex.from_triples(
        [("e:marsh", "found", "e:nwa"), ("e:bfs", "based_in", "e:gdansk")],
        labels={
            "e:marsh": "Helen Marsh",
            "e:nwa": "Northwind Analytics",
            "e:bfs": "Baltic Freight Systems",
            "e:gdansk": "Gdansk",
        },
        types={"e:marsh": "PERSON", "e:nwa": "ORG", "e:bfs": "ORG", "e:gdansk": "GPE"},
    )
    linker = EntityLinker(index)
    for question, label in [
        ("Where was Marsh born?", "Helen Marsh"),
        ("Who founded Northwind?", "Northwind Analytics"),
        ("Where is BFS based?", "Baltic Freight Systems"),
    ]:
        mention = linker.link(question).mentions[0]
        assert [c.label for c in mention.best] == [label] and mention.best[0].match == "partial"
    assert linker.link("Where is bfs based?").mentions == []  # initials only in capitals


def test_a_direct_statement_outranks_a_longer_path_to_another_answer() -> None:
    people = {
        "people/ana.txt": [
            ("Ana lives in Porto.", [Fact("Ana", "live_in", "Porto")]),
            ("Ana is a friend of Rui.", [Fact("Ana", "friend_of", "Rui", tail_type="PERSON")]),
            ("Rui lives in Braga.", [Fact("Rui", "live_in", "Braga")]),
        ]
    }
    answerer = _answerer(people)
    result = answerer.answer("Where does Ana live?")
    assert [a.label for a in result.answers[:2]] == ["Porto", "Braga"]
    assert len(result.answers[0].paths[0].hops) == 1
    # a question that describes its entity asks for the chain
    assert answerer.answer("Where does the friend of Ana live?").answers[0].label == "Braga"


def test_a_described_entity_is_recognised_as_a_chain() -> None:
    q = "Where was the founder of Northwind Analytics born?"
    assert asks_chain(q, (q.index("Northwind"), q.index(" born")))
    q = "Who is the founder of Northwind Analytics?"
    assert not asks_chain(q, (q.index("Northwind"), len(q) - 1))


def test_an_ambiguous_name_is_reported_with_ids_that_can_be_bracketed_back() -> None:
    documents = {
        "ports.txt": [
            ("Gdansk lies in Poland.", [Fact("Gdansk", "lie_in", "Poland", "GPE", "GPE")]),
            ("Gdansk employs 90 dockers.", [Fact("Gdansk", "employ", "dockers", "ORG", "MISC")]),
        ]
    }
    answerer = _answerer(documents)
    result = answerer.answer("Where does Gdansk lie?")
    (note,) = [n for n in result.notes if "ambiguous" in n]
    printed = re.findall(r"\((ent:[^)]+)\)", note)
    assert sorted(printed) == ["ent:org.gdansk", "ent:place.gdansk"]  # valid SPARQL names
    chosen = answerer.answer("Where does [ent:place.gdansk] lie?")
    assert not chosen.ambiguous and chosen.selected[0].label == "Poland"
