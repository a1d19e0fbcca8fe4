"""Definite descriptions ("the bank", "the city") resolve to the entity just named, within
the paragraph (or the one before, when this one names nothing the noun fits), with a lowered
confidence, as pronouns do; one that names nothing before it is a concept node."""

from __future__ import annotations

from pathlib import Path

from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.pipelines import build_graph
from tests.conftest import write_corpus

TEXT = (
    "Northgate Savings Bank is based in Leeds. The bank was founded in 1901.\n\n"
    "Kyoto is an old city in Japan. The city attracts many tourists.\n\n"
    "The Prado is located in Madrid. The museum opened in 1819.\n\n"
    "Springfield Hospital is in Dublin. The hospital employs 900 nurses.\n\n"
    "Globex Corporation is based in Ohio.\n\n"
    "The company has 120 employees.\n\n"
    "Maria Lopez lives in Denver.\n\n"
    "The company was founded in 1950. The library opened in 1960.\n"
)


def _statements(kg_dir: Path) -> dict[tuple[str, str], tuple[str, float]]:
    with KnowledgeGraph.open(kg_dir, read_only=True) as kg:
        rows = kg.sparql(
            "SELECT ?s ?p ?o ?c WHERE { ?st rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?o ;"
            " kgr:confidence ?c . ?e rdfs:label ?s }"
        )
    return {(r["s"], r["p"].rsplit("/", 1)[-1]): (r["o"], float(r["c"])) for r in rows}


def test_descriptions_refer_to_the_entity_named_in_their_paragraph(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"news.txt": TEXT})
    build_graph(corpus, tmp_path / "kg")
    found = _statements(tmp_path / "kg")
    # a listed class noun, of the type the noun allows
    assert found[("Northgate Savings Bank", "founded_date")][0] == "1901"
    # the tagger calls Kyoto something else; "Kyoto is a city" says what it is
    assert ("Kyoto", "attract") in found
    # "the Prado" is no person: the museum is the Prado, not Madrid
    assert found[("Prado", "open_date")][0] == "1819"
    assert ("Madrid", "open_date") not in found
    # the last word of a name refers back to it
    assert found[("Springfield Hospital", "nurse_count")][0] == "900"
    # the paragraph before is searched when this one names nothing the noun fits, but never
    # further back
    assert found[("Globex Corporation", "employee_count")][0] == "120"
    assert ("Globex Corporation", "founded_date") not in found
    # a description that names nothing before it is the concept itself
    assert found[("library", "open_date")][0] == "1960"
    # resolved references are less certain than the statement they come from
    direct = found[("Northgate Savings Bank", "based_in")][1]
    assert found[("Northgate Savings Bank", "founded_date")][1] < direct
