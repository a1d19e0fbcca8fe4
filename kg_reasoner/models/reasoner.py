"""The fused reasoner: a graph part + language-model text features -> fusion -> head.

Task-agnostic: it classifies a query pair (head and tail node of each graph) from the graph,
the text, or both. Any part can be switched off for ablations: ``graph=None`` gives an LM-only
model, ``text_channels=None`` a graph-only model. The graph part is either a
:class:`GraphEncoder` over given node features ``x`` or a :class:`PathCompositionReasoner`,
which reads only the edges; the pair is read from the head's and tail's states.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch
from torch import nn

from kg_reasoner.errors import ModelConfigError
from kg_reasoner.models.fusion import FUSIONS, Fusion
from kg_reasoner.models.graph_encoders import GRAPH_ENCODERS, GraphEncoder
from kg_reasoner.models.heads import ClassifierOutput, PairClassificationHead
from kg_reasoner.models.options import ModelOptions
from kg_reasoner.models.path_reasoner import PathCompositionReasoner
from kg_reasoner.resolver import lookup, resolve

GraphPart = GraphEncoder | PathCompositionReasoner

#: Every graph part a config can name: the node-feature encoders and the path reasoner.
GRAPH_MODELS: dict[str, type[nn.Module]] = {
    **GRAPH_ENCODERS,
    "path_composition": PathCompositionReasoner,
}


def graph_model_options(
    name: str | type[nn.Module], options: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The typed options of the graph part ``name`` from a config's mapping: unknown or
    mistyped keys raise :class:`ConfigError` naming the valid ones."""
    cls = lookup(name, GRAPH_MODELS, base=nn.Module, kind="graph encoder")
    options_class: type[ModelOptions] = getattr(cls, "options_class", ModelOptions)
    label = name if isinstance(name, str) else cls.__name__
    return options_class.parse(options, kind=f"graph encoder {label}")


def build_graph_model(
    name: str | type[nn.Module], *, num_relations: int, hidden_channels: int, num_layers: int,
    dropout: float, options: Mapping[str, Any] | None = None,
) -> GraphPart:
    """The graph part a config names, with its typed ``options``. Encoders read
    ``hidden_channels``-wide node features; the path reasoner needs only ``num_relations``."""
    kwargs = graph_model_options(name, options)
    cls = lookup(name, GRAPH_MODELS, base=nn.Module, kind="graph encoder")
    if issubclass(cls, PathCompositionReasoner):
        return cls(num_relations=num_relations, **kwargs)
    return resolve(cls, GRAPH_ENCODERS, base=GraphEncoder, kind="graph encoder",
                   in_channels=hidden_channels, hidden_channels=hidden_channels,
                   num_relations=num_relations, num_layers=num_layers, dropout=dropout, **kwargs)


class FusedReasoner(nn.Module):
    """Classifies the relation of a query pair from a graph, a text, or both."""

    def __init__(
        self,
        *,
        num_classes: int,
        graph: GraphPart | None = None,
        text_channels: int | None = None,
        fusion: str | type[Fusion] | Fusion = "gated",
        hidden: int = 128,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        if graph is None and text_channels is None:
            raise ModelConfigError("the reasoner needs a graph encoder, text features, or both")
        self.graph = graph
        pair_channels = 2 * graph.out_channels if graph is not None else 0
        self.fusion: Fusion | None = None
        if graph is not None and text_channels is not None:
            self.fusion = resolve(
                fusion, FUSIONS, base=Fusion, kind="fusion", graph_channels=pair_channels,
                text_channels=text_channels, out_channels=hidden, dropout=dropout,
            )
            head_in = hidden
        else:
            head_in = pair_channels or int(text_channels or 0)
        self.head = PairClassificationHead(
            in_channels=head_in, hidden_channels=hidden, num_classes=num_classes, dropout=dropout
        )

    def encode_pair(
        self,
        *,
        head_index: torch.Tensor,
        tail_index: torch.Tensor,
        edge_index: torch.Tensor,
        x: torch.Tensor | None = None,
        edge_type: torch.Tensor | None = None,
        edge_attr: torch.Tensor | None = None,
        num_nodes: int | None = None,
    ) -> torch.Tensor:
        """(B, 2 * out_channels): the graph part's states of each query's head and tail."""
        if isinstance(self.graph, PathCompositionReasoner):
            if edge_attr is None or (num_nodes is None and x is None):
                raise ModelConfigError("the path reasoner needs edge_attr and num_nodes (or x)")
            size = num_nodes if num_nodes is not None else x.size(0)  # type: ignore[union-attr]
            states = self.graph(edge_index, edge_attr, head_index, tail_index, size)
        elif isinstance(self.graph, GraphEncoder):
            if x is None:
                raise ModelConfigError("a graph encoder needs node features x")
            states = self.graph(x, edge_index, edge_type=edge_type, edge_attr=edge_attr)
        else:
            raise ModelConfigError("this reasoner has no graph part; pass text features only")
        return torch.cat([states[head_index], states[tail_index]], -1)

    def classify(
        self,
        pair: torch.Tensor | None,
        text: torch.Tensor | None = None,
        memory: torch.Tensor | None = None,
        memory_mask: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
    ) -> ClassifierOutput:
        """The head over the pair, the text, or their fusion (``memory`` (B, S, Dt) defaults
        to the text vector alone)."""
        if self.graph is None or pair is None:
            if text is None:
                raise ModelConfigError("an LM-only model needs text features")
            return self.head(text, labels)
        if self.fusion is None:
            return self.head(pair, labels)
        if text is None:
            raise ModelConfigError("a fused model needs text features")
        if memory is None or memory_mask is None:
            memory = text.unsqueeze(1)
            memory_mask = torch.ones(len(text), 1, dtype=torch.bool)
        return self.head(self.fusion(pair, text, memory, memory_mask), labels)

    def forward(
        self,
        *,
        head_index: torch.Tensor,
        tail_index: torch.Tensor,
        edge_index: torch.Tensor | None = None,
        x: torch.Tensor | None = None,
        edge_type: torch.Tensor | None = None,
        edge_attr: torch.Tensor | None = None,
        num_nodes: int | None = None,
        text: torch.Tensor | None = None,
        memory: torch.Tensor | None = None,
        memory_mask: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
    ) -> ClassifierOutput:
        pair = None
        if self.graph is not None:
            if edge_index is None:
                raise ModelConfigError("a graph model needs edge_index")
            pair = self.encode_pair(
                head_index=head_index, tail_index=tail_index, edge_index=edge_index, x=x,
                edge_type=edge_type, edge_attr=edge_attr, num_nodes=num_nodes,
            )
        return self.classify(pair, text, memory, memory_mask, labels)
