"""A KB's triples loaded into every store backend speak the vocabulary of built graphs."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from kg_reasoner.graph.stores import GraphStore, open_store
from kg_reasoner.graph.stores.triples_loader import KB_ENTITIES_GRAPH, KB_GRAPH, load_triples
from kg_reasoner.graph.triples_factory import TriplesFactory
from kg_reasoner.graph.vocabulary import LABELS_GRAPH, name_iri, name_of_iri, sparql_term

TRIPLES = [
    ("Tom Hanks", "starred_in", "Big"),
    ("Big", "directed_by", "Penny Marshall"),
    ("http://example.org/Big.1988", "release_year", "1988"),
]


@pytest.fixture
def loaded(store: GraphStore) -> GraphStore:
    factory = TriplesFactory.from_labeled_triples(TRIPLES)
    load_triples(store, factory, [f"label of {e}" for e in factory.entity_ids])
    return store


def test_relations_and_names_use_the_rel_and_ent_namespaces(loaded) -> None:  # type: ignore[no-untyped-def]
    rows = loaded.query("SELECT ?who WHERE { ent:Big rel:directed_by ?who }")
    assert [name_of_iri(str(r["who"])) for r in rows] == ["Penny Marshall"]
    star = sparql_term(name_iri("Tom Hanks"))
    assert star == "ent:Tom%20Hanks"
    assert loaded.query(f"ASK {{ {star} rel:starred_in ent:Big }}") is True
    iri = loaded.query("SELECT ?s WHERE { ?s rel:release_year ?y }")
    assert [str(r["s"]) for r in iri] == ["http://example.org/Big.1988"]  # IRI ids stay


def test_labels_go_to_the_labels_graph_and_triples_to_the_kb_graph(loaded) -> None:  # type: ignore[no-untyped-def]
    labels = {(str(q[0]), str(q[2]), str(q[3])) for q in loaded.quads(None, None, None)
              if str(q[1]).endswith("#label")}  # fmt: skip
    assert (name_iri("Big"), "label of Big", LABELS_GRAPH) in labels and len(labels) == 5
    assert len(list(loaded.quads(None, None, None, URIRef(KB_GRAPH)))) == len(TRIPLES)


def test_name_iri_round_trips_names_with_dots_and_tildes() -> None:
    for name in ("St. Louis", "a~b", "Tom Hanks", "50%"):
        iri = name_iri(name)
        assert name_of_iri(iri) == name and sparql_term(iri).startswith("ent:")


def test_entity_names_types_and_aliases_are_described_as_a_build_writes_them() -> None:
    store = open_store(None, backend="memory")
    factory = TriplesFactory.from_labeled_triples(TRIPLES)
    types = ["PERSON" if e == "Tom Hanks" else "" for e in factory.entity_ids]
    aliases = [("Hanks",) if e == "Tom Hanks" else () for e in factory.entity_ids]
    load_triples(store, factory, list(factory.entity_ids), types=types, aliases=aliases)
    described = {
        (name_of_iri(str(s)), str(p).rsplit("#", 1)[-1], str(o))
        for s, p, o, _ in store.quads(None, None, None, URIRef(KB_ENTITIES_GRAPH))
    }
    assert {
        ("Tom Hanks", "documentLabel", "Tom Hanks"),
        ("Tom Hanks", "entityType", "PERSON"),
        ("Tom Hanks", "alias", "Hanks"),
        ("Tom Hanks", "aliasKey", "tom hanks"),
        ("Tom Hanks", "aliasKey", "hanks"),
        ("Big", "entityType", ""),
    } <= described
    assert len(list(store.quads(None, None, None, URIRef(KB_GRAPH)))) == len(TRIPLES)


def test_each_graph_is_one_batch_in_order_and_a_failed_write_is_raised_here() -> None:
    from kg_reasoner.errors import StoreError
    from kg_reasoner.graph.stores.triples_loader import LABELS_GRAPH

    written: list[list[str]] = []

    class Recording(type(open_store(None, backend="memory"))):  # type: ignore[misc]
        fail = False

        def write_prepared(self, prepared):  # type: ignore[no-untyped-def]
            if self.fail:
                raise StoreError("disk full")
            written.append([g for g, _ in prepared])
            super().write_prepared(prepared)

    factory = TriplesFactory.from_labeled_triples(TRIPLES)
    store = Recording()
    load_triples(store, factory, list(factory.entity_ids))
    assert written == [[LABELS_GRAPH], [KB_GRAPH], [KB_ENTITIES_GRAPH]]
    assert len(list(store.quads(None, None, None, URIRef(KB_GRAPH)))) == len(TRIPLES)
    failing = Recording()
    failing.fail = True
    with pytest.raises(StoreError, match="disk full"):  # not lost on the writer thread
        load_triples(failing, factory, list(factory.entity_ids))
