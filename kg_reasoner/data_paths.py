"""Where benchmark data lives: ``$KG_REASONER_DATA`` or ``../shared/data`` beside the project.

Every data path a config or the command line names goes through :func:`resolve_data_path`, so
the one override (``KG_REASONER_DATA``) moves all of them alike.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg_reasoner.errors import CorpusError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA_PREFIX = "../shared/data/"  # how configs and examples spell the default data root


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


def resolve_data_path(
    path: str | Path, root: str | Path | None = None, *, keep_existing: bool = False
) -> Path:
    """The file or folder a data path names, by one rule for every task.

    - ``../shared/data/...`` moves under ``$KG_REASONER_DATA`` when that is set, else it stays
      relative to the working directory, as written;
    - an absolute path is kept as it is, and so is, with ``keep_existing``, a relative path that
      exists from the working directory;
    - any other relative path is read under ``root`` when one is given (a config's
      ``data.root``, else :func:`default_data_root`), otherwise from the working directory.
    """
    text = str(path)
    candidate = Path(text)
    env = os.environ.get("KG_REASONER_DATA")
    if env and text.startswith(SHARED_DATA_PREFIX):
        return Path(env) / text[len(SHARED_DATA_PREFIX) :]
    if candidate.is_absolute() or (keep_existing and candidate.exists()):
        return candidate
    if text.startswith(SHARED_DATA_PREFIX):
        return candidate  # the default root, spelled relative to the working directory
    return Path(root) / candidate if root is not None else candidate
