"""One rule for data paths: every task reads ``../shared/data/...`` under ``KG_REASONER_DATA``."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_reasoner.data_paths import resolve_data_path
from kg_reasoner.qa.kgqa_config import KGQADataConfig, QuestionFileConfig
from kg_reasoner.tasks.clutrr.config import DataConfig as ClutrrData


def _kgqa(root: str | None = None) -> KGQADataConfig:
    return KGQADataConfig(
        root=root, kb="kb.txt", questions=[QuestionFileConfig(name="1-hop", path="q.txt")]
    )


RESOLVERS = {
    "kgqa": lambda path: _kgqa().resolve(path),
    "clutrr": lambda path: ClutrrData().resolve(path),
    "extraction": resolve_data_path,
}


@pytest.mark.parametrize("task", sorted(RESOLVERS))
def test_shared_data_paths_follow_the_override(
    task: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_REASONER_DATA", str(tmp_path))
    resolved = RESOLVERS[task]("../shared/data/metaqa/kb.txt")
    assert resolved == tmp_path / "metaqa" / "kb.txt"


@pytest.mark.parametrize("task", sorted(RESOLVERS))
def test_absolute_paths_are_kept(task: str, tmp_path: Path) -> None:
    target = tmp_path / "kb.txt"
    assert RESOLVERS[task](str(target)) == target


def test_config_paths_start_at_the_config_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_REASONER_DATA", str(tmp_path / "env"))
    assert _kgqa().resolve("metaqa/kb.txt") == tmp_path / "env" / "metaqa" / "kb.txt"
    assert _kgqa(str(tmp_path)).resolve("metaqa/kb.txt") == tmp_path / "metaqa" / "kb.txt"
    assert ClutrrData(root=str(tmp_path)).resolve("a.csv") == tmp_path / "a.csv"
    assert resolve_data_path("kg_data/x.json") == Path("kg_data/x.json")


def test_clutrr_keeps_a_path_that_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "here.csv").write_text("x")
    assert ClutrrData(root="/elsewhere").resolve("here.csv") == Path("here.csv")
    assert _kgqa("/elsewhere").resolve("here.csv") == Path("/elsewhere/here.csv")
