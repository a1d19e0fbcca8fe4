"""Graph nodes as strings: an entity is its IRI, a literal value its N-Triples form.

Relations may end in a literal (``"34"^^xsd:integer``); the QA side, the entity pages and the
exports all carry nodes as plain strings, so a literal is written the way N-Triples writes it
(``"34"^^<http://www.w3.org/2001/XMLSchema#integer>``) and read back with :func:`parse_node`.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node
from rdflib.util import from_n3

DATE_DATATYPES = frozenset({str(XSD.date), str(XSD.gYear), str(XSD.gYearMonth), str(XSD.dateTime)})


def node_key(node: Node) -> str:
    """The string form of a node: the IRI itself, or the N-Triples form of a literal."""
    if isinstance(node, Literal):
        return node.n3()
    return str(node)


def is_literal_key(key: str) -> bool:
    return key.startswith('"')


def parse_node(key: str) -> URIRef | Literal:
    """Inverse of :func:`node_key`."""
    if is_literal_key(key):
        term = from_n3(key)
        assert isinstance(term, Literal)
        return term
    return URIRef(key)


def sparql_term(key: str) -> str:
    """The node as it is written inside a SPARQL query."""
    return key if is_literal_key(key) else f"<{key}>"


def literal_type(key: str) -> str:
    """``DATE`` for date-typed literals, ``VALUE`` for any other literal."""
    term = parse_node(key)
    return "DATE" if str(getattr(term, "datatype", "") or "") in DATE_DATATYPES else "VALUE"


def literal_label(key: str, unit: str = "") -> str:
    """``34``, ``12.5 metre`` or ``1971-05-04``: the lexical form with its unit, if any."""
    lexical = str(parse_node(key))
    return f"{lexical} {unit}" if unit else lexical
