"""A BERT-family encoder for inference in plain torch, read from a local checkpoint directory.

`kgr ask` embeds one question and a few hundred relation phrases; loading the encoder through
``transformers`` costs about 5 s of imports (``modeling_bert`` pulls in ``torch._dynamo``)
before any text is encoded. This module runs the same forward pass (embeddings, post-norm
self-attention blocks with exact GELU, mean pooling) from the ``config.json``,
``model.safetensors`` and ``tokenizer.json`` of a BERT checkpoint with ``torch`` and
``tokenizers`` only; vectors match :class:`~kg_reasoner.models.text_encoder.TextEncoder` (a
test checks it). Training and other architectures keep using ``TextEncoder``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch
from torch.nn import functional as F

_FILES = ("config.json", "model.safetensors", "tokenizer.json")


def supports(path: str | Path) -> bool:
    """True when ``path`` is a local BERT checkpoint this module can run."""
    path = Path(path)
    if not all((path / name).is_file() for name in _FILES):
        return False
    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    return (
        config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
    )


class BertInference:
    """``encode(texts) -> (N, H)`` mean-pooled, L2-normalised vectors, as ``TextEncoder``."""

    def __init__(self, path: str | Path, *, max_length: int = 256) -> None:
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        path = Path(path)
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        self.hidden_size = int(config["hidden_size"])
        self.num_heads = int(config["num_attention_heads"])
        self.num_layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        limit = min(max_length, int(config.get("max_position_embeddings", 512)))
        self.weights = load_file(str(path / "model.safetensors"))
        if "embeddings.word_embeddings.weight" not in self.weights:  # saved with a "bert." prefix
            self.weights = {k.removeprefix("bert."): v for k, v in self.weights.items()}
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=limit)
        pad_id = int(config.get("pad_token_id", 0))
        self.tokenizer.enable_padding(pad_id=pad_id, pad_token=self.tokenizer.id_to_token(pad_id))

    def _norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        w = self.weights
        return F.layer_norm(x, x.shape[-1:], w[f"{name}.weight"], w[f"{name}.bias"], self.eps)

    def _linear(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return F.linear(x, self.weights[f"{name}.weight"], self.weights[f"{name}.bias"])

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """(B, T) token ids and attention mask -> (B, T, H) last hidden states."""
        w = self.weights
        positions = torch.arange(ids.shape[1])
        hidden = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][positions]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        hidden = self._norm(hidden, "embeddings.LayerNorm")
        batch, length, _ = hidden.shape
        head_dim = self.hidden_size // self.num_heads
        keep = mask.bool()[:, None, None, :]  # (B, 1, 1, T)
        for i in range(self.num_layers):
            name = f"encoder.layer.{i}"

            def heads(x: torch.Tensor) -> torch.Tensor:
                return x.view(batch, length, self.num_heads, head_dim).transpose(1, 2)

            q = heads(self._linear(hidden, f"{name}.attention.self.query"))
            k = heads(self._linear(hidden, f"{name}.attention.self.key"))
            v = heads(self._linear(hidden, f"{name}.attention.self.value"))
            scores = (q @ k.transpose(-1, -2)) / math.sqrt(head_dim)
            scores = scores.masked_fill(~keep, torch.finfo(scores.dtype).min)
            context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, length, -1)
            attended = self._linear(context, f"{name}.attention.output.dense")
            hidden = self._norm(attended + hidden, f"{name}.attention.output.LayerNorm")
            inner = F.gelu(self._linear(hidden, f"{name}.intermediate.dense"))
            out = self._linear(inner, f"{name}.output.dense")
            hidden = self._norm(out + hidden, f"{name}.output.LayerNorm")
        return hidden

    @torch.no_grad()
    def encode(self, texts: list[str], *, batch_size: int = 64) -> torch.Tensor:
        """Embed texts in batches: (N, H), mean-pooled over the mask and L2-normalised."""
        chunks = []
        for start in range(0, len(texts), batch_size):
            encodings = self.tokenizer.encode_batch(texts[start : start + batch_size])
            ids = torch.tensor([e.ids for e in encodings], dtype=torch.long)
            mask = torch.tensor([e.attention_mask for e in encodings], dtype=torch.long)
            hidden = self.forward(ids, mask)
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            chunks.append(F.normalize(pooled, dim=-1))
        if not chunks:
            return torch.zeros(0, self.hidden_size)
        return torch.cat(chunks)
