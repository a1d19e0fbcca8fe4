"""Labelled texts from CSV (a header row naming the columns) or JSONL (one object a line);
a malformed record raises :class:`DataFormatError` naming ``file:line``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg_reasoner.errors import DataFormatError
from kg_reasoner.tasks.text_graph.jsonl_rows import jsonl_objects


@dataclass(frozen=True)
class LabelledText:
    """One text and its label (None in an unlabelled file); ``source`` is ``file:line``."""

    text: str
    label: str | None
    source: str = ""


def read_labelled_texts(
    path: str | Path,
    *,
    text_field: str = "text",
    label_field: str = "label",
    fmt: str = "auto",
    limit: int | None = None,
    require_labels: bool = True,
) -> list[LabelledText]:
    """Read ``path``; ``fmt`` auto chooses CSV for ``.csv`` / ``.tsv`` and JSONL otherwise."""
    path = Path(path)
    if not path.is_file():
        raise DataFormatError(f"data file not found: {path}")
    kind = fmt if fmt != "auto" else ("csv" if path.suffix.lower() in (".csv", ".tsv") else "jsonl")
    rows = _csv_rows(path) if kind == "csv" else jsonl_objects(path)
    records = []
    for line, row in rows:
        where = f"{path}:{line}"
        text = row.get(text_field)
        if text is None:
            raise DataFormatError(f"{where}: no {text_field!r} field (fields: "
                                  f"{', '.join(map(str, row)) or 'none'}); set data.text_field")
        if not isinstance(text, str) or not text.strip():
            raise DataFormatError(f"{where}: the {text_field!r} field is empty or not a string")
        label = row.get(label_field)
        if label is None or (isinstance(label, str) and not label.strip()):
            if require_labels:
                raise DataFormatError(f"{where}: no {label_field!r} value; set "
                                      "data.label_field or label every text")
            label = None
        elif isinstance(label, (dict, list)):
            raise DataFormatError(f"{where}: the {label_field!r} value must be a string or number")
        records.append(LabelledText(text.strip(), None if label is None else str(label).strip(),
                                    where))
        if limit is not None and len(records) >= limit:
            break
    if not records:
        raise DataFormatError(f"{path}: no records")
    return records


def _csv_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        if not reader.fieldnames:
            raise DataFormatError(f"{path}: empty CSV (it needs a header row, e.g. text,label)")
        rows = []
        try:
            for row in reader:
                if None in row:
                    raise DataFormatError(
                        f"{path}:{reader.line_num}: more values than header columns "
                        "(quote texts that contain commas)"
                    )
                if any(v is not None and v.strip() for v in row.values()):
                    rows.append((reader.line_num, row))
        except csv.Error as exc:
            raise DataFormatError(f"{path}:{reader.line_num}: malformed CSV: {exc}") from exc
    return rows
