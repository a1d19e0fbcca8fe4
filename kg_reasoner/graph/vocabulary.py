"""The RDF vocabulary of kg_reasoner graphs.

Namespaces
  ``kgr:``  https://kg-reasoner.org/vocab#    classes and properties below
  ``ent:``  https://kg-reasoner.org/entity/   entities: ``ent:person.marie_curie``
  ``rel:``  https://kg-reasoner.org/rel/      extracted relations: ``rel:born_in``
  ``doc:``  https://kg-reasoner.org/doc/      documents (each also names the graph of its triples)

Every document's statements live in the named graph ``doc:<id>``, so deleting or replacing a
document removes exactly what it stated; a triple stated by two documents is in both graphs.
The one exception is ``rdfs:label``: each entity has exactly one, in the shared graph
:data:`LABELS_GRAPH`, derived from the ``kgr:documentLabel`` each document gives it (see
:mod:`kg_reasoner.graph.labels`), so a join on labels gives each row once.

An entity's local name is ``<type>.<slug>`` with the slug percent-escaped, so that every entity
IRI prints as a SPARQL prefixed name (``ent:org.ibm``) that can be typed back into a query.

Classes: ``kgr:Document``, ``kgr:Sentence``, ``kgr:Entity`` (and ``kgr:Person``,
``kgr:Organization``, ``kgr:Place``... by coarse type), ``kgr:Statement``.

Properties
  document : kgr:documentId, kgr:contentHash, kgr:source, kgr:extractor, kgr:fingerprint,
             kgr:processedAt, kgr:metadata (JSON)
  sentence : kgr:document, kgr:text, kgr:start, kgr:end (character offsets in the document)
  entity   : rdfs:label (the one preferred name, in LABELS_GRAPH), kgr:documentLabel (the name
             each document gives it), kgr:alias (every surface form), kgr:aliasKey (normalised
             form used for merging), kgr:entityType (coarse type, e.g. PERSON),
             kgr:mentionedIn (each sentence that mentions it)
  statement: rdf:subject, rdf:predicate, rdf:object (RDF reification of the asserted triple),
             kgr:document, kgr:sentence, kgr:start, kgr:end (the evidence span), kgr:extractor,
             kgr:confidence, kgr:sourceLabel (the extractor's own relation label)
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, unquote

from rdflib import Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

BASE = "https://kg-reasoner.org/"
KGR = Namespace(BASE + "vocab#")
ENT = Namespace(BASE + "entity/")
REL = Namespace(BASE + "rel/")
DOC = Namespace(BASE + "doc/")
STMT = Namespace(BASE + "statement/")
SENT = Namespace(BASE + "sentence/")
LABELS_GRAPH = BASE + "graph/labels"
"""The named graph of the one ``rdfs:label`` of each entity (shared by all documents)."""
KB_GRAPH = BASE + "graph/kb"
"""The named graph of a loaded knowledge base's triples."""

LAYOUT_VERSION = "2"
"""The layout of what a document writes (IRI scheme, label graph); part of each document's
fingerprint, so a change makes the next build rewrite documents built with the old layout."""

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


@lru_cache(maxsize=1 << 16)  # looked up for every cluster of every document a build reads
def entity_iri(key: str, ctype: str) -> str:
    """``ent:<type>.<slug>``: a local name SPARQL accepts as it is. The slug keeps letters,
    digits, ``_`` and ``-`` and percent-escapes the rest, ``.`` and ``~`` included (a final
    ``.`` ends a triple, ``~`` is not allowed, and Oxigraph 0.5 misreads some dotted names)."""
    slug = quote("_".join(key.split()), safe="").replace(".", "%2E").replace("~", "%7E")
    return f"{ENT}{ctype.lower()}.{slug}"


def name_iri(name: str) -> str:
    """``ent:<name>`` for an entity known only by its name (a KB triple file's ``Tom Hanks``),
    escaped like :func:`entity_iri`'s slug; a name that already is an IRI stays as it is."""
    if "://" in name:
        return name
    return str(ENT) + quote(name, safe="").replace(".", "%2E").replace("~", "%7E")


def name_of_iri(iri: str) -> str:
    """The name :func:`name_iri` made ``iri`` from (``iri`` itself when it is no such IRI)."""
    return unquote(iri[len(str(ENT)) :]) if iri.startswith(str(ENT)) else iri


@lru_cache(maxsize=1 << 14)
def relation_iri(label: str) -> str:
    return str(REL) + quote(label, safe="")


def relation_label(iri: str) -> str:
    return unquote(iri[len(str(REL)) :]) if iri.startswith(str(REL)) else iri


# SPARQL 1.1 PN_LOCAL, restricted to ASCII (what percent-escaped local names use): no leading
# '-' or '.', no trailing '.', '%' only in escapes. Anything else is printed as a full <IRI>.
_LOCAL_CHAR = r"(?:[A-Za-z0-9_\-.:]|%[0-9A-Fa-f]{2})"
_PN_LOCAL = re.compile(
    rf"(?:[A-Za-z0-9_:]|%[0-9A-Fa-f]{{2}})(?:{_LOCAL_CHAR}*(?:[A-Za-z0-9_\-:]|%[0-9A-Fa-f]{{2}}))?"
)


def sparql_term(iri: str) -> str:
    """How an IRI is printed: a prefixed name (``ent:org.ibm``) when its local part is a valid
    SPARQL local name, else ``<iri>``; either can be pasted into a query as it is."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and _PN_LOCAL.fullmatch(iri[len(namespace) :]):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def expand_term(text: str) -> str | None:
    """The IRI that a printed term stands for (``ent:org.ibm`` or ``<https://...>``), else
    ``None`` (so a plain name is looked up as a name)."""
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and _PN_LOCAL.fullmatch(local):
        return PREFIXES[prefix] + local
    return None


def display_term(node: object) -> str:
    """A query result term as the table prints it: IRIs via :func:`sparql_term`, literals as
    their text, unbound as empty."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return sparql_term(str(node))
    return str(node)
