"""One ``rdfs:label`` per entity, kept in a shared graph as documents come and go.

Each document states the name it gives an entity as ``kgr:documentLabel`` in its own graph
(provenance, removed with the document). The entity's single ``rdfs:label`` lives in
:data:`~kg_reasoner.graph.vocabulary.LABELS_GRAPH` and is recomputed from the document labels
still in the store whenever a document that names the entity is written or removed: a label
disappears with the last document naming its entity, and no deletion removes a label another
document still supports. Queries over the union of graphs then see one label per entity, so
a join on labels gives each row once instead of once per document.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kg_reasoner.graph.stores.base import GraphStore, TripleTerms
from kg_reasoner.graph.vocabulary import KGR, LABELS_GRAPH

_LABELS = URIRef(LABELS_GRAPH)


def best_label(counts: Counter[str]) -> str:
    """The preferred name among the names documents give: most words, then most documents,
    then the greatest string (a full name over a surname, and a stable choice on ties)."""
    return max(counts, key=lambda label: (len(label.split()), counts[label], label))


_SCAN_ALL_FROM = 1_000
"""From this many entities on, one pass over every label beats a look-up per entity."""


def _subjects(entities: list[str] | None) -> tuple[list[URIRef | None], set[str] | None]:
    """The subject patterns to read labels with, and the entities to keep from a full pass."""
    if entities is None:
        return [None], None
    if len(entities) >= _SCAN_ALL_FROM:
        return [None], set(entities)
    return [URIRef(e) for e in entities], None


def document_labels(
    store: GraphStore, entities: Iterable[str] | None = None
) -> dict[str, Counter[str]]:
    """Entity IRI -> how many documents give it each name (all entities when ``None``)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    subjects, keep = _subjects(None if entities is None else list(entities))
    for subject in subjects:
        for e, _, label, graph in store.quads(subject, KGR.documentLabel, None):
            if graph != _LABELS and (keep is None or str(e) in keep):
                counts[str(e)][str(label)] += 1
    return counts


def shared_labels(store: GraphStore) -> dict[str, str]:
    """Entity IRI -> its one shared ``rdfs:label`` (current unless :func:`labels_pending`)."""
    return {str(e): str(label) for e, _, label, _ in store.quads(None, RDFS.label, None, _LABELS)}


def labelled_entities(store: GraphStore, graphs: Iterable[str]) -> set[str]:
    """The entities that documents' graphs name (read before the graphs change)."""
    return {
        str(e)
        for g in graphs
        for e, _, _, _ in store.quads(None, KGR.documentLabel, None, URIRef(g))
    }


def has_labels(store: GraphStore) -> bool:
    """Whether any entity has a shared label."""
    return any(True for _ in store.quads(None, RDFS.label, None, _LABELS))


_PENDING = (_LABELS, KGR.labelsPending, Literal(True))


def mark_labels_pending(store: GraphStore) -> None:
    """Say, in the store, that documents are being written whose entities are not relabelled
    yet; :func:`labels_written` clears it. A build killed between the two leaves it, and the
    next build then relabels everything (only then: a full pass costs as much as the graph)."""
    store.patch_graph(_LABELS, add=[_PENDING])


def labels_pending(store: GraphStore) -> bool:
    """Whether a build stopped before relabelling what it wrote."""
    return any(True for _ in store.quads(*_PENDING, _LABELS))


def labels_written(store: GraphStore, entities: Iterable[str]) -> None:
    """Relabel the entities the writes named, then clear the pending mark."""
    refresh_labels(store, entities)
    store.patch_graph(_LABELS, remove=[_PENDING])


def labels_counted(store: GraphStore, counts: dict[str, Counter[str]]) -> None:
    """Label the entities of a graph that had no documents from the document labels its
    build wrote (entity -> documents per name, counted as written), then clear the pending
    mark: the same labels as :func:`labels_written`, without reading them back."""
    add = [(URIRef(e), RDFS.label, Literal(best_label(c))) for e, c in counts.items() if c]
    store.patch_graph(_LABELS, remove=[_PENDING], add=add)


def refresh_labels(store: GraphStore, entities: Iterable[str] | None = None) -> int:
    """Make the shared label of each entity (all when ``None``) the best of its document labels,
    or drop it when no document names the entity any more; returns how many labels changed."""
    wanted_for = list(entities) if entities is not None else None
    if wanted_for is not None and not wanted_for:
        return 0
    counts = document_labels(store, wanted_for)
    current: dict[str, set[str]] = defaultdict(set)
    subjects, keep = _subjects(wanted_for)
    for subject in subjects:
        for e, _, label, _ in store.quads(subject, RDFS.label, None, _LABELS):
            if keep is None or str(e) in keep:
                current[str(e)].add(str(label))
    remove: list[TripleTerms] = []
    add: list[TripleTerms] = []
    for entity in set(counts) | set(current):
        want = {best_label(counts[entity])} if counts.get(entity) else set()
        have = current.get(entity, set())
        node = URIRef(entity)
        remove += [(node, RDFS.label, Literal(label)) for label in sorted(have - want)]
        add += [(node, RDFS.label, Literal(label)) for label in sorted(want - have)]
    if remove or add:
        store.patch_graph(_LABELS, remove=remove, add=add)
    return len(add) + len(remove)


__all__ = [
    "best_label",
    "document_labels",
    "has_labels",
    "labelled_entities",
    "labels_counted",
    "labels_pending",
    "labels_written",
    "mark_labels_pending",
    "refresh_labels",
    "shared_labels",
]
