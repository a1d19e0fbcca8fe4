"""Reading CLUTRR CSV files into typed examples, with errors that name the row and field."""

from __future__ import annotations

import ast
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kg_reasoner.errors import DataFormatError
from kg_reasoner.tasks.clutrr.kinship import GENDERS, RELATIONS

REQUIRED_COLUMNS = ("story", "query", "target", "story_edges", "edge_types", "genders")
_TASK_K = re.compile(r"task_\d+\.(\d+)")


@dataclass(frozen=True)
class ClutrrExample:
    """One story with its query pair, the answer and (when given) the gold graph."""

    id: str
    story: str
    head: str
    tail: str
    target: str | None = None
    edges: tuple[tuple[str, str, str], ...] = ()
    genders: dict[str, str] = field(default_factory=dict)
    k: int = 0


def read_clutrr(path: str | Path, *, limit: int | None = None) -> list[ClutrrExample]:
    """Read a CLUTRR CSV (columns story, query, target, story_edges, edge_types, genders)."""
    path = Path(path)
    if not path.is_file():
        raise DataFormatError(f"CLUTRR file not found: {path}")
    frame = pd.read_csv(path, nrows=limit)
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise DataFormatError(
            f"{path} lacks the column(s) {', '.join(missing)}; a CLUTRR CSV needs "
            f"{', '.join(REQUIRED_COLUMNS)}"
        )
    return [_parse_row(path, i, row) for i, row in enumerate(frame.to_dict("records"))]


def _parse_row(path: Path, index: int, row: dict) -> ClutrrExample:
    where = f"{path.name} row {index + 1}"
    try:
        head, tail = ast.literal_eval(str(row["query"]))
        pairs = ast.literal_eval(str(row["story_edges"]))
        types = ast.literal_eval(str(row["edge_types"]))
    except (ValueError, SyntaxError) as exc:
        raise DataFormatError(
            f"{where}: query/story_edges/edge_types are not literals: {exc}"
        ) from None
    genders = parse_genders(str(row["genders"]), where)
    names = list(genders)
    if len(pairs) != len(types):
        raise DataFormatError(f"{where}: {len(pairs)} story_edges but {len(types)} edge_types")
    edges = []
    for (u, v), rel in zip(pairs, types, strict=True):
        if rel not in RELATIONS:
            raise DataFormatError(f"{where}: unknown edge type {rel!r}")
        if max(u, v) >= len(names):
            raise DataFormatError(f"{where}: edge ({u}, {v}) names a person not in genders")
        edges.append((names[u], rel, names[v]))
    target = str(row["target"])
    if target not in RELATIONS:
        raise DataFormatError(f"{where}: unknown target {target!r}")
    match = _TASK_K.search(str(row.get("task_name", "")))
    return ClutrrExample(
        id=str(row.get("id", index)),
        story=str(row["story"]),
        head=str(head),
        tail=str(tail),
        target=target,
        edges=tuple(edges),
        genders=genders,
        k=int(match.group(1)) if match else len(edges),
    )


def parse_genders(text: str, where: str = "genders") -> dict[str, str]:
    """``"Donald:male,Dorothy:female"`` -> ``{"Donald": "male", "Dorothy": "female"}``."""
    genders: dict[str, str] = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        name, _, gender = item.rpartition(":")
        if not name or gender not in GENDERS:
            raise DataFormatError(f"{where}: bad gender entry {item!r} (expected Name:male|female)")
        genders[name] = gender
    return genders


def split_train_validation(
    examples: list[ClutrrExample], fraction: float, seed: int
) -> tuple[list[ClutrrExample], list[ClutrrExample]]:
    """A fixed, seeded validation slice of the training file."""
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    cut = max(1, round(len(examples) * fraction))
    return [examples[i] for i in order[cut:]], [examples[i] for i in order[:cut]]
