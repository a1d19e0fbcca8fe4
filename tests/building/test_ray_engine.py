"""`engine="ray"` builds the same graph as the local engine, survives a killed actor, and says
how to install Ray when it is missing."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg_reasoner.errors import ConfigError
from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.export import export_graph
from kg_reasoner.graph.vocabulary import KGR
from kg_reasoner.pipelines import build, build_graph
from kg_reasoner.pipelines.demo import DEFAULT_SAMPLE
from tests.building.conftest import N_DOCS, doc_quads, many_documents

ACTOR = "ExtractionActor"


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[None]:
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _sorted_nquads(graph: Path, out: Path) -> list[str]:
    """`kgr export --format nq`, sorted, without the build time (which differs by run)."""
    with KnowledgeGraph.open(graph, read_only=True) as kg:
        export_graph(kg, "nq", out)
    processed_at = f"<{KGR.processedAt}>"
    return sorted(line for line in out.read_text().splitlines() if processed_at not in line)


def _actor_pids() -> set[int]:
    """Ray extraction actors started by this process (and no one else's on the machine)."""
    parents: dict[int, int] = {}
    titles: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            titles[int(entry.name)] = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    mine = {os.getpid()}
    grew = True
    while grew:
        children = {pid for pid, ppid in parents.items() if ppid in mine} - mine
        grew = bool(children)
        mine |= children
    return {pid for pid in mine if ACTOR in titles.get(pid, "")}


@pytest.mark.slow
def test_ray_engine_builds_the_same_quads_as_the_local_engine(
    tmp_path: Path, ray_instance: None
) -> None:
    local = build_graph(DEFAULT_SAMPLE, tmp_path / "local", workers=2)
    on_ray = build_graph(DEFAULT_SAMPLE, tmp_path / "ray", engine="ray", num_workers=2)
    assert on_ray.counts == local.counts
    assert on_ray.counts["added"] > 0
    quads = _sorted_nquads(tmp_path / "ray", tmp_path / "ray.nq")
    assert quads == _sorted_nquads(tmp_path / "local", tmp_path / "local.nq")

    again = build_graph(DEFAULT_SAMPLE, tmp_path / "ray", engine="ray", num_workers=2)
    assert again.counts["unchanged"] == local.counts["added"]  # nothing sent to Ray
    assert _sorted_nquads(tmp_path / "ray", tmp_path / "again.nq") == quads


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds actors through /proc")
def test_killed_ray_actor_loses_and_duplicates_no_document(
    tmp_path: Path, ray_instance: None, reference: dict[str, set[tuple[str, str, str]]]
) -> None:
    corpus = many_documents(tmp_path / "corpus")
    committed: list[str] = []
    killed: list[int] = []

    def kill_an_actor(ids: list[str]) -> None:
        committed.extend(ids)
        if not killed:
            pids = sorted(_actor_pids())
            assert pids, "no extraction actor found under this process"
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])
            killed.append(len(committed))

    kg, report = build(
        corpus, tmp_path / "kg", engine="ray", num_workers=2, commit_every=1, docs_per_batch=1,
        on_commit=kill_an_actor,
    )  # fmt: skip
    kg.close()
    assert killed[1] < N_DOCS // 2, "the kill should land mid-build"
    assert report.counts["added"] == N_DOCS
    assert report.counts["failed"] == 0
    assert sorted(committed) == sorted(reference)  # each document committed exactly once
    with KnowledgeGraph.open(tmp_path / "kg", read_only=True) as kg:
        assert doc_quads(kg) == reference


def test_missing_ray_is_a_one_line_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    with pytest.raises(ConfigError) as info:
        build_graph(DEFAULT_SAMPLE, tmp_path / "kg", engine="ray")
    assert str(info.value) == 'the Ray engine needs Ray: pip install "kg-reasoner[ray]"'
    with KnowledgeGraph.open(tmp_path / "kg", read_only=True) as kg:
        assert not kg.documents()  # nothing was written
