"""One cache for what a frozen language model computes: tensors per key, safetensors + JSON.

Every consumer of frozen LM outputs (CLUTRR's token states, KGQA's question vectors, the frozen
layers under a fine-tuned top in the extractor) keeps them here. A cache has an *identity*: the
encoder and how its output is read (max length, layer, pooling, and whatever else changes the
values). The identity's digest is written beside the tensors and checked on load, so features of
one encoder (or one layer) are never served as another's. Entries are keyed by a string the
consumer chooses: the text itself where a text always gets the same features, a position where
the values depend on the batch a text was encoded in (padding moves the last bits).

On disk a cache is ``<name>.safetensors`` (the tensors, never pickle) and ``<name>.json`` (the
identity digest, the keys in order and how each field is laid out).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

STACKED = "stacked"  # every entry has the same shape: one (N, ...) tensor
RAGGED = "ragged"  # first dimensions differ: entries concatenated, plus "<field>.starts" (N + 1,)


def identity_digest(identity: Sequence[object]) -> str:
    """The sha1 of ``"part|part|..."``: what a cache file must match to be read."""
    return hashlib.sha1("|".join(str(part) for part in identity).encode("utf-8")).hexdigest()


class FeatureCache:
    """Tensors computed by one frozen encoder reading, per string key, in memory and on disk."""

    def __init__(self, *, identity: Sequence[object]) -> None:
        self.identity = tuple(identity)
        self.key = identity_digest(self.identity)
        self._entries: dict[str, dict[str, torch.Tensor]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def keys(self) -> list[str]:
        """The keys in the order they were added."""
        return list(self._entries)

    def get(self, key: str) -> dict[str, torch.Tensor]:
        """The tensors stored under ``key`` (KeyError when absent)."""
        return self._entries[key]

    def put(self, key: str, tensors: Mapping[str, torch.Tensor]) -> None:
        """Store (or replace) the tensors of ``key``."""
        self._entries[key] = dict(tensors)

    def missing(self, keys: Iterable[str]) -> list[str]:
        """The distinct ``keys`` not cached yet, sorted."""
        return sorted({k for k in keys if k not in self._entries})

    def clear(self) -> None:
        self._entries.clear()

    def save(self, path: str | Path, *, sort: bool = True) -> None:
        """Write the cache to ``path`` and its ``.json`` sidecar (nothing when it is empty).

        Keys are written sorted (``sort``) or in insertion order; each file is written to a
        temporary name first, so a killed run leaves no half-written cache.
        """
        if not self._entries:
            return
        path = Path(path)
        keys = sorted(self._entries) if sort else list(self._entries)
        tensors, layout = _pack([self._entries[k] for k in keys])
        meta = {"key": self.key, "identity": [str(p) for p in self.identity],
                "texts": keys, "layout": layout}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        save_file(tensors, str(tmp))
        tmp.replace(path)
        meta_tmp = path.with_suffix(".json.tmp")
        meta_tmp.write_text(json.dumps(meta), encoding="utf-8")
        meta_tmp.replace(path.with_suffix(".json"))

    def load(self, path: str | Path) -> int:
        """Add the entries saved at ``path`` under the same identity; returns how many were read.

        A missing or partial file, or one saved under another identity, adds nothing; keys
        already held in memory keep their tensors.
        """
        path = Path(path)
        meta_path = path.with_suffix(".json")
        if not path.is_file() or not meta_path.is_file():
            return 0
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("key") != self.key:
            return 0
        keys: list[str] = meta["texts"]
        layout: dict[str, str] = meta.get("layout", {})
        tensors = load_file(str(path))
        fields = [name for name in tensors if not name.endswith(".starts")]
        for i, key in enumerate(keys):
            entry = {}
            for name in fields:
                if layout.get(name, STACKED) == RAGGED:
                    starts = tensors[f"{name}.starts"]
                    entry[name] = tensors[name][int(starts[i]) : int(starts[i + 1])]
                else:
                    entry[name] = tensors[name][i]
            self._entries.setdefault(key, entry)
        return len(keys)


def _pack(entries: list[dict[str, torch.Tensor]]) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """Entries -> one tensor per field (stacked when shapes agree, else ragged) and the layout."""
    names = list(entries[0])
    if any(list(e) != names for e in entries):
        raise ValueError("every entry of a feature cache must have the same fields")
    tensors: dict[str, torch.Tensor] = {}
    layout: dict[str, str] = {}
    for name in names:
        values = [e[name] for e in entries]
        if all(v.shape == values[0].shape for v in values):
            tensors[name] = torch.stack(values).contiguous()
            layout[name] = STACKED
        else:
            lengths = torch.tensor([0] + [len(v) for v in values], dtype=torch.int64)
            tensors[name] = torch.cat(values).contiguous()
            tensors[f"{name}.starts"] = lengths.cumsum(0)
            layout[name] = RAGGED
    return tensors, layout
