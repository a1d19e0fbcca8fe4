"""RDF terms as the stores take them: rdflib <-> pyoxigraph, and N-Triples text for writes.

A build writes every term of every document, so its write path skips rdflib: the builder makes
the N-Triples text of each term here (what Oxigraph parses on its own thread, without the GIL),
cached where values repeat (predicates, classes, offsets, confidences). Typed literals take
their lexical form from rdflib, so a term reads back exactly as the rdflib term it stands for.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import BNode, Node

NTriple = tuple[str, str, str]  # subject, predicate, object, each in N-Triples syntax

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# Characters N-Triples escapes in a literal; text without them is written as it is.
_ESCAPED = re.compile(r'[\x00-\x1f\x7f"\\\ufffe\uffff]')


@lru_cache(maxsize=1 << 16)
def to_ox(term: Node) -> Any:
    """rdflib term -> pyoxigraph term (cached: predicates and classes repeat on every quad)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"cannot store {term!r}")


def from_ox(term: Any) -> Node | None:
    """pyoxigraph term -> rdflib term (``None`` for the default graph or no term)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == _XSD_STRING else URIRef(dt))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.DefaultGraph):
        return None
    return URIRef(str(term))


def rdflib_nt(term: Node) -> str:
    """The N-Triples text of an rdflib term."""
    return str(to_ox(term))


@lru_cache(maxsize=1 << 16)
def iri_nt(iri: str) -> str:
    """``<iri>`` (validated by Oxigraph)."""
    return str(ox.NamedNode(iri))


def string_nt(text: str) -> str:
    """A plain (``xsd:string``) literal; not cached, as texts and names rarely repeat."""
    if _ESCAPED.search(text) is None:
        return f'"{text}"'
    return str(ox.Literal(text))  # Oxigraph escapes quotes, backslashes and control characters


def string_value(nt: str) -> str:
    """The text of a plain literal in N-Triples syntax: the inverse of :func:`string_nt`."""
    if "\\" not in nt:
        return nt[1:-1]
    (triple,) = ox.parse(f"<x:s> <x:p> {nt} .", ox.RdfFormat.N_TRIPLES)
    return str(triple.object.value)


class _IntegerTerms(dict[int, str]):
    """``INTEGER_NT[5]`` is ``"5"^^xsd:integer`` (ints only, not bools), kept for the first
    65,536 values asked for (offsets and positions repeat across documents)."""

    def __missing__(self, value: int) -> str:
        text = literal_nt(value)[1]
        if len(self) < 1 << 16:
            self[value] = text
        return text


INTEGER_NT = _IntegerTerms()


@lru_cache(maxsize=1 << 14, typed=True)  # typed: 1, 1.0 and True are different literals
def literal_nt(value: object, datatype: str | None = None) -> tuple[str, str]:
    """``(lexical form, N-Triples text)`` of ``rdflib.Literal(value, datatype=datatype)``."""
    literal = Literal(value, datatype=URIRef(datatype) if datatype else None)
    return str(literal), rdflib_nt(literal)
