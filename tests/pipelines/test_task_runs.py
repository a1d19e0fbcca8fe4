"""``predict`` and ``score_extractor``: what `kgr predict` and `kgr eval-extractor` call."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg_reasoner import pipelines
from kg_reasoner.cli import main


def test_predict_hands_the_story_to_the_clutrr_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import kg_reasoner.tasks.clutrr as clutrr

    seen: list[tuple[Any, ...]] = []

    def fake(*args: Any, **kwargs: Any) -> dict[str, Any]:
        seen.append((args, kwargs))
        return {"relation": "brother"}

    monkeypatch.setattr(clutrr, "predict", fake)
    genders = {"Amy": "female"}
    result = pipelines.predict("runs/x", "[Amy] met [Bill].", "Amy", "Bill", genders=genders)
    assert result == {"relation": "brother"}
    assert seen == [(("runs/x", "[Amy] met [Bill].", "Amy", "Bill"),
                     {"genders": {"Amy": "female"}, "top": 3})]  # fmt: skip


def test_score_extractor_scores_the_extraction_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import kg_reasoner.tasks.extraction as extraction

    seen: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        extraction, "evaluate", lambda *a, **k: seen.append((a, k)) or {"entity_f1": 1.0}
    )
    assert pipelines.score_extractor(Path("run"), relation_threshold=0.4) == {"entity_f1": 1.0}
    assert seen == [((Path("run"), None), {"batch_size": 32, "relation_threshold": 0.4})]


def test_the_cli_predicts_through_the_pipelines_layer(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = {"head": "Amy", "tail": "Bill", "relation": "brother", "probability": 0.9,
              "path": [], "alternatives": []}  # fmt: skip
    monkeypatch.setattr(pipelines, "predict", lambda *a, **k: answer)
    main(["predict", "runs/x", "--story", "[Amy] met [Bill].", "--query", "Amy", "Bill"])
    assert "Bill is brother of Amy" in capsys.readouterr().out
