"""A saved kinship extractor is reused under any name of the same encoder, in any case."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from kg_reasoner.errors import ModelLoadError
from kg_reasoner.tasks.clutrr import task


class _Loaded:
    def load_state_dict(self, state: Any) -> None:
        self.state = state

    def eval(self) -> _Loaded:
        return self


def _load(monkeypatch: pytest.MonkeyPatch, trained_on: str, run_encoder: str) -> Any:
    saved = {"encoder": trained_on, "input_size": 32}
    monkeypatch.setattr(task, "load_model", lambda directory: ({}, saved, None))
    monkeypatch.setattr(task, "build_extractor", lambda *args: _Loaded())
    encoder = SimpleNamespace(name=run_encoder, model=None)
    return task.load_extractor(Path("run"), encoder)  # type: ignore[arg-type]


@pytest.mark.parametrize("alias", ["all-MiniLM-L6-v2", "ALL-MINILM-L6-V2", "minilm", "default"])
def test_aliases_of_the_packaged_encoder_are_the_same_encoder(
    monkeypatch: pytest.MonkeyPatch, alias: str
) -> None:
    assert isinstance(_load(monkeypatch, "all-MiniLM-L6-v2", alias), _Loaded)


def test_another_encoder_is_refused_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ModelLoadError, match=r"set encoder\.name to match"):
        _load(monkeypatch, "all-MiniLM-L6-v2", "bert-base-uncased")
