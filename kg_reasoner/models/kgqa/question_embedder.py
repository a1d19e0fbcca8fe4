"""Frozen language-model embeddings of questions, with the topic mention masked and a disk cache.

Masking the topic mention (``what movies did [Tom Cullen] act in`` -> ``what movies did ENTITY
act in``) makes the embedding describe the relation pattern only, so questions that share a
template share an embedding and the cache (a :class:`FeatureCache` keyed by text) stays small.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import torch
from tqdm import tqdm

from kg_reasoner.models.feature_cache import FeatureCache

DEFAULT_PLACEHOLDER = "ENTITY"
VECTORS = "vectors"  # the cache field (and tensor name on disk) of the question vectors


def mask_spans(text: str, spans: Sequence[tuple[int, int]], placeholder: str) -> str:
    """Replace character spans (start, end) of ``text`` by ``placeholder``."""
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.append(text[last:start])
        out.append(placeholder)
        last = end
    out.append(text[last:])
    return "".join(out)


class QuestionEmbedder:
    """Embeds question texts with a frozen :class:`TextEncoder`, caching vectors per text."""

    def __init__(self, encoder_name: str, *, max_length: int = 64, batch_size: int = 128) -> None:
        self.encoder_name = encoder_name
        self.max_length = max_length
        self.batch_size = batch_size
        self._encoder = None
        self._memory = FeatureCache(identity=(encoder_name, max_length))

    @property
    def encoder(self):  # type: ignore[no-untyped-def]
        """The frozen encoder, loaded on first use: a local BERT checkpoint (the packaged
        MiniLM) runs in plain torch without importing ``transformers`` (seconds off every
        `kgr ask`, same vectors); anything else loads through :class:`TextEncoder`."""
        if self._encoder is None:
            from kg_reasoner.models.kgqa.bert_inference import BertInference, supports
            from kg_reasoner.models.text_encoder import TextEncoder, resolve_encoder_path

            path = resolve_encoder_path(self.encoder_name)
            if supports(path):
                self._encoder = BertInference(path, max_length=self.max_length)
            else:
                self._encoder = TextEncoder(self.encoder_name, max_length=self.max_length)
                self._encoder.eval()
        return self._encoder

    @property
    def dim(self) -> int:
        return int(self.encoder.hidden_size)

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> torch.Tensor:
        """(N, D) embeddings; texts already seen are served from memory."""
        missing = self._memory.missing(texts)
        starts = range(0, len(missing), self.batch_size)
        for start in tqdm(starts, desc="encoding questions", disable=not progress or not missing):
            chunk = missing[start : start + self.batch_size]
            vectors = self.encoder.encode(chunk, batch_size=self.batch_size)
            for text, vec in zip(chunk, vectors, strict=True):
                self._memory.put(text, {VECTORS: vec})
        if not texts:
            return torch.zeros(0, self.dim)
        return torch.stack([self._memory.get(t)[VECTORS] for t in texts])

    def clear_memory(self) -> None:
        """Forget embeddings held in memory (e.g. to time uncached encoding)."""
        self._memory.clear()

    def load_cache(self, path: str | Path) -> int:
        """Add vectors saved by :meth:`save_cache` for the same encoder; returns how many."""
        return self._memory.load(path)

    def save_cache(self, path: str | Path) -> None:
        """Write the vectors held in memory to ``path`` (+ a ``.json`` naming the encoder)."""
        self._memory.save(path)
