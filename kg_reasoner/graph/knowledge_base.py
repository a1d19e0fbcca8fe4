"""A knowledge base as the graph stage knows it: a :class:`TriplesFactory` and, by entity id,
each entity's label, aliases and type (what a triple file such as MetaQA's ``kb.txt`` gives)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg_reasoner.graph.triples_factory import TriplesFactory


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """``labels``, ``aliases`` and ``types`` are indexed by entity id (the factory's order)."""

    factory: TriplesFactory
    labels: tuple[str, ...]
    aliases: tuple[tuple[str, ...], ...]
    types: tuple[str, ...]

    @classmethod
    def from_factory(
        cls,
        factory: TriplesFactory,
        *,
        labels: Mapping[str, str] | None = None,
        aliases: Mapping[str, Iterable[str]] | None = None,
        types: Mapping[str, str] | None = None,
    ) -> KnowledgeBase:
        """Entities keyed by name; a missing label is the name itself, a missing type ``""``."""
        names = factory.entity_ids
        labels, aliases, types = labels or {}, aliases or {}, types or {}
        return cls(
            factory=factory,
            labels=tuple(labels.get(n, n) for n in names),
            aliases=tuple(tuple(aliases.get(n, ())) for n in names),
            types=tuple(types.get(n, "") for n in names),
        )


__all__ = ["KnowledgeBase"]
