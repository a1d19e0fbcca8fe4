"""The build's N-Triples terms are exactly what converting the rdflib terms used to give."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg_reasoner.graph.stores.terms import (
    INTEGER_NT,
    iri_nt,
    literal_nt,
    rdflib_nt,
    string_nt,
    string_value,
)


@pytest.mark.parametrize(
    "text",
    ["plain", 'He said "hi"', "back\\slash", "line\nbreak\r\t", "nul\x00\x1f\x7f", "\ufffe\uffff",
     "Zoë · 北京", ""],
)  # fmt: skip
def test_string_literals_are_serialised_as_oxigraph_does(text: str) -> None:
    assert string_nt(text) == str(ox.Literal(text)) == rdflib_nt(Literal(text))
    assert string_value(string_nt(text)) == text


@pytest.mark.parametrize(
    ("value", "datatype"),
    [(5, None), (0, None), (-12, None), (True, None), (0.85, XSD.double), (1.0, XSD.double),
     ("1942", XSD.gYear), ("034", XSD.integer), ("2026-12-01T20:26:06Z", XSD.dateTime)],
)  # fmt: skip
def test_typed_literals_keep_rdflib_lexical_forms(value: object, datatype: URIRef | None) -> None:
    literal = Literal(value, datatype=datatype)
    assert literal_nt(value, str(datatype) if datatype else None) == (
        str(literal),
        rdflib_nt(literal),
    )


def test_integers_and_booleans_are_different_terms() -> None:
    assert INTEGER_NT[1] == rdflib_nt(Literal(1))
    assert literal_nt(True)[1] == rdflib_nt(Literal(True)) != INTEGER_NT[1]


def test_iris_are_validated_and_bracketed() -> None:
    assert iri_nt("https://kg-reasoner.org/entity/person/marie_curie") == (
        "<https://kg-reasoner.org/entity/person/marie_curie>"
    )
    with pytest.raises(ValueError):
        iri_nt("not an iri")
