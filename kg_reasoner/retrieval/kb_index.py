"""A knowledge base as integer arrays: entity and relation vocabularies plus CSR adjacency.

Every triple ``(s, r, o)`` is stored twice in the adjacency: ``s -r-> o`` with relation id ``r``
and ``o -r^-1-> s`` with relation id ``r + R``, so multi-hop reasoning can walk edges either way.
Vocabularies come from the data, in first-seen order of sorted names (deterministic).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import torch

from kg_reasoner.graph.csr_adjacency import CSRAdjacency

INVERSE_SUFFIX = "^-1"


@dataclass(frozen=True, order=True)
class StatementTime:
    """When a triple was stated: its document, the sentence's position there, the stated date."""

    document: str
    position: int
    date: str = ""


@dataclass(eq=False)
class KBIndex:
    """Entities, relations and a compressed sparse row adjacency over both edge directions.

    ``indptr`` (N+1,), ``neighbors`` (2E,), ``edge_relations`` (2E,) and ``edge_triples`` (2E,)
    give, for entity ``i``, its out-edges ``indptr[i]:indptr[i+1]`` (neighbour, relation id in
    ``[0, 2R)``, index of the stored triple).
    """

    entity_ids: list[str]
    entity_labels: list[str]
    entity_aliases: list[tuple[str, ...]]
    relations: list[str]
    heads: np.ndarray
    rels: np.ndarray
    tails: np.ndarray
    indptr: np.ndarray = field(repr=False)
    neighbors: np.ndarray = field(repr=False)
    edge_relations: np.ndarray = field(repr=False)
    edge_triples: np.ndarray = field(repr=False)
    entity_to_id: dict[str, int] = field(repr=False)
    entity_types: list[str] = field(default_factory=list, repr=False)
    # triple id -> every statement of it (graphs built from text; empty for triple files)
    statement_times: dict[int, tuple[StatementTime, ...]] = field(default_factory=dict, repr=False)

    @property
    def num_entities(self) -> int:
        return len(self.entity_ids)

    @property
    def num_base_relations(self) -> int:
        return len(self.relations)

    @property
    def num_relations(self) -> int:
        """Relations including inverses (2R)."""
        return 2 * len(self.relations)

    @property
    def num_triples(self) -> int:
        return int(self.heads.shape[0])

    def relation_name(self, rel: int) -> str:
        """``starred_actors`` or ``starred_actors^-1`` for relation id ``rel`` in ``[0, 2R)``."""
        base = self.relations[rel % len(self.relations)]
        return base + INVERSE_SUFFIX if rel >= len(self.relations) else base

    def relation_vocabulary(self) -> list[str]:
        return [self.relation_name(r) for r in range(self.num_relations)]

    def entity_type(self, entity: int) -> str:
        return self.entity_types[entity] if self.entity_types else ""

    def degree(self, entity: int) -> int:
        return int(self.indptr[entity + 1] - self.indptr[entity])

    def out_edges(self, entity: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(neighbours, relation ids, triple ids) of one entity, both directions."""
        lo, hi = int(self.indptr[entity]), int(self.indptr[entity + 1])
        return self.neighbors[lo:hi], self.edge_relations[lo:hi], self.edge_triples[lo:hi]

    def triple(self, index: int) -> tuple[str, str, str]:
        """The stored triple ``index`` as ``(subject id, relation, object id)``."""
        return (
            self.entity_ids[int(self.heads[index])],
            self.relations[int(self.rels[index])],
            self.entity_ids[int(self.tails[index])],
        )

    @cached_property
    def adjacency(self) -> CSRAdjacency:
        """The whole KB (both directions) as torch CSR tensors for score propagation."""
        return CSRAdjacency(
            torch.from_numpy(self.indptr.astype(np.int64)),
            torch.from_numpy(self.neighbors.astype(np.int64)),
            torch.from_numpy(self.edge_relations.astype(np.int64)),
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

        ``labels`` maps entity ids to display names (default: the id itself); entities that
        appear only in ``labels`` are kept as isolated nodes so they can still be linked.
        ``types`` maps entity ids to entity types (e.g. PERSON, GPE), when known; ``times``
        maps a triple to its statements' positions (see :class:`StatementTime`).
        """
        unique = sorted(set(triples))
        labels = dict(labels or {})
        names = sorted({s for s, _, _ in unique} | {o for _, _, o in unique} | set(labels))
        entity_to_id = {name: i for i, name in enumerate(names)}
        relations = sorted({r for _, r, _ in unique})
        rel_to_id = {r: i for i, r in enumerate(relations)}
        heads = np.fromiter((entity_to_id[s] for s, _, _ in unique), np.int64, len(unique))
        rels = np.fromiter((rel_to_id[r] for _, r, _ in unique), np.int64, len(unique))
        tails = np.fromiter((entity_to_id[o] for _, _, o in unique), np.int64, len(unique))
        indptr, neighbors, edge_rel, edge_triple = _build_csr(
            heads, rels, tails, len(names), len(relations)
        )
        alias_map = {k: tuple(v) for k, v in (aliases or {}).items()}
        statement_times = {
            i: tuple(sorted(set(times[t]))) for i, t in enumerate(unique) if times and t in times
        }
        return cls(
            entity_ids=names,
            entity_labels=[labels.get(n, n) for n in names],
            entity_aliases=[alias_map.get(n, ()) for n in names],
            relations=relations,
            heads=heads,
            rels=rels,
            tails=tails,
            indptr=indptr,
            neighbors=neighbors,
            edge_relations=edge_rel,
            edge_triples=edge_triple,
            entity_to_id=entity_to_id,
            entity_types=[(types or {}).get(n, "") for n in names],
            statement_times=statement_times,
        )


def _build_csr(
    heads: np.ndarray, rels: np.ndarray, tails: np.ndarray, num_entities: int, num_relations: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """CSR arrays over forward and inverse edges, sorted by (source, relation, target)."""
    triple_ids = np.arange(heads.shape[0], dtype=np.int64)
    src = np.concatenate([heads, tails])
    dst = np.concatenate([tails, heads])
    rel = np.concatenate([rels, rels + num_relations])
    tid = np.concatenate([triple_ids, triple_ids])
    order = np.lexsort((dst, rel, src))
    src, dst, rel, tid = src[order], dst[order], rel[order], tid[order]
    counts = np.bincount(src, minlength=num_entities)
    indptr = np.zeros(num_entities + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return indptr, dst, rel, tid
