"""Reading the extraction task's splits: CoNLL04 JSON files or WebNLG folders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg_reasoner.data_paths import resolve_data_path
from kg_reasoner.extraction.supervised.data import Example, read_examples


def read_split(path: str | Path, data_format: str = "conll04") -> tuple[list[Example], Any]:
    """Examples of one split and, for WebNLG, its alignment report (else None)."""
    path = resolve_data_path(path)
    if data_format == "webnlg":
        from kg_reasoner.tasks.extraction.webnlg.examples import read_webnlg_examples

        return read_webnlg_examples(path)
    return read_examples(path), None


def webnlg_corpus(path: str | Path) -> Any:
    from kg_reasoner.tasks.extraction.webnlg.data import read_webnlg

    return read_webnlg(resolve_data_path(path))
