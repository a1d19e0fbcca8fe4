"""End to end on Debian's WordNet 3.0 (skipped when `make wordnet` has not run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_reasoner.graph.wordnet import DEFAULT_WORDNET_DIR, is_wordnet_dir
from kg_reasoner.retrieval import Grounder, SubgraphRetriever, load_concept_graph

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not is_wordnet_dir(DEFAULT_WORDNET_DIR), reason="make wordnet not run"),
]


def test_a_question_and_its_answer_meet_in_wordnet(tmp_path: Path) -> None:
    graph = load_concept_graph("wordnet", cache_dir=tmp_path)
    assert graph.num_nodes > 250_000 and "hypernym" in graph.relations
    grounder = Grounder(graph)
    question = grounder.ground("Which animal barks at the mailman?")
    answer = grounder.ground("dogs")
    names = [graph.node_ids[n] for n in question]
    assert "lemma:animal" in names and "lemma:mailman" in names
    assert [graph.node_ids[n] for n in answer][:2] == ["lemma:dog", "wn:dog.n.01"]
    retriever = SubgraphRetriever(graph, hops=3, max_nodes=32)
    sub = retriever.retrieve(question, answer)
    assert sub.num_nodes <= 32 and int((sub.node_role == 2).sum()) > 0
    kept = {graph.node_ids[n] for n in sub.nodes.tolist()}
    assert "wn:dog.n.01" in kept and "lemma:animal" in kept
    sources = {graph.edge_sources[e] for e in sub.edge_ids.tolist()}
    assert "wordnet:sense" in sources
