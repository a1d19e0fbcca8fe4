"""Graph tensors for torch-geometric: vocabularies plus ``edge_index`` / ``edge_type``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg_reasoner.graph.records import Triple

if TYPE_CHECKING:  # torch is imported only when tensors are made, to keep the CLI fast
    import torch


@dataclass
class PygGraph:
    """``entity_to_id`` and ``relation_to_id`` vocabularies; ``edge_index`` (2, E) and
    ``edge_type`` (E,) long tensors, one column per triple (subject -> object)."""

    entity_to_id: dict[str, int]
    relation_to_id: dict[str, int]
    edge_index: torch.Tensor
    edge_type: torch.Tensor

    @property
    def num_nodes(self) -> int:
        return len(self.entity_to_id)

    @property
    def num_relations(self) -> int:
        return len(self.relation_to_id)

    def to_data(self) -> Any:
        """A ``torch_geometric.data.Data`` with ``edge_index``, ``edge_type`` and ``num_nodes``."""
        from torch_geometric.data import Data

        return Data(edge_index=self.edge_index, edge_type=self.edge_type, num_nodes=self.num_nodes)


def triples_to_pyg(triples: list[Triple], entities: list[str] | None = None) -> PygGraph:
    """Index triples; vocabularies are sorted so the same graph always gives the same ids."""
    import torch

    names = set(entities or [])
    for t in triples:
        names.update((t.subject, t.object))
    entity_to_id = {e: i for i, e in enumerate(sorted(names))}
    relation_to_id = {r: i for i, r in enumerate(sorted({t.predicate for t in triples}))}
    ordered = sorted(triples, key=lambda t: (t.subject, t.predicate, t.object))
    edge_index = torch.tensor(
        [[entity_to_id[t.subject] for t in ordered], [entity_to_id[t.object] for t in ordered]],
        dtype=torch.long,
    ).reshape(2, -1)
    edge_type = torch.tensor([relation_to_id[t.predicate] for t in ordered], dtype=torch.long)
    return PygGraph(entity_to_id, relation_to_id, edge_index, edge_type)
