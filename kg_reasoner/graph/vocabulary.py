"""The RDF vocabulary of kg_reasoner graphs.

Namespaces
  ``kgr:``  https://kg-reasoner.org/vocab#    classes and properties below
  ``ent:``  https://kg-reasoner.org/entity/   entities: ``ent:person/marie_curie``
  ``rel:``  https://kg-reasoner.org/rel/      extracted relations: ``rel:born_in``
  ``doc:``  https://kg-reasoner.org/doc/      documents (each also names the graph of its triples)

Every document's statements live in the named graph ``doc:<id>``, so deleting or replacing a
document removes exactly what it stated; a triple stated by two documents is in both graphs.

Classes: ``kgr:Document``, ``kgr:Sentence``, ``kgr:Entity`` (and ``kgr:Person``,
``kgr:Organization``, ``kgr:Place``... by coarse type), ``kgr:Statement``.

Properties
  document : kgr:documentId, kgr:contentHash, kgr:source, kgr:extractor, kgr:fingerprint,
             kgr:processedAt, kgr:metadata (JSON)
  sentence : kgr:document, kgr:text, kgr:start, kgr:end (character offsets in the document)
  entity   : rdfs:label (the name), kgr:alias (every surface form), kgr:aliasKey (normalised
             form used for merging), kgr:entityType (coarse type, e.g. PERSON),
             kgr:mentionedIn (each sentence that mentions it)
  statement: rdf:subject, rdf:predicate, rdf:object (RDF reification of the asserted triple),
             kgr:document, kgr:sentence, kgr:start, kgr:end (the evidence span), kgr:extractor,
             kgr:confidence, kgr:sourceLabel (the extractor's own relation label)
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote, unquote

from rdflib import Namespace
from rdflib.namespace import RDF, RDFS, XSD

BASE = "https://kg-reasoner.org/"
KGR = Namespace(BASE + "vocab#")
ENT = Namespace(BASE + "entity/")
REL = Namespace(BASE + "rel/")
DOC = Namespace(BASE + "doc/")
STMT = Namespace(BASE + "statement/")
SENT = Namespace(BASE + "sentence/")

PREFIXES = {
    "kgr": str(KGR),
    "ent": str(ENT),
    "rel": str(REL),
    "doc": str(DOC),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}

TYPE_CLASSES = {
    "PERSON": KGR.Person,
    "ORG": KGR.Organization,
    "PLACE": KGR.Place,
    "GROUP": KGR.Group,
    "EVENT": KGR.Event,
    "WORK": KGR.Work,
    "PRODUCT": KGR.Product,
    "LANGUAGE": KGR.Language,
    "DATE": KGR.Date,
    "VALUE": KGR.Value,
    "CONCEPT": KGR.Concept,
    "MISC": KGR.Thing,
}


def document_iri(doc_id: str) -> str:
    return str(DOC) + quote(doc_id, safe="/#:@")


def document_id(iri: str) -> str:
    return unquote(iri[len(str(DOC)) :]) if iri.startswith(str(DOC)) else iri


@lru_cache(maxsize=1 << 16)  # looked up for every cluster of every document a build reads
def entity_iri(key: str, ctype: str) -> str:
    slug = quote("_".join(key.split()), safe="")
    return f"{ENT}{ctype.lower()}/{slug}"


@lru_cache(maxsize=1 << 14)
def relation_iri(label: str) -> str:
    return str(REL) + quote(label, safe="")


def relation_label(iri: str) -> str:
    return unquote(iri[len(str(REL)) :]) if iri.startswith(str(REL)) else iri


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, prepended to user queries."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
