"""Cross-document entity resolution: which IRI a document's entity cluster should use.

An entity is named by its canonical key and coarse type. A cluster whose own IRI is unknown but
whose key is a known alias of exactly one entity of the same type (``Curie`` after a document
that said ``Marie Curie ... Curie``) joins that entity.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from kg_reasoner.extraction.canonical import EntityCluster
from kg_reasoner.graph.vocabulary import KGR, entity_iri

if TYPE_CHECKING:
    from kg_reasoner.graph.knowledge_graph import KnowledgeGraph


class EntityIndex:
    """Alias keys -> entity IRIs, loaded from the store and updated as documents are added."""

    def __init__(self) -> None:
        self.known: set[str] = set()
        self.by_alias: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.by_key: dict[str, set[str]] = defaultdict(set)

    def add(self, iri: str, alias_key: str, ctype: str) -> None:
        self.known.add(iri)
        self.by_alias[(alias_key, ctype)].add(iri)
        self.by_key[alias_key].add(iri)

    def resolve(self, cluster: EntityCluster) -> str:
        """The IRI for ``cluster`` (an existing entity where unambiguous, else a new one)."""
        own = entity_iri(cluster.key, cluster.ctype)
        if own in self.known:
            return own
        if cluster.ctype == "MISC":
            candidates = self.by_key.get(cluster.key, set())
        else:
            candidates = self.by_alias.get((cluster.key, cluster.ctype), set())
        if len(candidates) == 1:
            return next(iter(candidates))
        return own


def load_entity_index(kg: KnowledgeGraph) -> EntityIndex:
    """The alias index of every entity already in the graph."""
    index = EntityIndex()
    types: dict[str, str] = {
        str(e): str(t) for e, _, t, _ in kg.store.quads(None, KGR.entityType, None)
    }
    for e, _, key, _ in kg.store.quads(None, KGR.aliasKey, None):
        iri = str(e)
        if iri in types:
            index.add(iri, str(key), types[iri])
    return index
