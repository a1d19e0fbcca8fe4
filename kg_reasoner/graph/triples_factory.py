"""The one graph data model: entity and relation vocabularies plus an (n, 3) tensor of triples.

A :class:`TriplesFactory` is what a KB triple file and a `kgr build` graph both become, and the
only place graph structure lives as arrays: its views are the inverse-edge factory
(:meth:`TriplesFactory.with_inverse`), the CSR adjacency that score propagation, subgraph
retrieval and path search walk (:meth:`TriplesFactory.csr`) and a torch-geometric ``Data``
(:meth:`TriplesFactory.to_pyg`).

Ids are deterministic: entities and relations are numbered in sorted order of their names and
triples (deduplicated) in sorted order of ``(subject, relation, object)`` names, so the same
triples always give the same ids (trained KGQA checkpoints rely on the relation ids).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any

import numpy as np
import torch

from kg_reasoner.errors import DataFormatError
from kg_reasoner.graph.csr_adjacency import CSRAdjacency
from kg_reasoner.graph.literals import is_literal_object, literal_node_id
from kg_reasoner.graph.records import Triple

INVERSE_SUFFIX = "^-1"
"""Suffix of an inverse relation's name: ``starred_actors^-1`` has id ``r + R``."""

LabeledTriple = tuple[str, str, str]


