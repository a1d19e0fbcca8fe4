"""The `graph:` section of the text tasks reaches the concept-graph retriever as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from kg_reasoner.tasks.text_graph.config import GraphConfig, TextEncoderConfig
from kg_reasoner.tasks.text_graph.graph_inputs import GraphContext


def _triples(tmp_path: Path) -> Path:
    path = tmp_path / "kg.txt"
    path.write_text("dog|is_a|animal\nanimal|has|legs\ncat|is_a|animal\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("expand", ["paths", "neighbourhood"])
def test_expand_reaches_the_retriever(tmp_path: Path, expand: str) -> None:
    config = GraphConfig(source=str(_triples(tmp_path)), hops=1, expand=expand,
                         cache_dir=str(tmp_path / "cache"))
    context = GraphContext(config, TextEncoderConfig(), progress=False)
    assert context.retriever.expand == expand
    assert context.retriever.options["expand"] == expand


def test_an_unknown_expand_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="expand"):
        GraphConfig(source=str(_triples(tmp_path)), expand="everything")
