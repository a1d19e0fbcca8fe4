"""TripleGraph: the read side of a knowledge graph over a KB file, SPARQL included."""

from __future__ import annotations

import pytest

from kg_reasoner.errors import EntityNotFoundError, QueryError
from kg_reasoner.retrieval.kb_graph import TripleGraph
from kg_reasoner.retrieval.kb_index import KBIndex
from tests.qa.toy_kb import MOVIE_TRIPLES


def _movies() -> TripleGraph:
    return TripleGraph(KBIndex.from_triples(MOVIE_TRIPLES))


def test_sparql_over_a_kb_file_takes_the_rel_prefix_of_built_graphs() -> None:
    graph = _movies()
    rows = graph.sparql(
        'SELECT ?film WHERE { ?film rel:directed_by ?d . ?d rdfs:label "Sam Mendes" }'
    )
    films = {s for s, r, o in MOVIE_TRIPLES if r == "directed_by" and o == "Sam Mendes"}
    assert films and {graph.entity(r["film"]).id for r in rows} == films
    assert graph.sparql("ASK { ?s rel:no_such_relation ?o }") == [{"boolean": "false"}]
    with pytest.raises(QueryError):
        graph.sparql("INSERT DATA { ent:a rel:b ent:c }")


def test_entities_keep_their_names_as_ids_and_are_found_by_printed_term() -> None:
    graph = _movies()
    assert graph.entity("John Krasinski").id == "John Krasinski"
    assert graph.entity("ent:John%20Krasinski").id == "John Krasinski"
    assert graph.entity("https://kg-reasoner.org/entity/John%20Krasinski").id == "John Krasinski"
    with pytest.raises(EntityNotFoundError):
        graph.entity("ent:Nobody")
