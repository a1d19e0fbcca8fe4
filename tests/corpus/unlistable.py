"""Make a folder unlistable without chmod (tests run as root here, and root lists anything)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def refuse_listing(monkeypatch: pytest.MonkeyPatch, folder_name: str) -> None:
    """``os.scandir`` (what ``os.walk`` lists with) raises PermissionError on that folder."""
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path).name == folder_name:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
