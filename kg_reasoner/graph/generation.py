"""The build generation of a graph directory: a counter every committed change increases.

A server reading a graph opens a snapshot of its store; it learns that a newer build exists by
reading this small file (``generation.json``: the counter and when it changed), which costs one
``stat`` and one tiny read, never the store. The builder writes it after a build has committed
(and after an interrupted build that committed some batches), ``delete_document`` after a
deletion. It is replaced atomically, so a reader sees the old or the new counter, never half.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

GENERATION_FILE = "generation.json"


@dataclass(frozen=True)
class Generation:
    """``number`` counts committed changes (0: none recorded); ``committed_at`` is UTC ISO."""

    number: int
    committed_at: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"number": self.number, "committed_at": self.committed_at or None}


def read_generation(graph_dir: str | Path) -> Generation:
    """The generation recorded in ``graph_dir`` (number 0 when none is, e.g. an older graph)."""
    try:
        data = json.loads((Path(graph_dir) / GENERATION_FILE).read_text(encoding="utf-8"))
        return Generation(int(data["number"]), str(data.get("committed_at") or ""))
    except (OSError, ValueError, KeyError, TypeError):
        return Generation(0)


def bump_generation(graph_dir: str | Path) -> Generation:
    """Record one more committed change in ``graph_dir``; returns the new generation."""
    path = Path(graph_dir) / GENERATION_FILE
    new = Generation(
        read_generation(graph_dir).number + 1,
        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )
    tmp = path.with_name(f".{GENERATION_FILE}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"number": new.number, "committed_at": new.committed_at}))
    os.replace(tmp, path)  # atomic: readers never see a partial file
    return new


__all__ = ["GENERATION_FILE", "Generation", "bump_generation", "read_generation"]
