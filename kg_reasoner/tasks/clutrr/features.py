"""Frozen language-model features, computed once and cached on disk (:class:`FeatureCache`).

For each text we keep the token states (float16, for the relation extractor; by default the last
layer's, or those after ``state_layer`` layers when the extractor fine-tunes the layers above),
the character offsets of the tokens (to find mentions) and the mean-pooled last layer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import torch
from tqdm.auto import tqdm

from kg_reasoner.models.feature_cache import FeatureCache
from kg_reasoner.models.text_encoder import TextEncoder, mean_pool
from kg_reasoner.training.distributed import is_main_process


@dataclass
class TextFeatures:
    """Features of N texts: token states are concatenated, ``starts[i]`` is where text i begins."""

    states: torch.Tensor  # (sum T, H) float16
    offsets: torch.Tensor  # (sum T, 2) int32 character spans, (0, 0) for special tokens
    starts: torch.Tensor  # (N + 1,) int64
    pooled: torch.Tensor  # (N, H) float32

    def tokens(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        """``(states (T, H), offsets (T, 2))`` of text ``i``."""
        a, b = int(self.starts[i]), int(self.starts[i + 1])
        return self.states[a:b], self.offsets[a:b]

    def __len__(self) -> int:
        return len(self.pooled)


@torch.no_grad()
def encode_texts(
    encoder: TextEncoder,
    texts: list[str],
    *,
    batch_size: int = 64,
    cache_dir: str | Path | None = None,
    desc: str = "encoding",
    progress: bool = True,
    state_layer: int | None = None,
) -> TextFeatures:
    """Run the frozen encoder over ``texts`` (longest first), reusing a disk cache when present.

    ``state_layer``: keep the token states after this many transformer layers (None: the last).
    """
    path = _cache_path(cache_dir, encoder, texts, state_layer)
    cache = FeatureCache(identity=_identity(encoder, state_layer))
    keys = _keys(len(texts))
    if path is not None and texts and cache.load(path) == len(texts) and not cache.missing(keys):
        return _from_cache(cache, keys)
    encoder.eval()
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    states: list[torch.Tensor] = [torch.empty(0)] * len(texts)
    offsets: list[torch.Tensor] = [torch.empty(0)] * len(texts)
    pooled = torch.zeros(len(texts), encoder.hidden_size)
    for start in tqdm(range(0, len(order), batch_size), desc=desc, disable=not progress):
        idx = order[start : start + batch_size]
        enc = encoder.tokenizer(
            [texts[i] for i in idx], padding=True, truncation=True,
            max_length=encoder.max_length, return_offsets_mapping=True, return_tensors="pt",
        )
        out = encoder.model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"],
                            output_hidden_states=state_layer is not None)
        pooled[idx] = mean_pool(out.last_hidden_state, enc["attention_mask"])
        kept = out.last_hidden_state if state_layer is None else out.hidden_states[state_layer]
        for row, i in enumerate(idx):
            n = int(enc["attention_mask"][row].sum())
            states[i] = kept[row, :n].to(torch.float16)
            offsets[i] = enc["offset_mapping"][row, :n].to(torch.int32)
    lengths = torch.tensor([0] + [len(s) for s in states], dtype=torch.int64)
    features = TextFeatures(
        states=torch.cat(states) if texts else torch.zeros(0, encoder.hidden_size),
        offsets=torch.cat(offsets) if texts else torch.zeros(0, 2, dtype=torch.int32),
        starts=lengths.cumsum(0),
        pooled=pooled,
    )
    if path is not None and is_main_process():  # under torchrun rank 0 writes the cache
        for i, key in enumerate(keys):
            tokens, spans = features.tokens(i)
            cache.put(key, {"states": tokens, "offsets": spans, "pooled": features.pooled[i]})
        cache.save(path, sort=False)
    return features


def _identity(encoder: TextEncoder, state_layer: int | None) -> tuple[object, ...]:
    """What the cached values depend on besides the texts: the encoder and the layer read."""
    layer = "last" if state_layer is None else state_layer
    return ("clutrr-text-features", encoder.name, encoder.max_length, layer, "mean-pooled")


def _keys(n: int) -> list[str]:
    """Entries are keyed by position: a text's values depend (in the last bits) on the texts it
    was batched with, so a cache file holds one text list (its name digests the list)."""
    return [str(i) for i in range(n)]


def _from_cache(cache: FeatureCache, keys: list[str]) -> TextFeatures:
    """The features of a (non-empty) text list from its cached entries, in order."""
    entries = [cache.get(key) for key in keys]
    lengths = torch.tensor([0] + [len(e["states"]) for e in entries], dtype=torch.int64)
    return TextFeatures(
        states=torch.cat([e["states"] for e in entries]),
        offsets=torch.cat([e["offsets"] for e in entries]),
        starts=lengths.cumsum(0),
        pooled=torch.stack([e["pooled"] for e in entries]),
    )


def _cache_path(
    cache_dir: str | Path | None, encoder: TextEncoder, texts: list[str], state_layer: int | None
) -> Path | None:
    if cache_dir is None:
        return None
    key: list = [encoder.name, encoder.max_length, texts]
    if state_layer is not None:  # keeps the key (and cache) of last-layer features unchanged
        key.append(state_layer)
    digest = hashlib.sha1(json.dumps(key).encode("utf-8")).hexdigest()[:20]
    return Path(cache_dir) / f"features-{digest}.safetensors"
