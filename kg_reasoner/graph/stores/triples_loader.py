"""Loading a :class:`TriplesFactory` (e.g. a KB triple file) into a store, in the vocabulary of
`kgr build` graphs, so the same SPARQL (``?film rel:directed_by ?who``) runs on both kinds.

Entities known by name become ``ent:<name>`` (IRI ids stay as they are), relations ``rel:<name>``;
each entity's ``rdfs:label`` goes to the shared labels graph, as a build writes it, and the
triples to :data:`KB_GRAPH`. Written through the store's public write path in one batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rdflib.namespace import RDFS

from kg_reasoner.graph.stores.base import GraphStore
from kg_reasoner.graph.stores.terms import iri_nt, string_nt
from kg_reasoner.graph.vocabulary import BASE, LABELS_GRAPH, name_iri, relation_iri

if TYPE_CHECKING:
    from kg_reasoner.graph.triples_factory import TriplesFactory

KB_GRAPH = BASE + "graph/kb"
"""The named graph of a loaded knowledge base's triples."""


def load_triples(store: GraphStore, factory: TriplesFactory, labels: Sequence[str]) -> None:
    """Write ``factory``'s triples and the entity ``labels`` (by entity id) into ``store``."""
    nodes = [iri_nt(name_iri(e)) for e in factory.entity_ids]
    rels = [iri_nt(relation_iri(r)) for r in factory.relations]
    label = iri_nt(str(RDFS.label))
    heads, relations, tails = (column.tolist() for column in factory.triple_arrays)
    statements = [
        (nodes[h], rels[r], nodes[t]) for h, r, t in zip(heads, relations, tails, strict=True)
    ]
    names = [(nodes[i], label, string_nt(text)) for i, text in enumerate(labels)]
    store.write_prepared(store.prepare_write([(LABELS_GRAPH, names), (KB_GRAPH, statements)]))
