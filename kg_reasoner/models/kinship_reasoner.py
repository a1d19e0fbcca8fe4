"""The CLUTRR kinship reasoner: its node features and read-out around a :class:`FusedReasoner`.

What belongs to the task lives here, the generic parts come from :mod:`.reasoner`:

- node features: a role embedding (other person, query head, query tail) plus a gender
  embedding, the ``x`` a graph encoder reads;
- the direct read-out: the path reasoner outputs relation log-probabilities, and in this task
  the classes are the relations, so they are the class scores themselves. A graph-only model
  reads them out directly; a fused model adds the fusion head's scores to them, scaled by the
  graph's uncertainty (1 - its top probability), and is also trained on them alone (an
  auxiliary loss): where the graph composes a confident answer the text cannot overturn it
  (long stories, unseen in training, would otherwise shift the text features), and where
  extraction failed (no path, a uniform graph answer) the text decides. Reading out through an
  MLP instead would let the composed states drift away from meaning "this relation", and
  composing them again along longer paths would break.

The role and gender embeddings are built for every graph part, the path reasoner included
(which does not read them), so that a seeded model draws the same initial weights as before
the redesign and saved runs keep their parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch
from torch import nn

from kg_reasoner.errors import ModelConfigError
from kg_reasoner.models.fusion import OUTPUT_FUSIONS, EvidenceGate
from kg_reasoner.models.heads import ClassifierOutput, PairClassificationHead
from kg_reasoner.models.path_reasoner import PathCompositionReasoner
from kg_reasoner.models.reasoner import FusedReasoner, build_graph_model

NUM_ROLES = 3  # other node, query head, query tail

#: Parameter names before the generic FusedReasoner was split out -> their names now.
_LEGACY_PREFIXES = {"encoder.": "reasoner.graph.", "fusion.": "reasoner.fusion.",
                    "head.": "reasoner.head."}


class KinshipReasoner(nn.Module):
    """Classifies what the tail is to the head of each story graph (and/or story text)."""

    def __init__(
        self,
        *,
        num_relations: int,
        num_classes: int,
        num_genders: int = 3,
        graph_encoder: str | None = "path_composition",
        graph_hidden: int = 64,
        graph_layers: int = 2,
        graph_options: Mapping[str, Any] | None = None,
        text_channels: int | None = None,
        fusion: str = "gated",
        hidden: int = 128,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        if graph_encoder is None and text_channels is None:
            raise ModelConfigError("the reasoner needs a graph encoder, text features, or both")
        graph = None
        if graph_encoder is not None:
            self.roles = nn.Embedding(NUM_ROLES, graph_hidden)
            self.genders = nn.Embedding(num_genders, graph_hidden)
            graph = build_graph_model(
                graph_encoder, num_relations=num_relations, hidden_channels=graph_hidden,
                num_layers=graph_layers, dropout=dropout, options=graph_options,
            )
        self.gate: EvidenceGate | None = None
        self.text_head: PairClassificationHead | None = None
        if fusion.lower() in OUTPUT_FUSIONS:
            if not isinstance(graph, PathCompositionReasoner) or text_channels is None:
                raise ModelConfigError(
                    f"fusion {fusion} mixes the path reasoner's class scores with a text "
                    "classifier's: it needs graph_encoder path_composition and text features"
                )
            # the graph part alone inside the generic reasoner; the text classifier and the
            # gate beside it, mixed at the output
            self.reasoner = FusedReasoner(num_classes=num_classes, graph=graph, hidden=hidden,
                                          dropout=dropout)
            self.text_head = PairClassificationHead(
                in_channels=text_channels, hidden_channels=hidden, num_classes=num_classes,
                dropout=dropout,
            )
            self.gate = OUTPUT_FUSIONS[fusion.lower()](num_classes)
        else:
            self.reasoner = FusedReasoner(
                num_classes=num_classes, graph=graph, text_channels=text_channels,
                fusion=fusion, hidden=hidden, dropout=dropout,
            )
        self.register_load_state_dict_pre_hook(_rename_legacy_keys)

    @property
    def direct_readout(self) -> bool:
        """True when the graph part's tail states are the class scores (the path reasoner)."""
        return isinstance(self.reasoner.graph, PathCompositionReasoner)

    def forward(
        self,
        *,
        head_index: torch.Tensor,
        tail_index: torch.Tensor,
        node_role: torch.Tensor | None = None,
        node_gender: torch.Tensor | None = None,
        edge_index: torch.Tensor | None = None,
        edge_attr: torch.Tensor | None = None,
        text: torch.Tensor | None = None,
        memory: torch.Tensor | None = None,
        memory_mask: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
    ) -> ClassifierOutput:
        """The batch of ``tasks.clutrr``: ``node_role``/``node_gender`` (N,), ``edge_index``
        (2, E), ``edge_attr`` (E, R) relation probabilities, query ``head_index``/``tail_index``
        (B,), story ``text`` (B, Dt) and window ``memory`` (B, S, Dt) with ``memory_mask``."""
        reasoner = self.reasoner
        if reasoner.graph is None:
            return reasoner.classify(None, text, labels=labels)
        if node_role is None or node_gender is None or edge_index is None or edge_attr is None:
            raise ModelConfigError(
                "a graph model needs node_role, node_gender, edge_index and edge_attr"
            )
        if self.direct_readout:
            pair = reasoner.encode_pair(head_index=head_index, tail_index=tail_index,
                                        edge_index=edge_index, edge_attr=edge_attr,
                                        num_nodes=node_role.numel())
        else:
            # R-GCN reads each edge's most likely relation, GAT the whole distribution
            edge_type = (edge_attr.argmax(-1) if edge_attr.numel()
                         else edge_attr.new_zeros(0).long())
            pair = reasoner.encode_pair(
                head_index=head_index, tail_index=tail_index, edge_index=edge_index,
                x=self.roles(node_role) + self.genders(node_gender), edge_type=edge_type,
                edge_attr=edge_attr,
            )
            return reasoner.classify(pair, text, memory, memory_mask, labels)
        graph_scores = pair[:, reasoner.graph.out_channels :]
        if self.gate is not None:
            return self._gated(graph_scores, text, memory_mask, labels)
        if reasoner.fusion is None:
            return _scored(graph_scores, labels)
        fused = reasoner.classify(pair, text, memory, memory_mask)
        uncertainty = 1.0 - graph_scores.softmax(-1).max(-1, keepdim=True).values
        out = _scored(graph_scores + uncertainty * fused.logits, labels)
        if out.loss is not None and labels is not None:
            out.loss = out.loss + nn.functional.cross_entropy(graph_scores, labels)
        return out


    def _gated(
        self, graph_scores: torch.Tensor, text: torch.Tensor | None,
        memory_mask: torch.Tensor | None, labels: torch.Tensor | None,
    ) -> ClassifierOutput:
        """The evidence-gated mixture of the graph's and the text classifier's answers; the
        loss trains the text classifier on its own (cross-entropy), the gate on the mixture,
        and the graph part on its own scores unless it is frozen."""
        assert self.gate is not None and self.text_head is not None
        if text is None:
            raise ModelConfigError("a fused model needs text features")
        text_logits = self.text_head(text).logits
        lengths = (memory_mask.sum(-1) if memory_mask is not None
                   else torch.ones(len(text), device=text.device))
        mixed, _ = self.gate.mix(graph_scores, text_logits, lengths)
        loss = None
        if labels is not None:
            loss = (nn.functional.nll_loss(mixed, labels)
                    + nn.functional.cross_entropy(text_logits, labels))
            if graph_scores.requires_grad:
                loss = loss + nn.functional.cross_entropy(graph_scores, labels)
        return ClassifierOutput(logits=mixed, loss=loss)

    def freeze_graph(self) -> None:
        """Keep the graph part (and its node embeddings) fixed: only the text classifier and
        the fusion train."""
        for name, param in self.named_parameters():
            if name.startswith(("reasoner.graph.", "roles.", "genders.")):
                param.requires_grad_(False)


def _scored(logits: torch.Tensor, labels: torch.Tensor | None) -> ClassifierOutput:
    loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
    return ClassifierOutput(logits=logits, loss=loss)


def _rename_legacy_keys(
    module: nn.Module, state_dict: dict[str, torch.Tensor], prefix: str, *_: Any
) -> None:
    """Load runs saved before the split (``encoder.*``, ``fusion.*``, ``head.*`` at the top)."""
    for key in list(state_dict):
        if not key.startswith(prefix):
            continue
        local = key[len(prefix):]
        for old, new in _LEGACY_PREFIXES.items():
            if local.startswith(old):
                state_dict[prefix + new + local[len(old):]] = state_dict.pop(key)
                break