class TriplesFactory:
    """``entity_to_id``, ``relation_to_id`` and ``mapped_triples`` (n, 3) long tensor of
    ``(head id, relation id, tail id)`` rows."""

    def __init__(
        self,
        *,
        entity_to_id: Mapping[str, int],
        relation_to_id: Mapping[str, int],
        mapped_triples: torch.Tensor,
    ) -> None:
        self.entity_to_id = dict(entity_to_id)
        self.relation_to_id = dict(relation_to_id)
        self.mapped_triples = mapped_triples.reshape(-1, 3).long()
        _check_ids("entity", self.entity_to_id, self.mapped_triples[:, [0, 2]])
        _check_ids("relation", self.relation_to_id, self.mapped_triples[:, 1])

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_labeled_triples(
        cls, triples: Iterable[LabeledTriple], *, entities: Iterable[str] = ()
    ) -> TriplesFactory:
        """Index ``(subject, relation, object)`` name triples; duplicates are dropped.

        ``entities`` adds nodes that may appear in no triple (kept as isolated nodes, so they
        can still be linked and shown).
        """
        unique = sorted(set(triples))
        names = sorted({s for s, _, _ in unique} | {o for _, _, o in unique} | set(entities))
        entity_to_id = {name: i for i, name in enumerate(names)}
        relation_to_id = {r: i for i, r in enumerate(sorted({r for _, r, _ in unique}))}
        mapped = np.fromiter(
            (
                x
                for s, r, o in unique
                for x in (entity_to_id[s], relation_to_id[r], entity_to_id[o])
            ),
            np.int64,
            3 * len(unique),
        )
        return cls(
            entity_to_id=entity_to_id,
            relation_to_id=relation_to_id,
            mapped_triples=torch.from_numpy(mapped).reshape(-1, 3),
        )

    # -- sizes and names ----------------------------------------------------------------------
    @property
    def num_entities(self) -> int:
        return len(self.entity_to_id)

    @property
    def num_relations(self) -> int:
        return len(self.relation_to_id)

    @property
    def num_triples(self) -> int:
        return int(self.mapped_triples.shape[0])

    @cached_property
    def entity_ids(self) -> list[str]:
        """Entity names by id."""
        return _by_id(self.entity_to_id)

    @cached_property
    def relations(self) -> list[str]:
        """Relation names by id."""
        return _by_id(self.relation_to_id)

    def relation_name(self, rel: int) -> str:
        """``starred_actors`` or, for ``rel`` in ``[R, 2R)``, the inverse ``starred_actors^-1``."""
        base = self.relations[rel % self.num_relations]
        return base + INVERSE_SUFFIX if rel >= self.num_relations else base

    def triple(self, index: int) -> LabeledTriple:
        """Triple ``index`` as ``(subject, relation, object)`` names."""
        heads, rels, tails = self.triple_arrays
        h, r, t = heads[index], rels[index], tails[index]
        return self.entity_ids[int(h)], self.relations[int(r)], self.entity_ids[int(t)]

    @cached_property
    def triple_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(heads, relations, tails)`` columns of ``mapped_triples`` as numpy arrays."""
        columns = self.mapped_triples.numpy()
        return columns[:, 0], columns[:, 1], columns[:, 2]

    # -- views --------------------------------------------------------------------------------
    @property
    def edge_index(self) -> torch.Tensor:
        """(2, n) subject -> object, one column per triple."""
        return self.mapped_triples[:, [0, 2]].t().contiguous()

    @property
    def edge_type(self) -> torch.Tensor:
        """(n,) relation id of each triple."""
        return self.mapped_triples[:, 1].contiguous()

    def with_inverse(self) -> TriplesFactory:
        """Every triple ``(s, r, o)`` plus its inverse ``(o, r + R, s)`` named ``r^-1``; the
        inverse rows follow the forward ones in the same order."""
        R = self.num_relations
        inverse_names = {name + INVERSE_SUFFIX: i + R for name, i in self.relation_to_id.items()}
        heads, rels, tails = self.mapped_triples.unbind(1)
        inverse = torch.stack([tails, rels + R, heads], dim=1)
        return TriplesFactory(
            entity_to_id=self.entity_to_id,
            relation_to_id={**self.relation_to_id, **inverse_names},
            mapped_triples=torch.cat([self.mapped_triples, inverse]),
        )

    @cached_property
    def _csr(self) -> CSRAdjacency:
        heads, rels, tails = self.triple_arrays
        triple_ids = np.arange(heads.shape[0], dtype=np.int64)
        src = np.concatenate([heads, tails])
        dst = np.concatenate([tails, heads])
        rel = np.concatenate([rels, rels + self.num_relations])
        tid = np.concatenate([triple_ids, triple_ids])
        order = np.lexsort((dst, rel, src))
        src, dst, rel, tid = src[order], dst[order], rel[order], tid[order]
        indptr = np.zeros(self.num_entities + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=self.num_entities), out=indptr[1:])
        return CSRAdjacency(
            torch.from_numpy(indptr),
            torch.from_numpy(np.ascontiguousarray(dst)),
            torch.from_numpy(np.ascontiguousarray(rel)),
            torch.from_numpy(np.ascontiguousarray(tid)),
        )

    def csr(self) -> CSRAdjacency:
        """Out-edges of every entity over both directions (relation ids in ``[0, 2R)``, as in
        :meth:`with_inverse`), sorted by (source, relation, target); built once."""
        return self._csr

    def to_pyg(self) -> Any:
        """A ``torch_geometric.data.Data`` with ``edge_index``, ``edge_type`` and ``num_nodes``."""
        from torch_geometric.data import Data

        return Data(
            edge_index=self.edge_index, edge_type=self.edge_type, num_nodes=self.num_entities
        )

    # -- comparison ---------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TriplesFactory):
            return NotImplemented
        return (
            self.entity_to_id == other.entity_to_id
            and self.relation_to_id == other.relation_to_id
            and torch.equal(self.mapped_triples, other.mapped_triples)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"TriplesFactory(num_entities={self.num_entities}, "
            f"num_relations={self.num_relations}, num_triples={self.num_triples})"
        )


def labeled_triple(triple: Triple) -> LabeledTriple:
    """A graph triple as node names: a literal object becomes its literal node id (see
    :mod:`kg_reasoner.graph.literals`), so values are nodes that answers can end at."""
    obj = triple.object
    if is_literal_object(obj, triple.datatype):
        obj = literal_node_id(obj, triple.datatype)
    return triple.subject, triple.predicate, obj


def _check_ids(kind: str, vocabulary: Mapping[str, int], ids: torch.Tensor) -> None:
    """Ids are 0..n-1, one per name, and ``ids`` uses only those."""
    last = len(vocabulary) - 1
    if sorted(vocabulary.values()) != list(range(len(vocabulary))):
        raise DataFormatError(f"{kind} ids must be 0..{last}, one per name")
    if ids.numel() and (int(ids.min()) < 0 or int(ids.max()) > last):
        raise DataFormatError(
            f"mapped_triples holds a {kind} id outside 0..{last}: map the triples with the "
            "factory's own vocabularies (TriplesFactory.from_labeled_triples does)"
        )


def _by_id(vocabulary: Mapping[str, int]) -> list[str]:
    names = [""] * len(vocabulary)
    for name, i in vocabulary.items():
        names[i] = name
    return names
