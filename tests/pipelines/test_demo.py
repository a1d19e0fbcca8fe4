"""``demo``: what `kgr demo` shows, run on a tiny corpus with a bag-of-words question embedder."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from kg_reasoner.errors import KGReasonerError
from kg_reasoner.pipelines import demo
from tests.conftest import write_corpus
from tests.qa.toy_kb import BagOfWordsEmbedder


def test_demo_builds_twice_then_shows_the_graph_and_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "kg_reasoner.qa.zero_shot.QuestionEmbedder", lambda *a, **k: BagOfWordsEmbedder()
    )
    text = "Marie Curie was born in Warsaw. Pierre Curie married Marie Curie."
    corpus = write_corpus(tmp_path / "c", {"curie.txt": text})
    out = io.StringIO()
    demo(tmp_path / "kg", corpus, console=Console(file=out, width=200))
    text = out.getvalue()
    assert "1 added" in text and "1 unchanged" in text  # the second build skips the document
    assert "documents: 1" in text
    assert "Marie Curie (PERSON)" in text and "-> born_in Warsaw" in text
    assert "Marie Curie -> Warsaw" in text  # the SPARQL step
    assert "Where was Marie Curie born?" in text and "kgr ask --graph" in text


def test_demo_without_its_corpus_says_how_to_give_one(tmp_path: Path) -> None:
    with pytest.raises(KGReasonerError, match="pass --corpus DIR"):
        demo(tmp_path / "kg", tmp_path / "missing")
