"""``build``: documents -> (open graph, report), options validated as BuildConfig fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_reasoner.building import BuildConfig, BuildReport
from kg_reasoner.corpus import Document
from kg_reasoner.errors import ConfigError
from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.pipelines import build, build_config, build_graph


def test_build_returns_the_open_graph_and_its_report(corpus: Path, tmp_path: Path) -> None:
    kg, report = build(corpus, tmp_path / "kg")
    with kg:
        assert isinstance(report, BuildReport) and report.counts["added"] == 4
        assert kg.path == tmp_path / "kg" and len(kg.documents()) == 4
        assert kg.entity("Marie Curie").label == "Marie Curie"
    assert (tmp_path / "kg" / "reports" / "last_build.json").is_file()
    again, second = build(corpus, tmp_path / "kg")
    again.close()
    assert second.counts["unchanged"] == 4


def test_build_without_a_graph_builds_in_memory(corpus: Path) -> None:
    kg, report = build([corpus / "places", corpus / "people" / "curie.txt"])
    with kg:
        assert kg.path is None and kg.store.backend == "memory"
        assert set(kg.documents()) == {"warsaw.txt", "curie.txt"}
    assert report.graph == ":memory:"


def test_build_into_an_open_graph_leaves_it_open(tmp_path: Path) -> None:
    docs = [Document("a", "Alan Turing was born in London.")]
    with KnowledgeGraph.open(None) as kg:
        same, report = build(docs, kg)
        assert same is kg and report.counts["added"] == 1
        assert list(kg.documents()) == ["a"]  # still open: the caller closes it


def test_options_are_build_config_fields_merged_into_the_config() -> None:
    base = BuildConfig(commit_every=3)
    cfg = build_config(base, workers=2, extraction={"min_confidence": 0.5})
    assert cfg.workers == 2 and cfg.commit_every == 3
    assert cfg.extraction.min_confidence == 0.5 and cfg.extraction.extractor == "rules"
    assert build_config(base) is base
    assert build_config({"corpus": {"global_ids": True}}).corpus.global_ids


def test_options_read_a_yaml_config(tmp_path: Path) -> None:
    path = tmp_path / "build.yaml"
    path.write_text("workers: 2\nextraction:\n  batch_size: 8\n", encoding="utf-8")
    cfg = build_config(path, commit_every=5)
    assert (cfg.workers, cfg.extraction.batch_size, cfg.commit_every) == (2, 8, 5)


def test_an_unknown_option_names_the_valid_ones(corpus: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown key 'worker'.*did you mean 'workers'") as exc:
        build(corpus, worker=2)
    assert "commit_every" in str(exc.value) and "extraction" in str(exc.value)
    with pytest.raises(ConfigError, match="workers"):
        build(corpus, workers=0)


def test_build_graph_returns_only_the_report_and_closes_the_graph(
    corpus: Path, tmp_path: Path
) -> None:
    report = build_graph(corpus, tmp_path / "kg", commit_every=1)
    assert report.counts["added"] == 4
    with KnowledgeGraph.open(tmp_path / "kg") as kg:  # writable again: the build let it go
        assert len(kg.documents()) == 4
