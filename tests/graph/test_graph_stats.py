"""`kgr stats` counted by the store: the same numbers as walking triples() and entities(), on
every backend, multi-typed entities and relations stated by several documents included."""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, Literal, URIRef

from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.graph_stats import entity_types
from kg_reasoner.graph.vocabulary import ENT, KGR, REL

DOC = "http://example.org/doc/"
E1, E2, E3 = (URIRef(ENT + x) for x in ("e1", "e2", "e3"))


def _document(n: int, types: dict[URIRef, str], relations: list[tuple[URIRef, str, URIRef]]
              ) -> tuple[URIRef, list[tuple[object, object, object]]]:  # fmt: skip
    doc = URIRef(f"{DOC}{n}")
    quads: list[tuple[object, object, object]] = [
        (doc, RDF.type, KGR.Document),
        (doc, KGR.documentId, Literal(f"d{n}")),
        (doc, KGR.contentHash, Literal("h")),
        (doc, KGR.fingerprint, Literal("f")),
        (doc, KGR.source, Literal(f"d{n}.txt")),
        (URIRef(f"{DOC}{n}#s0"), RDF.type, KGR.Sentence),
    ]
    quads += [(e, KGR.entityType, Literal(t)) for e, t in types.items()]
    for i, (s, p, o) in enumerate(relations):
        quads.append((s, URIRef(REL + p), o))
        quads.append((URIRef(f"{DOC}{n}#st{i}"), RDF.type, KGR.Statement))
    quads.append((E1, KGR.mentionedIn, URIRef(f"{DOC}{n}#s0")))  # not a relation
    return doc, quads


def test_stats_count_what_triples_and_entities_walk(store) -> None:  # type: ignore[no-untyped-def]
    store.write_documents([
        _document(1, {E1: "PERSON", E2: "ORG", E3: "A"}, [(E1, "works_for", E2)]),
        _document(2, {E1: "PERSON", E3: "B"}, [(E1, "works_for", E2), (E1, "knows", E3)]),
        _document(3, {E1: "ORG"}, [(E2, "based_in", E3)]),
    ])  # fmt: skip
    kg = KnowledgeGraph(store)
    stats = kg.stats()
    # E1 is PERSON in two documents, ORG in one; E3's tie goes to the smaller type
    assert stats["entity_types"] == {"PERSON": 1, "A": 1, "ORG": 1}
    assert stats["entities"] == 3 == len(list(kg.entities()))
    assert stats["triples"] == 3 == len(list(kg.triples()))  # works_for once, not twice
    assert stats["relation_types"] == 3
    assert stats["top_relations"] == {"based_in": 1, "knows": 1, "works_for": 1}
    assert stats["documents"] == 3 == len(kg.documents())
    assert stats["statements"] == 4 and stats["sentences"] == 3
    assert stats["quads"] == len(store)


def test_an_empty_graph_counts_zero(store) -> None:  # type: ignore[no-untyped-def]
    stats = KnowledgeGraph(store).stats()
    assert stats["entities"] == stats["triples"] == stats["documents"] == 0
    assert stats["entity_types"] == {} and stats["top_relations"] == {}


def test_multi_typed_entities_take_their_most_frequent_type() -> None:
    single = [{"t": "PERSON", "n": 5}]
    multi = [{"e": "x", "t": "ORG", "n": 2}, {"e": "x", "t": "GPE", "n": 1},
             {"e": "y", "t": "PERSON", "n": 1}, {"e": "y", "t": "LOC", "n": 1}]  # fmt: skip
    assert entity_types(single, multi) == Counter({"PERSON": 5, "ORG": 1, "LOC": 1})


def test_stats_never_walk_the_quads_in_python(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kg_reasoner.graph.stores import open_store

    store = open_store(tmp_path / "store", backend="oxigraph")
    store.write_documents([_document(1, {E1: "PERSON"}, [(E1, "knows", E2)])])

    def walk(*args: object) -> None:
        raise AssertionError("stats walked the store's quads")

    monkeypatch.setattr(store, "_quads", walk)
    assert KnowledgeGraph(store).stats()["triples"] == 1
    store.close()
