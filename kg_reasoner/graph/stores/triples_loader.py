"""Loading a :class:`TriplesFactory` (e.g. a KB triple file) into a store, in the vocabulary of
`kgr build` graphs, so the same SPARQL (``?film rel:directed_by ?who``) and the same
:class:`~kg_reasoner.graph.KnowledgeGraph` read methods work on both kinds.

Entities known by name become ``ent:<name>`` (IRI ids stay as they are), relations ``rel:<name>``;
each entity's ``rdfs:label`` goes to the shared labels graph, as a build writes it, the triples
to :data:`KB_GRAPH` and what a build says of an entity (``kgr:documentLabel``,
``kgr:entityType``, ``kgr:alias``, ``kgr:aliasKey``) to :data:`KB_ENTITIES_GRAPH`. Written
through the store's public write path in one batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rdflib.namespace import RDFS

from kg_reasoner.extraction.canonical import canonical_key
from kg_reasoner.graph.stores.base import GraphStore
from kg_reasoner.graph.stores.terms import NTriple, iri_nt, string_nt
from kg_reasoner.graph.vocabulary import BASE, KGR, LABELS_GRAPH, name_iri, relation_iri

if TYPE_CHECKING:
    from kg_reasoner.graph.triples_factory import TriplesFactory

KB_GRAPH = BASE + "graph/kb"
"""The named graph of a loaded knowledge base's triples."""

KB_ENTITIES_GRAPH = BASE + "graph/kb-entities"
"""The named graph of what a loaded knowledge base says about its entities (name, type, aliases)."""


def load_triples(
    store: GraphStore,
    factory: TriplesFactory,
    labels: Sequence[str],
    *,
    types: Sequence[str] = (),
    aliases: Sequence[Sequence[str]] = (),
) -> None:
    """Write ``factory``'s triples and its entities' ``labels``, ``types`` and ``aliases`` (each
    indexed by entity id; no types: ``""``, no aliases: none) into ``store``."""
    nodes = [iri_nt(name_iri(e)) for e in factory.entity_ids]
    rels = [iri_nt(relation_iri(r)) for r in factory.relations]
    label = iri_nt(str(RDFS.label))
    heads, relations, tails = (column.tolist() for column in factory.triple_arrays)
    statements = [
        (nodes[h], rels[r], nodes[t]) for h, r, t in zip(heads, relations, tails, strict=True)
    ]
    names = [(nodes[i], label, string_nt(text)) for i, text in enumerate(labels)]
    described = _descriptions(nodes, labels, types, aliases)
    store.write_prepared(
        store.prepare_write(
            [(LABELS_GRAPH, names), (KB_GRAPH, statements), (KB_ENTITIES_GRAPH, described)]
        )
    )


_DOCUMENT_LABEL = iri_nt(str(KGR.documentLabel))
_ENTITY_TYPE = iri_nt(str(KGR.entityType))
_ALIAS = iri_nt(str(KGR.alias))
_ALIAS_KEY = iri_nt(str(KGR.aliasKey))


def _descriptions(
    nodes: Sequence[str],
    labels: Sequence[str],
    types: Sequence[str],
    aliases: Sequence[Sequence[str]],
) -> list[NTriple]:
    """Each entity's name, type, aliases and merge keys, as a build writes them."""
    out: list[NTriple] = []
    for i, node in enumerate(nodes):
        ctype = types[i] if types else ""
        forms = tuple(aliases[i]) if aliases else ()
        out.append((node, _DOCUMENT_LABEL, string_nt(labels[i])))
        out.append((node, _ENTITY_TYPE, string_nt(ctype)))
        out += [(node, _ALIAS, string_nt(alias)) for alias in sorted(set(forms))]
        keys = {canonical_key(text, ctype or "MISC") for text in (labels[i], *forms)} - {""}
        out += [(node, _ALIAS_KEY, string_nt(key)) for key in sorted(keys)]
    return out
