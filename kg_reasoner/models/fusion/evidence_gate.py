"""A fusion at the output that falls back to the graph reasoner when the graph is confident.

``p = (1 - g) * p_graph + g * p_text``, a mixture of the two classifiers' probabilities, with a
gate ``g`` computed from the *graph evidence quality* only:

- the graph's top probability and its top-1/top-2 margin,
- whether a path was found at all (an unreachable tail gets the uniform distribution),
- the story length (number of text passages, normalised by ``length_scale``).

The gate is monotone by construction: it can only fall as the graph gets more confident, as a
path is found, and as the story gets longer (softplus weights with fixed signs). So a gate
trained on short stories (CLUTRR trains on k=2,3) cannot learn to trust the text *more* on the
long stories it never saw, where the text reading is worst; with a confident graph the mixture
is the graph's answer. The gate never reads the text's own confidence, which is inflated on
the stories the text head was trained on.
"""

from __future__ import annotations

import torch
from torch import nn

#: Evidence features, in the order of :attr:`EvidenceGate.weights`.
FEATURES = ("top_probability", "margin", "path_found", "length")


class EvidenceGate(nn.Module):
    """The gate ``g(evidence)`` in (0, 1) and the mixture of graph and text log-probabilities."""

    def __init__(self, num_classes: int, *, length_scale: float = 4.0,
                 initial_bias: float = 0.0, length_prior: float = 1.0) -> None:
        super().__init__()
        self.num_classes = num_classes
        self.length_scale = length_scale
        self.bias = nn.Parameter(torch.tensor(float(initial_bias)))
        # softplus(raw) >= 0 is how strongly each feature lowers the gate. Training stories
        # (k=2,3) hardly vary in length, so the length weight stays near its start: the prior
        # that the text reading degrades on long stories (lm_only falls from 0.53 at k=2 to
        # 0.08-0.18 at k=3..10) decides how the gate extrapolates, and only in the safe direction
        raw = torch.zeros(len(FEATURES))
        raw[FEATURES.index("length")] = length_prior
        self.weights = nn.Parameter(raw)

    def evidence(self, graph_log_probs: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """(B, 4) features of :data:`FEATURES` (no gradient flows back into the graph)."""
        probs = graph_log_probs.detach().softmax(-1)
        top2 = probs.topk(min(2, probs.size(-1)), dim=-1).values
        top = top2[:, 0]
        margin = top - top2[:, 1] if top2.size(1) > 1 else top
        found = (top > 1.0 / self.num_classes + 1e-3).to(probs.dtype)
        length = lengths.to(probs.dtype) / self.length_scale
        return torch.stack([top, margin, found, length], -1)

    def forward(self, graph_log_probs: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """(B,) gate values: the weight of the text classifier."""
        features = self.evidence(graph_log_probs, lengths)
        drop = (features * nn.functional.softplus(self.weights)).sum(-1)
        return torch.sigmoid(self.bias - drop)

    def mix(
        self, graph_logits: torch.Tensor, text_logits: torch.Tensor, lengths: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(log p of the mixture (B, C), gate (B,)); the text probabilities are detached, so
        the mixture loss trains the gate, not the text classifier."""
        gate = self(graph_logits, lengths).unsqueeze(-1)
        log_graph = graph_logits.log_softmax(-1)
        log_text = text_logits.detach().log_softmax(-1)
        mixed = torch.logaddexp(torch.log1p(-gate.clamp(max=1 - 1e-6)) + log_graph,
                                gate.clamp(min=1e-6).log() + log_text)
        return mixed, gate.squeeze(-1)

    def extra_repr(self) -> str:
        return f"num_classes={self.num_classes}, length_scale={self.length_scale}"

