"""One rdfs:label per entity however many documents name it, kept right by deletes and rebuilds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDFS

from kg_reasoner.building import add_documents
from kg_reasoner.corpus import read_corpus
from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.labels import labels_pending, mark_labels_pending
from kg_reasoner.graph.vocabulary import LABELS_GRAPH
from tests.conftest import write_corpus

IBM_DOCS = {
    "a.txt": "IBM is based in Armonk. Ginni Rometty worked for IBM.",
    "b.txt": "Arvind Krishna works for IBM. IBM was founded in 1911.",
    "c.txt": "IBM acquired Red Hat in 2019. Jim Whitehurst worked for Red Hat.",
}
LABEL_JOIN = "SELECT ?sl ?ol WHERE { ?s rel:work_for ?o . ?s rdfs:label ?sl . ?o rdfs:label ?ol }"


@pytest.fixture(params=["oxigraph", "memory"])
def ibm(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[KnowledgeGraph, Path]:
    corpus = write_corpus(tmp_path / "docs", IBM_DOCS)
    path = tmp_path / "kg" if request.param == "oxigraph" else None
    kg = KnowledgeGraph.open(path)
    add_documents(kg, read_corpus(corpus), progress=False)
    yield kg, corpus
    kg.close()


def labels(kg: KnowledgeGraph) -> Counter[str]:
    rows = kg.sparql("SELECT ?l WHERE { ?e rdfs:label ?l }")
    assert isinstance(rows, list)
    return Counter(r["l"] for r in rows)


def test_an_entity_three_documents_name_has_one_label(ibm: tuple[KnowledgeGraph, Path]) -> None:
    kg, _ = ibm
    assert labels(kg)["IBM"] == 1
    rows = kg.sparql(LABEL_JOIN)
    assert isinstance(rows, list)
    pairs = [(r["sl"], r["ol"]) for r in rows]
    assert ("Ginni Rometty", "IBM") in pairs and ("Arvind Krishna", "IBM") in pairs
    assert len(pairs) == len(set(pairs))  # each row once, not once per document naming IBM
    # the names each document gives stay, as provenance, in the document's own graph
    rows = kg.sparql('SELECT ?d WHERE { GRAPH ?d { ?e kgr:documentLabel "IBM" } }')
    assert isinstance(rows, list) and len(rows) == 3


def test_a_label_goes_with_the_last_document_naming_its_entity(
    ibm: tuple[KnowledgeGraph, Path],
) -> None:
    kg, _ = ibm
    kg.delete_document("a.txt")
    assert labels(kg)["IBM"] == 1  # b and c still name IBM
    assert "Ginni Rometty" not in labels(kg) and "Armonk" not in labels(kg)
    kg.delete_document("b.txt")
    assert labels(kg)["IBM"] == 1
    kg.delete_document("c.txt")
    assert labels(kg) == Counter()
    assert list(kg.store.quads(None, RDFS.label, None)) == []


def test_a_rebuilt_document_updates_the_labels_it_supported(
    ibm: tuple[KnowledgeGraph, Path],
) -> None:
    kg, corpus = ibm
    (corpus / "c.txt").write_text("Jim Whitehurst worked for Red Hat in Raleigh.")
    (corpus / "a.txt").write_text("Ginni Rometty was born in Chicago.")
    report = add_documents(kg, read_corpus(corpus), progress=False)
    assert report.counts["updated"] == 2
    found = labels(kg)
    assert found["IBM"] == 1  # b.txt still names it
    assert found["Chicago"] == 1 and "Armonk" not in found  # only the old a.txt named Armonk
    assert max(found.values()) == 1
    kg.delete_document("b.txt")
    assert "IBM" not in labels(kg)  # the rebuilt a and c no longer name IBM


def test_labels_a_killed_build_left_out_are_restored_by_the_next_build(
    ibm: tuple[KnowledgeGraph, Path],
) -> None:
    kg, corpus = ibm
    label_graph = URIRef(LABELS_GRAPH)
    stale = [(s, p, o) for s, p, o, _ in kg.store.quads(None, RDFS.label, None, label_graph)]
    assert not labels_pending(kg.store)  # a build that ended relabelled what it wrote
    kg.store.patch_graph(label_graph, remove=stale)  # as if killed between write and refresh,
    mark_labels_pending(kg.store)  # which leaves the pending mark
    assert labels(kg) == Counter()
    (corpus / "d.txt").write_text("Sam Palmisano worked for IBM.")
    add_documents(kg, read_corpus(corpus), progress=False)
    found = labels(kg)
    assert found["IBM"] == 1 and found["Armonk"] == 1 and found["Sam Palmisano"] == 1
    assert not labels_pending(kg.store)


def test_a_build_after_one_that_ended_relabels_only_what_it_writes(
    ibm: tuple[KnowledgeGraph, Path],
) -> None:
    # no full pass over every label on each incremental build: only a killed one asks for it
    kg, corpus = ibm
    label_graph = URIRef(LABELS_GRAPH)
    armonk = [
        (s, p, o)
        for s, p, o, _ in kg.store.quads(None, RDFS.label, None, label_graph)
        if str(o) == "Armonk"
    ]
    kg.store.patch_graph(label_graph, remove=armonk)
    (corpus / "d.txt").write_text("Sam Palmisano worked for IBM.")
    add_documents(kg, read_corpus(corpus), progress=False)
    found = labels(kg)
    assert found["Sam Palmisano"] == 1 and found["IBM"] == 1 and found["Armonk"] == 0


def test_entity_records_and_label_graph_agree(ibm: tuple[KnowledgeGraph, Path]) -> None:
    kg, _ = ibm
    stored = {
        str(s): str(o)
        for s, _, o, _ in kg.store.quads(None, RDFS.label, None, URIRef(LABELS_GRAPH))
    }
    assert stored == {e.id: e.label for e in kg.entities()}


@pytest.mark.parametrize("scan_all_from", [1, 10_000])
def test_a_refresh_by_one_pass_or_by_look_ups_gives_the_same_labels(
    ibm: tuple[KnowledgeGraph, Path], monkeypatch: pytest.MonkeyPatch, scan_all_from: int
) -> None:
    from kg_reasoner.graph import labels as label_upkeep

    kg, _ = ibm
    before = labels(kg)
    label_graph = URIRef(LABELS_GRAPH)
    ibm_iri = next(str(e) for e, _, o, _ in kg.store.quads(None, RDFS.label, None, label_graph)
                   if str(o) == "IBM")  # fmt: skip
    stale = [(s, p, o) for s, p, o, _ in kg.store.quads(None, RDFS.label, None, label_graph)]
    kg.store.patch_graph(label_graph, remove=stale)
    monkeypatch.setattr(label_upkeep, "_SCAN_ALL_FROM", scan_all_from)
    # only IBM is refreshed: a full pass must keep to the entities asked for
    assert label_upkeep.refresh_labels(kg.store, [ibm_iri]) == 1
    assert labels(kg) == Counter({"IBM": 1})
    label_upkeep.refresh_labels(kg.store, [str(s) for s, _, _ in stale])
    assert labels(kg) == before


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_a_first_build_labels_as_a_full_refresh_would(tmp_path: Path, store: str) -> None:
    # a build into a graph without documents counts the names as it writes them: relabelling
    # everything from the stored document labels afterwards changes nothing
    from kg_reasoner.graph.labels import refresh_labels

    corpus = write_corpus(
        tmp_path / "docs",
        {"a.txt": "Ginni Rometty worked for IBM Corp. in Armonk.",
         "b.txt": "Arvind Krishna worked for IBM in Armonk.",
         "c.txt": "Sam Palmisano worked for IBM Corp in Armonk. Krishna worked for IBM.",
         "d.txt": 'The company "A\\"B" Corp hired Ann Lee.'},
    )  # fmt: skip
    with KnowledgeGraph.open(tmp_path / "kg" if store == "oxigraph" else None) as kg:
        add_documents(kg, read_corpus(corpus), progress=False)
        found = labels(kg)
        # four names for IBM in three documents: the one of most words, then the greatest
        assert found["IBM Corp."] == 1 and found["IBM"] == found["IBM Corp"] == 0
        assert any('\\"' in label for label in found)  # written escaped, counted unescaped
        assert refresh_labels(kg.store) == 0
        assert not labels_pending(kg.store)
