"""Frozen language-model features, computed once and cached on disk (safetensors).

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
from safetensors.torch import load_file, save_file
from tqdm.auto import tqdm

from kg_reasoner.models.text_encoder import TextEncoder, mean_pool


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
    cache = _cache_path(cache_dir, encoder, texts, state_layer)
    if cache is not None and cache.is_file():
        return TextFeatures(**load_file(str(cache)))
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
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp")
        save_file({k: v.contiguous() for k, v in features.__dict__.items()}, str(tmp))
        tmp.replace(cache)
    return features


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
