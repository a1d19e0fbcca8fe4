"""Building, incremental updates, deletion, provenance, conversions and exports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
import rdflib

from kg_reasoner.building import add_documents
from kg_reasoner.corpus import Document, read_corpus
from kg_reasoner.errors import DocumentNotFoundError, EntityNotFoundError, StoreError
from kg_reasoner.graph import KnowledgeGraph, Triple
from kg_reasoner.graph.export import FORMATS, export_graph
from kg_reasoner.graph.triples_factory import labeled_triple
from kg_reasoner.pipelines import build_graph


@pytest.fixture
def built(corpus: Path, tmp_path: Path) -> Path:
    build_graph(corpus, tmp_path / "kg")
    return tmp_path / "kg"


def _triple(kg: KnowledgeGraph, s: str, p: str, o: str) -> Triple | None:
    for t in kg.triples(predicate=p):
        if kg.entity(t.subject).label == s and kg.entity(t.object).label == o:
            return t
    return None


def test_build_extracts_entities_relations_and_provenance(built: Path) -> None:
    with KnowledgeGraph.open(built, read_only=True) as kg:
        t = _triple(kg, "Marie Curie", "born_in", "Warsaw")
        assert t is not None
        prov = kg.provenance(t)
        assert {p.document for p in prov} == {"people/curie.txt", "places/warsaw.txt"}
        for p in prov:
            assert p.extractor == "rules-v2" and 0 < p.confidence <= 1
            assert "born in Warsaw" in p.sentence
            assert p.sentence_start <= p.start < p.end <= p.sentence_end
        # the pronoun "She" resolved to Marie Curie, with a lower confidence
        work = _triple(kg, "Marie Curie", "work_for", "University of Paris")
        assert work is not None and kg.provenance(work)[0].confidence < 0.8
        assert _triple(kg, "Larry Page", "founder_of", "Google") is not None


def test_offsets_point_into_the_document_text(built: Path, corpus: Path) -> None:
    text = (corpus / "people" / "curie.txt").read_text()
    with KnowledgeGraph.open(built, read_only=True) as kg:
        t = _triple(kg, "Marie Curie", "born_in", "Warsaw")
        assert t is not None
        p = next(p for p in kg.provenance(t) if p.document == "people/curie.txt")
        assert text[p.sentence_start : p.sentence_end] == p.sentence
        assert text[p.start : p.end] == "Marie Curie was born in Warsaw"


def test_aliases_merge_within_and_across_documents(built: Path) -> None:
    with KnowledgeGraph.open(built, read_only=True) as kg:
        turing = kg.entity("Alan Turing")
        assert {"Alan Turing", "Turing"} <= set(turing.aliases)
        assert kg.entity("Turing").id == turing.id
        curie = kg.entity("Marie Curie")
        assert len(kg.find_entities("marie curie")) == 1  # one entity across two documents
        assert kg.entity("MARIE CURIE").id == curie.id
        with pytest.raises(EntityNotFoundError):
            kg.entity("Nobody Atall")


def test_rerun_skips_unchanged_and_redoes_only_edited_documents(
    corpus: Path, tmp_path: Path
) -> None:
    graph = tmp_path / "kg"
    first = build_graph(corpus, graph)
    assert first.counts["added"] == 4
    assert build_graph(corpus, graph).counts["unchanged"] == 4
    (corpus / "people" / "turing.md").write_text("Alan Turing was born in Maida Vale.")
    (corpus / "places" / "warsaw.txt").write_text("Warsaw lies on the Vistula.")
    report = build_graph(corpus, graph)
    assert report.counts == {**report.counts, "updated": 2, "unchanged": 2, "added": 0}
    with KnowledgeGraph.open(graph, read_only=True) as kg:
        assert _triple(kg, "Alan Turing", "born_in", "Maida Vale") is not None
        assert _triple(kg, "Alan Turing", "born_in", "London") is None  # old statement replaced
        t = _triple(kg, "Marie Curie", "born_in", "Warsaw")
        assert t is not None and {p.document for p in kg.provenance(t)} == {"people/curie.txt"}


def test_prune_removes_documents_that_left_the_corpus(corpus: Path, tmp_path: Path) -> None:
    graph = tmp_path / "kg"
    build_graph(corpus, graph)
    (corpus / "companies" / "google.txt").unlink()
    assert build_graph(corpus, graph).counts["removed"] == 0  # without --prune nothing is lost
    report = build_graph(corpus, graph, prune=True)
    assert report.counts["removed"] == 1
    with KnowledgeGraph.open(graph, read_only=True) as kg:
        assert "companies/google.txt" not in kg.documents()
        assert not kg.find_entities("Larry Page")


def test_deleting_a_document_keeps_triples_other_documents_state(built: Path) -> None:
    with KnowledgeGraph.open(built) as kg:
        assert kg.delete_document("places/warsaw.txt") == "places/warsaw.txt"
        t = _triple(kg, "Marie Curie", "born_in", "Warsaw")
        assert t is not None and [p.document for p in kg.provenance(t)] == ["people/curie.txt"]
        assert _triple(kg, "Warsaw", "capital_of", "Poland") is None
        # a path ending with the id also works
        assert kg.delete_document("/somewhere/corpus/people/curie.txt") == "people/curie.txt"
        assert _triple(kg, "Marie Curie", "born_in", "Warsaw") is None
        with pytest.raises(DocumentNotFoundError, match="no document"):
            kg.delete_document("people/nobody.txt")


def test_triples_factory_and_networkx_agree_with_triples(built: Path) -> None:
    with KnowledgeGraph.open(built, read_only=True) as kg:
        triples = list(kg.triples())
        factory = kg.triples_factory()
        entities = {e.id for e in kg.entities()}
        g = kg.to_networkx()
    data = factory.to_pyg()
    assert data.edge_index.shape == (2, len(triples)) and data.edge_type.shape == (len(triples),)
    assert set(factory.relation_to_id) == {t.predicate for t in triples}
    assert int(data.edge_index.max()) < data.num_nodes == factory.num_entities
    assert entities <= set(factory.entity_to_id)
    id_to_entity = {i: e for e, i in factory.entity_to_id.items()}
    id_to_rel = {i: r for r, i in factory.relation_to_id.items()}
    rebuilt = {
        (id_to_entity[int(s)], id_to_rel[int(r)], id_to_entity[int(o)])
        for (s, o), r in zip(data.edge_index.t().tolist(), data.edge_type.tolist(), strict=True)
    }
    assert rebuilt == {labeled_triple(t) for t in triples}
    assert g.number_of_edges() == len(triples)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_exports_are_readable_by_standard_tools(built: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    with KnowledgeGraph.open(built, read_only=True) as kg:
        export_graph(kg, fmt, out)
        n_triples = len(list(kg.triples()))
    if fmt == "graphml":
        assert nx.read_graphml(out).number_of_edges() == n_triples
    elif fmt == "csv":
        rows = list(csv.DictReader(out.open()))
        assert rows and {"subject", "relation", "document", "sentence", "confidence"} <= set(
            rows[0]
        )
    elif fmt == "nq":
        ds = rdflib.Dataset()
        ds.parse(out, format="nquads")
        assert len(list(ds.graphs())) >= 4
    else:
        g = rdflib.Graph()
        g.parse(out, format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt])
        rel = "https://kg-reasoner.org/rel/"
        assert len({t for t in g if str(t[1]).startswith(rel)}) == n_triples


def test_memory_backend_builds_the_same_graph(corpus: Path, built: Path) -> None:
    with KnowledgeGraph.open(None) as mem:
        add_documents(mem, read_corpus(corpus), progress=False)
        with KnowledgeGraph.open(built, read_only=True) as disk:
            assert set(mem.triples()) == set(disk.triples())
            assert mem.stats()["entities"] == disk.stats()["entities"]


def test_documents_that_fail_extraction_are_reported_and_others_kept(tmp_path: Path) -> None:
    from kg_reasoner.building import BuildConfig

    cfg = BuildConfig()
    cfg.extraction.max_chunk_chars = 200
    with KnowledgeGraph.open(None) as kg:
        report = add_documents(
            kg,
            [
                Document("ok", "Alan Turing was born in London."),
                Document("dup", "x"),
                Document("dup", "y"),
            ],
            config=cfg,
            progress=False,
        )
        assert report.counts["added"] == 2 and report.counts["skipped"] == 1
        assert "duplicate" in report.documents[0].reason or any(
            "duplicate" in d.reason for d in report.documents
        )


def test_opening_a_foreign_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(StoreError, match="not a kg_reasoner graph"):
        KnowledgeGraph.open(tmp_path)
    with pytest.raises(StoreError, match="kgr build"):
        KnowledgeGraph.open(tmp_path / "missing", read_only=True)


def test_build_report_lists_every_document(corpus: Path, tmp_path: Path) -> None:
    (corpus / "bad.txt").write_bytes(b"\x00\x01binary")
    build_graph(corpus, tmp_path / "kg")
    report = json.loads((tmp_path / "kg" / "reports" / "last_build.json").read_text())
    statuses = {d["id"]: d["status"] for d in report["documents"]}
    assert statuses["bad.txt"] == "skipped" and statuses["people/curie.txt"] == "added"
    assert report["counts"]["added"] == 4


def test_a_graph_open_for_writing_elsewhere_gives_a_clear_error(tmp_path: Path) -> None:
    with (
        KnowledgeGraph.open(tmp_path / "kg"),
        pytest.raises(StoreError, match="cannot open the graph store"),
    ):
        KnowledgeGraph.open(tmp_path / "kg")


def test_a_failed_store_write_stops_the_build_and_later_batches_stay_unwritten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kg_reasoner.building import BuildConfig
    from kg_reasoner.graph.stores.memory import MemoryStore

    written: list[object] = []
    original = MemoryStore._write

    def failing_second_write(self: MemoryStore, prepared: object) -> None:
        if len(written) == 1:
            written.append("failed")
            raise StoreError("disk full")
        written.append(prepared)
        original(self, prepared)

    monkeypatch.setattr(MemoryStore, "_write", failing_second_write)
    docs = [Document(f"d{i}", f"Person{i} Smith was born in Paris.") for i in range(6)]
    with KnowledgeGraph.open(None) as kg:
        with pytest.raises(StoreError, match="disk full"):
            add_documents(kg, docs, config=BuildConfig(commit_every=1), progress=False)
        assert list(kg.documents()) == ["d0"]
    assert len(written) == 2  # the batches queued behind the failed one were never written


def test_all_triples_read_only_relation_quads(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listing every triple asks the store for the relation predicates' distinct triples,
    never turns the whole store into Python terms (provenance, labels and sentences are most
    of it), and finds the same triples, in order, as one pattern read per triple does."""
    with KnowledgeGraph.open(built, read_only=True) as kg:
        patterns: list[tuple[object, ...]] = []
        queries: list[str] = []
        quads, query = kg.store.quads, kg.store.query
        monkeypatch.setattr(kg.store, "quads", lambda *a: patterns.append(a) or quads(*a))
        monkeypatch.setattr(kg.store, "query", lambda q: queries.append(q) or query(q))
        triples = list(kg.triples())
        assert all(p is not None for _, p, *_ in patterns)  # no scan of every quad
        assert any("VALUES ?p" in q for q in queries)
        per_triple = {t for t in triples for t in kg.triples(t.subject, t.predicate, None)}
    assert triples and len(triples) == len(set(triples)) and set(triples) == per_triple
    assert triples == sorted(triples, key=lambda t: (t.subject, t.predicate, t.object))


def test_provenance_with_a_limit_reads_a_bounded_number_of_statements(tmp_path: Path) -> None:
    # one fact stated in six documents, next to other facts about the same subject
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(6):
        (docs / f"d{i}.txt").write_text(
            "Marie Curie was born in Warsaw. Marie Curie worked for the University of Paris."
        )
    build_graph(docs, tmp_path / "kg")
    with KnowledgeGraph.open(tmp_path / "kg", read_only=True) as kg:
        born = _triple(kg, "Marie Curie", "born_in", "Warsaw")
        assert born is not None
        every = kg.provenance(born)
        assert sorted(p.document for p in every) == [f"d{i}.txt" for i in range(6)]
        assert all("born in Warsaw" in p.sentence for p in every)
        two = kg.provenance(born, limit=2)
        assert len(two) == 2 and {p.document for p in two} <= {p.document for p in every}
        assert [p.confidence for p in two] == sorted((p.confidence for p in two), reverse=True)
        assert len(kg.provenance(born, limit=10)) == 6
