"""A KBIndex served as the one graph facade: a KnowledgeGraph over its triples, SPARQL included,
whose entity ids are ``ent:<name>`` IRIs while the index keeps the KB's names."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from kg_reasoner.errors import EntityNotFoundError, QueryError, StoreError
from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.stores.triples_loader import KB_GRAPH
from kg_reasoner.graph.vocabulary import name_iri
from kg_reasoner.retrieval.kb_graph import kb_graph
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.retrieval.kb_readers import index_from_graph
from tests.qa.toy_kb import MOVIE_TRIPLES


def _movies() -> KnowledgeGraph:
    return kb_graph(KBIndex.from_triples(MOVIE_TRIPLES))


def test_sparql_over_a_kb_file_takes_the_rel_prefix_of_built_graphs() -> None:
    graph = _movies()
    rows = graph.sparql(
        'SELECT ?film WHERE { ?film rel:directed_by ?d . ?d rdfs:label "Sam Mendes" }'
    )
    films = {s for s, r, o in MOVIE_TRIPLES if r == "directed_by" and o == "Sam Mendes"}
    assert isinstance(rows, list)
    assert films and {graph.entity(r["film"]).label for r in rows} == films
    assert {r["film"] for r in rows} == {name_iri(f) for f in films}
    assert graph.sparql("ASK { ?s rel:no_such_relation ?o }") is False
    with pytest.raises(QueryError):
        graph.sparql("INSERT DATA { ent:a rel:b ent:c }")


def test_entities_are_name_iris_found_by_name_printed_term_or_iri() -> None:
    graph = _movies()
    krasinski = name_iri("John Krasinski")
    assert graph.entity("John Krasinski").id == krasinski
    assert graph.entity("john krasinski").id == krasinski
    assert graph.entity("ent:John%20Krasinski").id == krasinski
    assert graph.entity("https://kg-reasoner.org/entity/John%20Krasinski").id == krasinski
    assert graph.entity("John Krasinski").label == "John Krasinski"
    with pytest.raises(EntityNotFoundError):
        graph.entity("ent:Nobody")


def test_an_entity_is_found_by_its_kb_name_when_its_label_differs() -> None:
    index = KBIndex.from_triples(
        [("urn:x:1", "knows", "urn:x:2")], labels={"urn:x:1": "Ann", "urn:x:2": "Bob"}
    )
    graph = kb_graph(index)
    assert graph.entity("urn:x:1").label == "Ann"
    assert graph.entity("Bob").id == name_iri("urn:x:2")


def test_triples_take_kb_names_or_iris_and_give_iris() -> None:
    graph = _movies()
    by_name = {(t.predicate, t.object) for t in graph.triples(subject="Skyfall")}
    by_iri = {(t.predicate, t.object) for t in graph.triples(subject=name_iri("Skyfall"))}
    assert by_name == by_iri == {
        (r, name_iri(o)) for s, r, o in MOVIE_TRIPLES if s == "Skyfall"
    }
    directors = [t.subject for t in graph.triples(predicate="directed_by", object="Sam Mendes")]
    assert sorted(directors) == [name_iri("Away We Go"), name_iri("Skyfall")]
    assert graph.stats()["triples"] == len(MOVIE_TRIPLES)


def test_a_kb_graph_gives_back_the_index_it_was_made_from() -> None:
    index = KBIndex.from_triples(
        [("urn:x:1", "knows", "urn:x:2")],
        labels={"urn:x:1": "Ann", "urn:x:2": "Bob"},
        aliases={"urn:x:1": ("Annie",)},
        types={"urn:x:1": "PERSON", "urn:x:2": "PERSON"},
    )
    again = index_from_graph(kb_graph(index))
    assert again.entity_ids == index.entity_ids == ["urn:x:1", "urn:x:2"]
    assert again.triples_factory is index.triples_factory
    assert again.entity_labels == index.entity_labels
    assert again.entity_aliases == index.entity_aliases
    assert again.entity_types == index.entity_types


def test_a_kb_graph_is_read_only_and_states_no_sentences() -> None:
    graph = _movies()
    triple = next(graph.triples(subject="Skyfall"))
    assert graph.provenance(triple) == []
    assert graph.documents() == {}
    with pytest.raises(StoreError, match="read-only"):
        graph.store.remove_documents([URIRef(KB_GRAPH)])
    assert graph.stats()["triples"] == len(MOVIE_TRIPLES)
