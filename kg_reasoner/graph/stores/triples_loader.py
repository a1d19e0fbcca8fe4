"""Loading a :class:`TriplesFactory` (e.g. a KB triple file) into a store, in the vocabulary of
`kgr build` graphs, so the same SPARQL (``?film rel:directed_by ?who``) and the same
:class:`~kg_reasoner.graph.KnowledgeGraph` read methods work on both kinds.

Entities known by name become ``ent:<name>`` (IRI ids stay as they are), relations ``rel:<name>``;
each entity's ``rdfs:label`` goes to the shared labels graph, as a build writes it, the triples
to :data:`KB_GRAPH` and what a build says of an entity (``kgr:documentLabel``,
``kgr:entityType``, ``kgr:alias``, ``kgr:aliasKey``) to :data:`KB_ENTITIES_GRAPH`. Written
through the store's public write path, one batch per graph (:func:`load_triples`).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rdflib.namespace import RDFS

from kg_reasoner.extraction.canonical import canonical_key
from kg_reasoner.graph.stores.base import GraphStore
from kg_reasoner.graph.stores.terms import NTriple, iri_nt, string_nt
from kg_reasoner.graph.vocabulary import BASE, KB_GRAPH, KGR, LABELS_GRAPH, name_iri, relation_iri

if TYPE_CHECKING:
    from kg_reasoner.graph.triples_factory import TriplesFactory


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
    indexed by entity id; no types: ``""``, no aliases: none) into ``store``.

    One batch per graph, in order: the labels, the triples, the descriptions. Each is stored by
    a writer thread (Oxigraph parses and indexes the text without the GIL) while this thread
    makes the next, so the Python work (terms, merge keys) and the store's overlap when a
    core is free: for MetaQA's 134k triples (307k quads) that is most of the load's time.
    """
    with _PipelinedWriter(store) as write:
        nodes = [iri_nt(name_iri(e)) for e in factory.entity_ids]
        label = iri_nt(str(RDFS.label))
        label_terms = [string_nt(text) for text in labels]
        write(LABELS_GRAPH, [(n, label, t) for n, t in zip(nodes, label_terms, strict=True)])
        rels = [iri_nt(relation_iri(r)) for r in factory.relations]
        heads, relations, tails = (column.tolist() for column in factory.triple_arrays)
        write(
            KB_GRAPH,
            [(nodes[h], rels[r], nodes[t])
             for h, r, t in zip(heads, relations, tails, strict=True)],
        )
        write(KB_ENTITIES_GRAPH, _descriptions(nodes, labels, label_terms, types, aliases))


class _PipelinedWriter:
    """``write(graph, triples)`` prepares the batch here and stores it on one writer thread,
    batches in the order given; leaving the ``with`` waits for them and re-raises the first
    error a write raised (later batches are then not written)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.pending: queue.Queue[Any] = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="kb-writer", daemon=True)

    def __enter__(self) -> Callable[[str, list[NTriple]], None]:
        self.thread.start()
        return self._write

    def _write(self, graph: str, triples: list[NTriple]) -> None:
        if self.error is None:
            self.pending.put(self.store.prepare_write([(graph, triples)]))

    def _run(self) -> None:
        while (prepared := self.pending.get()) is not _DONE:
            if self.error is None:
                try:
                    self.store.write_prepared(prepared)
                except BaseException as exc:  # re-raised on the caller's thread in __exit__
                    self.error = exc

    def __exit__(self, *exc: object) -> None:
        self.pending.put(_DONE)
        self.thread.join()
        if self.error is not None and exc[0] is None:
            raise self.error


_DONE = object()


_DOCUMENT_LABEL = iri_nt(str(KGR.documentLabel))
_ENTITY_TYPE = iri_nt(str(KGR.entityType))
_ALIAS = iri_nt(str(KGR.alias))
_ALIAS_KEY = iri_nt(str(KGR.aliasKey))


def _descriptions(
    nodes: Sequence[str],
    labels: Sequence[str],
    label_terms: Sequence[str],
    types: Sequence[str],
    aliases: Sequence[Sequence[str]],
) -> list[NTriple]:
    """Each entity's name, type, aliases and merge keys, as a build writes them."""
    out: list[NTriple] = []
    type_terms: dict[str, str] = {}
    for i, node in enumerate(nodes):
        ctype = types[i] if types else ""
        type_term = type_terms.get(ctype)
        if type_term is None:
            type_term = type_terms[ctype] = string_nt(ctype)
        out.append((node, _DOCUMENT_LABEL, label_terms[i]))
        out.append((node, _ENTITY_TYPE, type_term))
        forms = aliases[i] if aliases else ()
        if not forms:  # most KB entities: one key, from the label
            key = canonical_key(labels[i], ctype or "MISC")
            if key:
                out.append((node, _ALIAS_KEY, string_nt(key)))
            continue
        out += [(node, _ALIAS, string_nt(alias)) for alias in sorted(set(forms))]
        keys = {canonical_key(text, ctype or "MISC") for text in (labels[i], *forms)} - {""}
        out += [(node, _ALIAS_KEY, string_nt(key)) for key in sorted(keys)]
    return out
