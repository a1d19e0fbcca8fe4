"""A knowledge base of triples as a KnowledgeGraph: entity records from its labels, types and
aliases, read-only, its store loaded on first read only."""

from __future__ import annotations

import pytest

from kg_reasoner.errors import StoreError
from kg_reasoner.graph import KnowledgeGraph, Triple
from kg_reasoner.graph.knowledge_base import KnowledgeBase
from kg_reasoner.graph.records import EntityRecord
from kg_reasoner.graph.stores import triples_loader
from kg_reasoner.graph.triples_factory import TriplesFactory
from kg_reasoner.graph.vocabulary import name_iri

TRIPLES = [
    ("Tom Hanks", "starred_in", "Big"),
    ("Big", "directed_by", "Penny Marshall"),
    ("Tom Hanks", "starred_in", "Splash"),
]


def _graph() -> KnowledgeGraph:
    return KnowledgeGraph.from_triples(
        TriplesFactory.from_labeled_triples(TRIPLES),
        labels={"Big": "Big (1988)"},
        aliases={"Tom Hanks": ("Thomas Hanks", "Hanks")},
        types={"Tom Hanks": "PERSON", "Penny Marshall": "PERSON"},
    )


def test_the_knowledge_base_defaults_labels_to_names_and_types_to_empty() -> None:
    factory = TriplesFactory.from_labeled_triples(TRIPLES)
    kb = KnowledgeBase.from_factory(factory, labels={"Big": "Big (1988)"})
    assert kb.labels == ("Big (1988)", "Penny Marshall", "Splash", "Tom Hanks")
    assert kb.types == ("", "", "", "") and kb.aliases == ((), (), (), ())


def test_entity_records_carry_the_labels_types_and_aliases_given() -> None:
    graph = _graph()
    records = {e.id: e for e in graph.entities()}
    assert records[name_iri("Tom Hanks")] == EntityRecord(
        name_iri("Tom Hanks"), "Tom Hanks", "PERSON", ("Hanks", "Thomas Hanks")
    )
    assert records[name_iri("Big")].label == "Big (1988)"
    assert records[name_iri("Splash")].type == ""
    assert len(records) == 4


def test_entities_are_found_by_label_alias_alias_key_and_kb_name() -> None:
    graph = _graph()
    hanks = name_iri("Tom Hanks")
    assert graph.entity("Thomas Hanks").id == hanks
    assert graph.entity("tom hanks").id == hanks
    assert graph.entity("Big").id == name_iri("Big")  # its KB name, not its label
    assert graph.entity("Big (1988)").id == name_iri("Big")


def test_stats_and_triples_count_the_kb() -> None:
    stats = _graph().stats()
    assert stats["entities"] == 4 and stats["triples"] == 3 and stats["relation_types"] == 2
    assert stats["entity_types"] == {"PERSON": 2, "": 2} and stats["documents"] == 0


def test_the_store_is_loaded_on_first_read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[int] = []
    load = triples_loader.load_triples

    def counting(*args: object, **kwargs: object) -> None:
        loads.append(1)
        load(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(triples_loader, "load_triples", counting)
    graph = _graph()
    triple = Triple(name_iri("Tom Hanks"), "starred_in", name_iri("Big"))
    assert graph.provenance(triple) == [] and loads == []  # answering never loads it
    assert graph.entity("Tom Hanks").label == "Tom Hanks" and loads == [1]
    assert list(graph.triples(subject="Tom Hanks")) and loads == [1]


def test_a_kb_graph_refuses_writes_with_the_fix() -> None:
    graph = _graph()
    with pytest.raises(StoreError, match="kgr build DOCS --graph DIR"):
        graph.store.remove_documents(graph.store.named_graphs())
