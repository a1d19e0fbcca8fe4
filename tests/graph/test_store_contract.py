"""One contract, every backend: atomic per-document graphs, union queries, read-only SPARQL."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg_reasoner.errors import QueryError, StoreError
from kg_reasoner.graph.stores import BACKENDS, open_store
from kg_reasoner.graph.stores.sparql_guard import is_update
from tests.graph.conftest import SERVERS, STORE_PARAMS
from tests.serve.live_server import recording_listener

EX = "http://example.org/"
G1, G2 = URIRef(EX + "g1"), URIRef(EX + "g2")
A, B, C, P = (URIRef(EX + x) for x in ("a", "b", "c", "p"))


def test_every_backend_runs_the_contract() -> None:
    assert set(BACKENDS) <= set(STORE_PARAMS) and set(SERVERS) <= set(STORE_PARAMS)


def test_writes_and_queries_the_union_of_document_graphs(store) -> None:  # type: ignore[no-untyped-def]
    store.write_documents([(G1, [(A, P, B)]), (G2, [(A, P, B), (B, P, C)])])
    rows = store.query(f"SELECT DISTINCT ?o WHERE {{ <{A}> <{P}> ?o }}")
    assert [r["o"] for r in rows] == [B]
    assert sorted(map(str, store.named_graphs())) == [str(G1), str(G2)]
    assert len(store) == 3
    assert store.query(f"ASK {{ <{B}> <{P}> <{C}> }}") is True


def test_replacing_a_document_replaces_exactly_its_graph(store) -> None:  # type: ignore[no-untyped-def]
    store.write_documents([(G1, [(A, P, B)]), (G2, [(A, P, B)])])
    store.write_documents([(G1, [(A, P, C)])])
    assert {(str(q[2]), str(q[3])) for q in store.quads(A, P, None)} == {
        (str(C), str(G1)),
        (str(B), str(G2)),
    }


def test_removing_one_document_keeps_triples_another_states(store) -> None:  # type: ignore[no-untyped-def]
    store.write_documents([(G1, [(A, P, B), (A, P, C)]), (G2, [(A, P, B)])])
    store.remove_documents([G1])
    assert {str(q[2]) for q in store.quads(A, P, None)} == {str(B)}


def test_literals_round_trip(store) -> None:  # type: ignore[no-untyped-def]
    store.write_documents(
        [(G1, [(A, P, Literal("Café ✓")), (A, P, Literal(3)), (A, P, Literal(0.5))])]
    )
    values = sorted(str(q[2]) for q in store.quads(A, P, None))
    assert values == ["0.5", "3", "Café ✓"]


def test_falsy_literals_read_back_as_themselves(store) -> None:  # type: ignore[no-untyped-def]
    store.write_documents([(G1, [(A, P, Literal(0)), (A, P, Literal(""))])])
    for pattern in ((A, P, None, G1), (None, None, None, None)):
        assert sorted(q[2] for q in store.quads(*pattern)) == sorted([Literal(0), Literal("")])


def test_updates_are_refused_with_advice(store) -> None:  # type: ignore[no-untyped-def]
    for update in (
        f"INSERT DATA {{ <{A}> <{P}> <{C}> }}",
        f"PREFIX ex: <{EX}>\nDELETE WHERE {{ ?s ?p ?o }}",
        "DROP ALL",
        f"# comment\nCLEAR GRAPH <{G1}>",
    ):
        with pytest.raises(QueryError, match="read-only"):
            store.query(update)


def test_malformed_queries_raise_query_error(store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QueryError, match="malformed"):
        store.query("SELECT ?x WHERE { ?x ")


def test_dump_nquads_keeps_graph_names(store) -> None:  # type: ignore[no-untyped-def]
    store.write_documents([(G1, [(A, P, B)])])
    out = io.BytesIO()
    store.dump_nquads(out)
    assert str(G1) in out.getvalue().decode()


def test_is_update_ignores_keywords_inside_queries() -> None:
    assert not is_update('SELECT ?s WHERE { ?s ?p "INSERT DATA" }')
    assert not is_update("PREFIX x: <http://x/> SELECT * WHERE { ?s x:drop ?o }")
    assert is_update("insert data { <a:b> <a:c> <a:d> }")


def test_queries_reaching_outside_the_store_are_refused_and_send_nothing(store) -> None:  # type: ignore[no-untyped-def]
    store.write_documents([(G1, [(A, P, B)])])
    with recording_listener() as (url, received):
        for query in (
            f"SELECT * WHERE {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ service silent <{url}/y> {{ ?o ?q ?r }} }} }}",
            f"SELECT * WHERE {{ \\u0053ERVICE <{url}/z> {{ ?s ?p ?o }} }}",
            f"LOAD <{url}/g>",
        ):
            with pytest.raises(QueryError, match="may only read this graph"):
                store.query(query)
    assert received == []


def test_service_and_load_inside_strings_names_and_comments_are_allowed(store) -> None:  # type: ignore[no-untyped-def]
    store.write_documents([(G1, [(A, P, Literal("SERVICE <http://x/> LOAD"))])])
    query = (
        "PREFIX load: <http://example.org/> # SERVICE <http://x/> in a comment\n"
        "SELECT ?service WHERE { ?s load:p ?service FILTER(?service != 'service') "
        "FILTER(?s != <http://example.org/SERVICE>) }"
    )
    assert [str(r["service"]) for r in store.query(query)] == ["SERVICE <http://x/> LOAD"]


def test_from_clauses_are_refused_where_the_engine_would_download_them(store) -> None:  # type: ignore[no-untyped-def]
    store.write_documents([(G1, [(A, P, B)])])
    with recording_listener() as (url, received):
        query = f"SELECT * FROM <{url}/g> WHERE {{ ?s ?p ?o }}"
        if store.dataset_clauses_fetch:
            with pytest.raises(QueryError, match="FROM is not allowed"):
                store.query(query)
        else:
            assert isinstance(store.query(query), list)  # Oxigraph: FROM never fetches
    assert received == []


def test_read_only_store_refuses_writes(tmp_path: Path) -> None:
    open_store(tmp_path / "s").close()
    ro = open_store(tmp_path / "s", read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        ro.write_documents([(G1, [(A, P, B)])])
    ro.close()


def test_unknown_backend_lists_choices(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="oxigraph, memory"):
        open_store(tmp_path, backend="sqlite")


def test_patch_graph_removes_and_adds_in_one_graph_only(store) -> None:  # type: ignore[no-untyped-def]
    store.write_documents([(G1, [(A, P, B)]), (G2, [(A, P, B), (A, P, C)])])
    store.patch_graph(G2, remove=[(A, P, B)], add=[(B, P, Literal("new"))])
    assert {(str(q[2]), str(q[3])) for q in store.quads(None, P, None)} == {
        (str(B), str(G1)),
        (str(C), str(G2)),
        ("new", str(G2)),
    }
    store.patch_graph(G2, remove=[(A, P, B)])  # removing what is not there is no error
    assert len(store) == 3


def test_quads_of_one_named_graph(store) -> None:  # type: ignore[no-untyped-def]
    store.write_documents([(G1, [(A, P, B)]), (G2, [(A, P, C)])])
    assert [(str(q[2]), str(q[3])) for q in store.quads(graph=G2)] == [(str(C), str(G2))]
    assert [str(q[0]) for q in store.quads(None, None, B, G1)] == [str(A)]
