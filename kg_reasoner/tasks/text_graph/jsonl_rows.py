"""JSON objects of a JSONL file with their line numbers; a bad line is a DataFormatError
naming ``file:line``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kg_reasoner.errors import DataFormatError


def jsonl_objects(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for every non-blank line of ``path``."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataFormatError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise DataFormatError(f"{path}:{number}: expected a JSON object per line")
        rows.append((number, row))
    return rows
