"""The one graph data model: ids, inverse edges, CSR and PyG views, and its two producers."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg_reasoner.errors import DataFormatError
from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.csr_adjacency import CSRAdjacency
from kg_reasoner.graph.triples_factory import INVERSE_SUFFIX, TriplesFactory
from kg_reasoner.graph.vocabulary import KGR, document_iri, relation_iri
from kg_reasoner.retrieval.kb_readers import index_from_graph, read_triples_factory

CURIE, PIERRE, WARSAW, PARIS = (
    f"https://kg-reasoner.org/entity/{n}" for n in ("marie", "pierre", "warsaw", "paris")
)
TRIPLES = [
    (CURIE, "born_in", WARSAW),
    (CURIE, "spouse_of", PIERRE),
    (PIERRE, "born_in", PARIS),
    (CURIE, "lived_in", PARIS),
]


def test_ids_are_sorted_names_whatever_the_input_order() -> None:
    forward = TriplesFactory.from_labeled_triples(TRIPLES)
    backward = TriplesFactory.from_labeled_triples(list(reversed(TRIPLES)) + TRIPLES[:1])
    assert forward == backward
    assert forward.entity_ids == sorted({CURIE, PIERRE, WARSAW, PARIS})
    assert forward.relations == ["born_in", "lived_in", "spouse_of"]
    assert forward.mapped_triples.dtype == torch.long and forward.mapped_triples.shape == (4, 3)
    rows = [forward.triple(i) for i in range(forward.num_triples)]
    assert rows == sorted(TRIPLES)


def test_isolated_entities_are_nodes() -> None:
    factory = TriplesFactory.from_labeled_triples(TRIPLES[:1], entities=["zz-alone"])
    assert factory.num_entities == 3 and "zz-alone" in factory.entity_to_id


def test_inverse_edges_take_ids_r_plus_num_relations() -> None:
    factory = TriplesFactory.from_labeled_triples(TRIPLES)
    both = factory.with_inverse()
    R = factory.num_relations
    assert both.num_triples == 2 * factory.num_triples and both.num_relations == 2 * R
    assert both.relation_to_id["born_in" + INVERSE_SUFFIX] == factory.relation_to_id["born_in"] + R
    assert factory.relation_name(factory.relation_to_id["spouse_of"] + R) == "spouse_of^-1"
    forward, inverse = both.mapped_triples[: factory.num_triples], both.mapped_triples[4:]
    assert torch.equal(inverse[:, 0], forward[:, 2]) and torch.equal(inverse[:, 2], forward[:, 0])
    assert torch.equal(inverse[:, 1], forward[:, 1] + R)


def test_csr_lists_every_edge_of_the_inverse_view_once() -> None:
    factory = TriplesFactory.from_labeled_triples(TRIPLES)
    csr = factory.csr()
    assert csr is factory.csr()  # built once
    assert csr.num_nodes == factory.num_entities and csr.num_edges == 2 * factory.num_triples
    edges = set()
    for node in range(csr.num_nodes):
        targets, relations, triple_ids = csr.out_edges(node)
        assert list(zip(relations.tolist(), targets.tolist(), strict=True)) == sorted(
            zip(relations.tolist(), targets.tolist(), strict=True)
        )  # sorted by (relation, target) within a node
        for target, rel, tid in zip(targets.tolist(), relations.tolist(), triple_ids.tolist(),
                                    strict=True):  # fmt: skip
            h, r, t = factory.mapped_triples[tid].tolist()
            assert (node, rel % factory.num_relations, target) == (
                (h, r, t) if rel < factory.num_relations else (t, r, h)
            )
            edges.add((node, rel, target))
    assert edges == {tuple(row) for row in factory.with_inverse().mapped_triples.tolist()}


def test_csr_from_edges_keeps_triple_ids_with_their_edges() -> None:
    edge_index = torch.tensor([[1, 0, 1], [0, 1, 1]])
    csr = CSRAdjacency.from_edges(
        edge_index, torch.tensor([5, 6, 7]), 2, triple_ids=torch.tensor([10, 11, 12])
    )
    assert csr.indptr.tolist() == [0, 1, 3]
    assert csr.targets.tolist() == [1, 0, 1] and csr.relations.tolist() == [6, 5, 7]
    assert csr.triple_ids.tolist() == [11, 10, 12]
    assert CSRAdjacency.from_edges(edge_index, torch.tensor([5, 6, 7]), 2).triple_ids.tolist() == [
        -1, -1, -1
    ]  # fmt: skip


def test_pyg_view_has_one_column_per_triple() -> None:
    factory = TriplesFactory.from_labeled_triples(TRIPLES)
    data = factory.to_pyg()
    assert data.num_nodes == factory.num_entities
    assert torch.equal(data.edge_index, factory.mapped_triples[:, [0, 2]].t())
    assert torch.equal(data.edge_type, factory.mapped_triples[:, 1])


def _graph_of(triples: list[tuple[str, str, object]]) -> KnowledgeGraph:
    """An in-memory graph holding ``triples`` as one document states them."""
    kg = KnowledgeGraph.open(None)
    quads: list[tuple[URIRef, URIRef, URIRef | Literal]] = []
    for s, p, o in triples:
        obj = o if isinstance(o, Literal) else URIRef(str(o))
        quads.append((URIRef(s), URIRef(relation_iri(p)), obj))
        for node in (s, o):
            if not isinstance(node, Literal):
                quads.append((URIRef(str(node)), KGR.entityType, Literal("PERSON")))
    kg.store.write_documents([(URIRef(document_iri("d")), quads)])
    return kg


def test_kb_file_and_knowledge_graph_give_the_same_factory(tmp_path: Path) -> None:
    kb = tmp_path / "kb.txt"
    kb.write_text("".join(f"{s}|{p}|{o}\n" for s, p, o in TRIPLES), encoding="utf-8")
    with _graph_of(list(TRIPLES)) as kg:
        from_graph = kg.triples_factory()
        indexed = index_from_graph(kg)
    assert read_triples_factory(kb) == from_graph == indexed.triples_factory


def test_literal_objects_are_nodes_in_both_graph_producers() -> None:
    year = Literal("1867", datatype=XSD.gYear)
    with _graph_of([*TRIPLES, (CURIE, "born_on", year)]) as kg:
        from_graph = kg.triples_factory()
        indexed = index_from_graph(kg)
    assert from_graph == indexed.triples_factory
    assert year.n3() in from_graph.entity_to_id
    node = from_graph.entity_to_id[year.n3()]
    assert indexed.entity_labels[node] == "1867" and indexed.entity_type(node) == "DATE"


def test_graph_package_offers_the_factory_lazily() -> None:
    import kg_reasoner.graph as graph_stage

    assert graph_stage.TriplesFactory is TriplesFactory
    assert "TriplesFactory" in graph_stage.__all__


def test_ids_outside_the_vocabularies_are_refused() -> None:
    with pytest.raises(DataFormatError, match=r"entity id outside 0\.\.1"):
        TriplesFactory(
            entity_to_id={"a": 0, "b": 1}, relation_to_id={"r": 0},
            mapped_triples=torch.tensor([[0, 0, 2]]),
        )  # fmt: skip
    with pytest.raises(DataFormatError, match="relation ids must be"):
        TriplesFactory(
            entity_to_id={"a": 0}, relation_to_id={"r": 1}, mapped_triples=torch.zeros(0, 3)
        )
