"""Training speed-up: run a frozen bottom of the encoder once, train only the top layers.

With ``freeze.policy: top_k`` (and frozen word embeddings) the lower layers' outputs never
change, so they are computed once per sentence window (without dropout) and each training step
runs only the top ``k`` layers forward and backward. In eval mode the split forward equals the
full forward (tested), so inference always uses the plain encoder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import torch
from torch import nn

from kg_reasoner.extraction.supervised.encoding import (
    EncoderInputs,
    TokenizedSentence,
    WordPieceAligner,
)
from kg_reasoner.models.feature_cache import FeatureCache
from kg_reasoner.models.freezing import encoder_layers
from kg_reasoner.models.text_encoder import run_blocks


def frozen_prefix_length(encoder: nn.Module) -> int:
    """How many leading transformer layers (after frozen embeddings) have no trainable weight."""
    embeddings = getattr(encoder, "embeddings", None)
    if not isinstance(embeddings, nn.Module):
        return 0
    if any(p.requires_grad for p in embeddings.parameters()):
        return 0
    try:
        layers = encoder_layers(encoder)
    except ValueError:
        return 0
    count = 0
    for layer in layers:
        if any(p.requires_grad for p in layer.parameters()):
            break
        count += 1
    return count if count < len(layers) else 0


@torch.no_grad()
def run_prefix(
    encoder: nn.Module, input_ids: torch.Tensor, attention_mask: torch.Tensor, n_layers: int
) -> torch.Tensor:
    """Hidden states after the first ``n_layers`` layers, in eval mode: (N, T, H).

    Only the embeddings and those layers run (not the whole encoder).
    """
    was_training = encoder.training
    encoder.eval()
    hidden = encoder.embeddings(input_ids=input_ids)
    hidden = run_blocks(encoder, encoder_layers(encoder)[:n_layers], hidden, attention_mask)
    encoder.train(was_training)
    return hidden


def run_suffix(
    encoder: nn.Module, hidden: torch.Tensor, attention_mask: torch.Tensor, n_layers: int
) -> torch.Tensor:
    """Continue from the output of layer ``n_layers`` to the last hidden state: (N, T, H)."""
    return run_blocks(encoder, encoder_layers(encoder)[n_layers:], hidden, attention_mask)


class PrefixCache:
    """The frozen layers' output for every window of a fixed set of training sentences.

    Held in memory in a :class:`FeatureCache` keyed ``"<sentence>.<window>"`` by position (the
    same words batched with others can differ in the last bits, so entries are not shared).
    """

    def __init__(
        self,
        encoder: nn.Module,
        aligner: WordPieceAligner,
        sentences: Sequence[TokenizedSentence],
        n_layers: int,
        *,
        batch_size: int = 32,
    ) -> None:
        self.n_layers = n_layers
        self.cache = FeatureCache(identity=("frozen-prefix", n_layers))
        self.windows: list[int] = [0] * len(sentences)
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        for first in range(0, len(order), batch_size):
            idx = order[first : first + batch_size]
            inputs = aligner.collate([sentences[i] for i in idx])
            states = run_prefix(encoder, inputs.input_ids, inputs.attention_mask, n_layers)
            lengths = inputs.attention_mask.sum(1).tolist()
            row = 0
            for i in idx:
                self.windows[i] = aligner.n_windows(sentences[i])
                for window in range(self.windows[i]):
                    self.cache.put(f"{i}.{window}", {"states": states[row, : lengths[row]].clone()})
                    row += 1

    def attach(self, inputs: EncoderInputs, idx: Sequence[int]) -> EncoderInputs:
        """``inputs`` (collated from sentences ``idx``) with their cached prefix states."""
        n_rows, width = inputs.input_ids.shape
        rows = [self.cache.get(f"{i}.{w}")["states"] for i in idx for w in range(self.windows[i])]
        if len(rows) != n_rows:
            raise ValueError("cached windows do not match the batch: was the aligner changed?")
        states = rows[0].new_zeros((n_rows, width, rows[0].shape[-1]))
        for k, row in enumerate(rows):
            states[k, : row.shape[0]] = row
        return replace(inputs, prefix_states=states, prefix_layers=self.n_layers)
