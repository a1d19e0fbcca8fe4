"""Where benchmark data lives: ``$KG_REASONER_DATA`` or ``../shared/data`` beside the project."""

from __future__ import annotations

import os
from pathlib import Path

from kg_reasoner.errors import CorpusError

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def default_data_root() -> Path:
    """``$KG_REASONER_DATA`` when set, else ``../shared/data`` beside the project (unchecked)."""
    env = os.environ.get("KG_REASONER_DATA")
    return Path(env) if env else PROJECT_ROOT.parent / "shared" / "data"


def data_root() -> Path:
    """The benchmark data folder, which must exist (``KG_REASONER_DATA`` overrides it)."""
    root = default_data_root()
    if not root.is_dir():
        raise CorpusError(
            f"benchmark data not found at {root}: set KG_REASONER_DATA to the folder holding "
            "metaqa/, conll04/ and clutrr/"
        )
    return root
