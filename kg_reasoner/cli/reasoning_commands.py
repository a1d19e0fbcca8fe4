"""`kgr predict`: applying a trained reasoner to a story and query."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Reasoner commands (added by the CLUTRR work)."""
