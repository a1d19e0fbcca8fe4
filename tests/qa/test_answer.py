from __future__ import annotations

import numpy as np

from kg_reasoner.qa.answer import Answer, QAResult
from kg_reasoner.qa.evidence import build_path, trace_paths
from tests.qa.toy_kb import movie_index, people_graph


def test_backward_tracing_finds_the_walk_the_scores_came_from() -> None:
    index = movie_index()
    krasinski = index.entity_to_id["John Krasinski"]
    clooney = index.entity_to_id["George Clooney"]
    starred_inv = index.relations.index("starred_actors") + index.num_base_relations
    directed = index.relations.index("directed_by")
    probs = np.zeros((2, index.num_relations), dtype=np.float32)
    probs[0, starred_inv] = 0.9
    probs[1, directed] = 0.8
    levels = np.zeros((3, index.num_entities), dtype=np.float32)
    levels[0, krasinski] = 1.0
    for film in ("Leatherheads", "Away We Go"):
        levels[1, index.entity_to_id[film]] = 0.9

    def score_at(t: int, nodes: np.ndarray) -> np.ndarray:
        return levels[t, nodes]

    ((weight, steps),) = trace_paths(index, clooney, 2, score_at, probs, max_paths=3)
    assert abs(weight - 0.9 * 0.9 * 0.8) < 1e-6  # product of per-hop contributions
    path = build_path(index, steps, weight)
    assert (
        path.text()
        == "[John Krasinski] <-starred_actors- Leatherheads -directed_by-> George Clooney"
    )
    assert path.hops[0].subject == "Leatherheads" and path.hops[0].inverse


def test_paths_carry_source_sentences_from_the_graph() -> None:
    graph = people_graph()
    index = graph.index
    curie = index.entity_to_id["http://example.org/entity/Marie_Curie"]
    neighbours, rels, triple_ids = index.out_edges(curie)
    j = [index.relation_name(int(r)) for r in rels].index("born_in")
    path = build_path(
        index, [(curie, int(neighbours[j]), int(rels[j]), int(triple_ids[j]))], 1.0, graph=graph
    )
    assert path.hops[0].sentences == ("Marie Curie was born in Warsaw.",)


def test_result_serialises_with_path_texts_and_an_evidence_graph() -> None:
    index = movie_index()
    k, film, c = (
        index.entity_to_id[n] for n in ("John Krasinski", "Leatherheads", "George Clooney")
    )

    def step(source: int, target: int, relation: str) -> tuple[int, int, int, int]:
        neighbours, rels, tids = index.out_edges(source)
        j = next(
            i
            for i, (n, r) in enumerate(zip(neighbours, rels, strict=True))
            if n == target and index.relation_name(int(r)) == relation
        )
        return (source, target, int(rels[j]), int(tids[j]))

    step1 = step(k, film, "starred_actors^-1")
    step2 = step(film, c, "directed_by")
    path = build_path(index, [step1, step2], 0.7)
    result = QAResult(
        "q", "trained", answers=[Answer("George Clooney", "George Clooney", 0.9, True, (path,))]
    )
    data = result.to_dict()
    assert data["answers"][0]["paths"][0]["text"].startswith("[John Krasinski]")
    graph = result.evidence_graph()
    assert {n["id"]: n["role"] for n in graph["nodes"]} == {
        "John Krasinski": "topic",
        "Leatherheads": "path",
        "George Clooney": "answer",
    }
    assert {(e["source"], e["relation"], e["target"]) for e in graph["edges"]} == {
        ("Leatherheads", "starred_actors", "John Krasinski"),
        ("Leatherheads", "directed_by", "George Clooney"),
    }
