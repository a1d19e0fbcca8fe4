"""Values stored as typed RDF literals, concept nodes, and the order of statements."""

from __future__ import annotations

from pathlib import Path

import rdflib

from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.export import export_graph
from kg_reasoner.pipelines import build_graph
from tests.conftest import write_corpus

DOCS = {
    "tower.txt": (
        "20 Fenchurch Street has 34 floors. It was completed in 2014. "
        "Ashgabat International Airport has an elevation of 211 metres."
    ),
    "mary.txt": (
        "Mary went to the hallway. Mary moved to the kitchen in 2015. The milk is in the kitchen."
    ),
}


def _build(tmp_path: Path) -> Path:
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    build_graph(corpus, tmp_path / "kg")
    return tmp_path / "kg"


def test_values_are_typed_literals_in_sparql_and_exports(tmp_path: Path) -> None:
    kg_dir = _build(tmp_path)
    with KnowledgeGraph.open(kg_dir, read_only=True) as kg:
        rows = kg.sparql(
            "SELECT ?o (DATATYPE(?o) AS ?dt) WHERE { ?s rel:floor_count ?o . ?s rdfs:label ?l "
            'FILTER(?l = "20 Fenchurch Street") }'
        )
        assert rows == [{"o": "34", "dt": "http://www.w3.org/2001/XMLSchema#integer"}]
        units = kg.sparql(
            "SELECT ?u WHERE { ?st rdf:predicate rel:elevation ; rdf:object ?o ; kgr:unit ?u }"
        )
        assert [r["u"] for r in units] == ["metre"]
        (floors,) = [t for t in kg.triples(predicate="floor_count")]
        assert floors.object == "34" and floors.datatype.endswith("#integer")
        (prov,) = kg.provenance(floors)
        assert "34 floors" in prov.sentence
        out = export_graph(kg, "nt", tmp_path / "out.nt")
    graph = rdflib.Graph().parse(out, format="nt")
    literals = [o for _, p, o in graph if str(p).endswith("/rel/floor_count")]
    assert literals == [rdflib.Literal(34)]


def test_common_nouns_are_concept_nodes_merged_by_lemma(tmp_path: Path) -> None:
    kg_dir = _build(tmp_path)
    with KnowledgeGraph.open(kg_dir, read_only=True) as kg:
        kitchen = kg.entity("kitchen")
        assert kitchen.type == "CONCEPT"
        flagged = kg.sparql(f"ASK {{ <{kitchen.id}> kgr:isConcept true }}")
        assert flagged is True
        # "the kitchen" twice (and "the milk is in the kitchen") is one node
        rows = kg.sparql('SELECT ?e WHERE { ?e kgr:entityType "CONCEPT" ; rdfs:label "kitchen" }')
        assert len({r["e"] for r in rows}) == 1


def test_statements_keep_their_sentence_position(tmp_path: Path) -> None:
    kg_dir = _build(tmp_path)
    with KnowledgeGraph.open(kg_dir, read_only=True) as kg:
        rows = kg.sparql(
            "SELECT ?l ?pos WHERE { ?st rdf:subject ?m ; rdf:object ?o ; kgr:position ?pos . "
            '?m rdfs:label "Mary" . ?o rdfs:label ?l } ORDER BY ?pos'
        )
        assert [(r["l"], r["pos"]) for r in rows] == [("hallway", "0"), ("kitchen", "1")]
        dated = kg.sparql("SELECT ?d WHERE { ?st kgr:statedDate ?d }")
        assert {r["d"] for r in dated} == {"2015"}  # on move_to, not on the date itself
