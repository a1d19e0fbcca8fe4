"""A corpus of many small documents and the quads a clean build gives each of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_reasoner.graph import KnowledgeGraph
from kg_reasoner.graph.vocabulary import KGR, document_iri
from kg_reasoner.pipelines import build_graph
from tests.conftest import write_corpus

N_DOCS = 120
CITIES = ["Paris", "London", "Berlin", "Madrid", "Rome", "Vienna", "Prague", "Lisbon"]


def many_documents(root: Path) -> Path:
    """N_DOCS small documents that share entities (so labels and the index matter)."""
    docs = {
        f"doc{i:02d}.txt": (
            f"Person{i} Smith was born in {CITIES[i % len(CITIES)]}. "
            f"Smith worked for Company{i} in {CITIES[(i + 3) % len(CITIES)]}.\n\n"
            f"Company{i} was founded by Person{(i + 1) % N_DOCS} Jones."
        )
        for i in range(N_DOCS)
    }
    return write_corpus(root, docs)


def doc_quads(kg: KnowledgeGraph) -> dict[str, set[tuple[str, str, str]]]:
    """Each document's quads, without the fields that differ between runs."""
    out = {}
    for doc_id in kg.documents():
        graph = kg.store.quads(None, None, None, graph=document_iri(doc_id))  # type: ignore[arg-type]
        out[doc_id] = {
            (str(s), str(p), str(o))
            for s, p, o, _ in graph
            if p not in {KGR.processedAt, KGR.source}  # time and absolute path differ by run
        }
    return out


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[tuple[str, str, str]]]:
    root = tmp_path_factory.mktemp("ref")
    corpus = many_documents(root / "corpus")
    build_graph(corpus, root / "kg")
    with KnowledgeGraph.open(root / "kg", read_only=True) as kg:
        return doc_quads(kg)
