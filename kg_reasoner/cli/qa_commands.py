"""`kgr ask` and `kgr serve`: question answering over a graph."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Question-answering commands (added by the KGQA work)."""
