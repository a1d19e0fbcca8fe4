"""`kgr eval-extractor`: scoring a trained entity/relation extractor."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Extractor commands (added by the supervised-extractor work)."""
