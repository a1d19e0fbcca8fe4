"""Literal values as graph nodes: one string id per (lexical form, datatype).

A relation may end in a literal (``Triple(..., object="34", datatype=xsd:integer)``). Answering
walks a graph whose nodes are strings, so a literal becomes the node id its N-Triples form gives
(``"34"^^<http://www.w3.org/2001/XMLSchema#integer>``), which no entity IRI can collide with,
and :func:`literal_of` reads the lexical form and datatype back for provenance lookups.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.util import from_n3

from kg_reasoner.extraction.values import DATE_TYPES

DATE_DATATYPES = frozenset({str(XSD[t]) for t in DATE_TYPES} | {str(XSD.dateTime)})


def is_literal_object(obj: str, datatype: str = "") -> bool:
    """Entities are IRIs; anything else a graph relation points at is a literal value."""
    return bool(datatype) or "://" not in obj


def literal_node_id(lexical: str, datatype: str = "") -> str:
    """The node id of a literal: its N-Triples form."""
    return Literal(lexical, datatype=URIRef(datatype) if datatype else None).n3()


def is_literal_node_id(node: str) -> bool:
    return node.startswith('"')


def literal_of(node: str) -> tuple[str, str]:
    """``(lexical form, datatype IRI or "")`` of a literal node id."""
    term = from_n3(node)
    assert isinstance(term, Literal), node
    return str(term), str(term.datatype or "")


def literal_type(datatype: str) -> str:
    """``DATE`` for date-typed literals, ``VALUE`` for any other literal."""
    return "DATE" if datatype in DATE_DATATYPES else "VALUE"


def literal_label(lexical: str, unit: str = "") -> str:
    """``34``, ``1410 metre`` or ``1971-05-04``: the value with its unit, if any."""
    return f"{lexical} {unit}" if unit else lexical
