"""bench_scale's stand-in graph: a built graph's documents again under fresh ids."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.pipelines import build_graph

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_scale.py"


def _bench_scale():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_scale", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_replicated_graph_has_every_document_again_and_the_same_facts(
    corpus: Path, tmp_path: Path
) -> None:
    # document ids as the growth corpus makes them (rep0000/...)
    copy = tmp_path / "growth" / "rep0000"
    copy.parent.mkdir()
    corpus.rename(copy)
    build_graph(copy.parent, tmp_path / "kg")
    record = _bench_scale().replicate_graph(tmp_path / "kg", tmp_path / "kg3", 3)
    assert record["times"] == 3 and record["shared_quads"] > 0
    with KnowledgeGraph.open(tmp_path / "kg", read_only=True) as kg:
        one = kg.stats()
        born = next(t for t in kg.triples(predicate="born_in") if t.object.endswith("warsaw"))
        stated = {p.document for p in kg.provenance(born)}
    with KnowledgeGraph.open(tmp_path / "kg3", read_only=True) as kg:
        three = kg.stats()
        again = {p.document for p in kg.provenance(born)}
        labels = {e.id: e.label for e in kg.entities()}
    assert three["documents"] == 3 * one["documents"]
    assert three["statements"] == 3 * one["statements"]
    assert (three["triples"], three["entities"]) == (one["triples"], one["entities"])
    assert len(again) == 3 * len(stated) and stated <= again
    assert {d.split("/", 1)[1] for d in again} == {d.split("/", 1)[1] for d in stated}
    assert labels[born.subject] == "Marie Curie"  # the shared label graph was loaded once
    assert json.loads((tmp_path / "kg3" / "kg.json").read_text())["backend"] == "oxigraph"
