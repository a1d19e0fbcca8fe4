"""Entity IRIs print as terms a query accepts; a malformed query fails in one line, with where."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from kg_reasoner.errors import QueryError
from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.stores import GraphStore
from kg_reasoner.graph.vocabulary import ENT, KGR, entity_iri, expand_term, sparql_term

KEYS = [
    ("ibm", "ORG"),
    ("marie curie", "PERSON"),
    ("st. louis", "PLACE"),  # a dot inside
    ("u.s.", "PLACE"),  # a final dot would end the triple
    ("tim berners-lee", "PERSON"),
    ("-3 degrees", "VALUE"),
    ("a~b", "MISC"),  # '~' is not allowed in a local name
    ("zürich", "PLACE"),
    ("ac/dc", "GROUP"),
    ("at&t", "ORG"),
    ("o'brien", "PERSON"),
    ("50%", "VALUE"),
]


@pytest.fixture
def kg(store: GraphStore) -> KnowledgeGraph:  # type: ignore[no-untyped-def]
    graph = KnowledgeGraph(store)  # the store fixture closes it
    triples = [(URIRef(entity_iri(k, t)), URIRef(str(KGR.entityType)), URIRef(str(KGR.Entity)))
               for k, t in KEYS]  # fmt: skip
    graph.store.write_documents([(URIRef("https://kg-reasoner.org/doc/x"), triples)])
    yield graph


def test_every_entity_prints_as_a_prefixed_name_the_store_accepts(kg: KnowledgeGraph) -> None:
    for key, ctype in KEYS:
        iri = entity_iri(key, ctype)
        printed = sparql_term(iri)
        assert printed.startswith("ent:") and "/" not in printed, printed
        assert "/" not in iri[len(str(ENT)) :]
        assert kg.sparql(f"ASK {{ {printed} kgr:entityType kgr:Entity }}") is True, printed
        assert expand_term(printed) == iri


def test_terms_outside_the_prefixes_print_as_full_iris() -> None:
    doc = "https://kg-reasoner.org/doc/people/curie.txt"
    assert sparql_term(doc) == f"<{doc}>"  # a '/' in the local part: no prefixed name
    assert sparql_term("http://example.org/x") == "<http://example.org/x>"
    assert sparql_term(str(KGR.Person)) == "kgr:Person"


@pytest.mark.parametrize(
    "query, where",
    [
        ("SELECT ?x WHERE { ent:org/ibm ?p ?x }", "line 1, column"),  # the old printed form
        ("SELECT ?x WHERE {\n  ?x ?p }", "line 2, column"),
        ("SELECT ?x WHERE { ?x ?p ?o ", "line 1, column"),
    ],
)
def test_syntax_errors_are_one_line_with_the_position(
    kg: KnowledgeGraph, query: str, where: str
) -> None:
    with pytest.raises(QueryError) as info:
        kg.sparql(query)
    message = str(info.value)
    assert message.startswith("malformed SPARQL") and where in message, message
    assert "\n" not in message and len(message) < 300, message
    if "ent:org/ibm" in query:
        assert "ent:org.ibm" in message  # says how entities are written now


def test_an_unknown_prefix_is_named_with_its_position(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError) as info:
        kg.sparql("SELECT ?x WHERE {\n  ?x foaf:name ?n }")
    message = str(info.value)
    assert "unknown prefix 'foaf:' at line 2, column 6" in message, message
    assert "PREFIX foaf:" in message and "\n" not in message


def test_declared_prefixes_blank_nodes_and_strings_are_not_unknown(kg: KnowledgeGraph) -> None:
    rows = kg.sparql(
        "PREFIX ex: <http://example.org/> SELECT ?s WHERE { ?s kgr:entityType ?t "
        'FILTER(?t != ex:nothing && ?t != "foo:bar") OPTIONAL { ?s ex:p _:b } }'
    )
    assert isinstance(rows, list) and len(rows) == len(KEYS)
