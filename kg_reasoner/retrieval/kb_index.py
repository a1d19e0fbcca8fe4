"""A knowledge base for answering: the graph's :class:`TriplesFactory` plus what answering
reads about entities and statements (labels, aliases, types, statement times).

The structure (vocabularies, triples, CSR adjacency over both edge directions) lives only in
the factory; every triple ``(s, r, o)`` is walked as ``s -r-> o`` with relation id ``r`` and
``o -r^-1-> s`` with relation id ``r + R``, so multi-hop reasoning can go either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from kg_reasoner.graph.csr_adjacency import CSRAdjacency
from kg_reasoner.graph.knowledge_base import KnowledgeBase
from kg_reasoner.graph.triples_factory import TriplesFactory


@dataclass(frozen=True, order=True)
class StatementTime:
    """When a triple was stated: its document, the sentence's position there, the stated date."""

    document: str
    position: int
    date: str = ""


@dataclass(eq=False)
class KBIndex:
    """A :class:`TriplesFactory` with display labels, aliases and types of its entities.

    ``entity_labels``, ``entity_aliases`` and ``entity_types`` are indexed by entity id;
    ``statement_times`` by triple id (the row of ``triples_factory.mapped_triples``); read
    them with :meth:`times_of`. With a ``time_source`` (a graph kept open), times are fetched
    for the triples a question touches, when it touches them, and kept.
    """

    triples_factory: TriplesFactory
    entity_labels: list[str]
    entity_aliases: list[tuple[str, ...]]
    entity_types: list[str] = field(default_factory=list, repr=False)
    # triple id -> every statement of it (graphs built from text; empty for triple files)
    statement_times: dict[int, tuple[StatementTime, ...]] = field(default_factory=dict, repr=False)
    # triple ids -> their statement times (those without statements may be left out)
    time_source: Callable[[list[int]], Mapping[int, Iterable[StatementTime]]] | None = field(
        default=None, repr=False
    )

    def __post_init__(self) -> None:
        self.triples_factory.csr()  # built at load time, not on the first question

    # -- the factory's vocabularies and sizes ------------------------------------------------
    @property
    def entity_ids(self) -> list[str]:
        return self.triples_factory.entity_ids

    @property
    def entity_to_id(self) -> dict[str, int]:
        return self.triples_factory.entity_to_id

    @property
    def relations(self) -> list[str]:
        """Base relation names by id (inverses excluded)."""
        return self.triples_factory.relations

    @property
    def num_entities(self) -> int:
        return self.triples_factory.num_entities

    @property
    def num_base_relations(self) -> int:
        return self.triples_factory.num_relations

    @property
    def num_relations(self) -> int:
        """Relations including inverses (2R)."""
        return 2 * self.triples_factory.num_relations

    @property
    def num_triples(self) -> int:
        return self.triples_factory.num_triples

    def relation_name(self, rel: int) -> str:
        """``starred_actors`` or ``starred_actors^-1`` for relation id ``rel`` in ``[0, 2R)``."""
        return self.triples_factory.relation_name(rel)

    def relation_vocabulary(self) -> list[str]:
        return [self.relation_name(r) for r in range(self.num_relations)]

    def entity_type(self, entity: int) -> str:
        return self.entity_types[entity] if self.entity_types else ""

    # -- when triples were stated ------------------------------------------------------------
    def times_of(self, triple_id: int) -> tuple[StatementTime, ...]:
        """Every statement of triple ``triple_id`` (document, position, date), sorted."""
        found = self.statement_times.get(triple_id)
        if found is None and self.time_source is not None:
            self.prefetch_times([triple_id])
            found = self.statement_times.get(triple_id)
        return found or ()

    def prefetch_times(self, triple_ids: Iterable[int]) -> None:
        """Fetch the statement times of ``triple_ids`` in one go (a no-op without a source)."""
        if self.time_source is None:
            return
        missing = sorted({t for t in triple_ids if t not in self.statement_times})
        if not missing:
            return
        fetched = self.time_source(missing)
        for tid in missing:
            self.statement_times[tid] = tuple(sorted(set(fetched.get(tid, ()))))

    # -- the factory's CSR view --------------------------------------------------------------
    @property
    def adjacency(self) -> CSRAdjacency:
        """The whole KB (both directions) as CSR tensors, for propagation and retrieval."""
        return self.triples_factory.csr()

    def degree(self, entity: int) -> int:
        return self.adjacency.degree(entity)

    def out_edges(self, entity: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(neighbours, relation ids, triple ids) of one entity, both directions."""
        return self.adjacency.out_edges(entity)

    def triple(self, index: int) -> tuple[str, str, str]:
        """The stored triple ``index`` as ``(subject id, relation, object id)``."""
        return self.triples_factory.triple(index)

    @classmethod
    def from_factory(
        cls,
        factory: TriplesFactory,
        *,
        labels: Mapping[str, str] | None = None,
        aliases: Mapping[str, Iterable[str]] | None = None,
        types: Mapping[str, str] | None = None,
        times: Mapping[tuple[str, str, str], Iterable[StatementTime]] | None = None,
    ) -> KBIndex:
        """Attach entity labels (default: the id itself), aliases, types (e.g. PERSON, GPE)
        and statement times (see :class:`StatementTime`) to a factory's entities and triples."""
        kb = KnowledgeBase.from_factory(factory, labels=labels, aliases=aliases, types=types)
        statement_times = {}
        if times:
            for i in range(factory.num_triples):
                found = times.get(factory.triple(i))
                if found is not None:
                    statement_times[i] = tuple(sorted(set(found)))
        return cls.from_knowledge_base(kb, statement_times=statement_times)

    @classmethod
    def from_knowledge_base(
        cls,
        knowledge_base: KnowledgeBase,
        *,
        statement_times: dict[int, tuple[StatementTime, ...]] | None = None,
    ) -> KBIndex:
        """The index of a knowledge base (its own factory, so entity ids stay its names)."""
        return cls(
            triples_factory=knowledge_base.factory,
            entity_labels=list(knowledge_base.labels),
            entity_aliases=list(knowledge_base.aliases),
            entity_types=list(knowledge_base.types),
            statement_times=dict(statement_times or {}),
        )

    def knowledge_base(self) -> KnowledgeBase:
        """The factory with the labels, aliases and types of its entities (by entity id)."""
        n = self.num_entities
        return KnowledgeBase(
            factory=self.triples_factory,
            labels=tuple(self.entity_labels),
            aliases=tuple(self.entity_aliases),
            types=tuple(self.entity_types) if self.entity_types else ("",) * n,
        )

    @classmethod
    def from_triples(
        cls,
        triples: Iterable[tuple[str, str, str]],
        *,
        labels: Mapping[str, str] | None = None,
        aliases: Mapping[str, Iterable[str]] | None = None,
        types: Mapping[str, str] | None = None,
        times: Mapping[tuple[str, str, str], Iterable[StatementTime]] | None = None,
    ) -> KBIndex:
        """Index ``(subject, relation, object)`` id triples; duplicates are dropped.

        Entities that appear only in ``labels`` are kept as isolated nodes so they can still
        be linked (see :meth:`TriplesFactory.from_labeled_triples` for the id order).
        """
        labels = dict(labels or {})
        factory = TriplesFactory.from_labeled_triples(triples, entities=labels)
        return cls.from_factory(factory, labels=labels, aliases=aliases, types=types, times=times)
