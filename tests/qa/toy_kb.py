"""A toy movie KB, a people graph with provenance, and a deterministic bag-of-words embedder."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import torch

from kg_reasoner.graph import KnowledgeGraph, Triple
from kg_reasoner.graph.records import Provenance
from kg_reasoner.retrieval.kb_graph import kb_graph
from kg_reasoner.retrieval.kb_index import KBIndex

MOVIE_TRIPLES = [
    ("Leatherheads", "directed_by", "George Clooney"),
    ("Leatherheads", "starred_actors", "John Krasinski"),
    ("Leatherheads", "starred_actors", "George Clooney"),
    ("Leatherheads", "has_genre", "Comedy"),
    ("Away We Go", "starred_actors", "John Krasinski"),
    ("Away We Go", "directed_by", "Sam Mendes"),
    ("Away We Go", "has_genre", "Drama"),
    ("Skyfall", "directed_by", "Sam Mendes"),
    ("Skyfall", "starred_actors", "Daniel Craig"),
    ("Skyfall", "has_genre", "Action"),
    ("Syriana", "starred_actors", "George Clooney"),
    ("Syriana", "directed_by", "Stephen Gaghan"),
    ("Syriana", "has_genre", "Drama"),
    ("Traffic", "written_by", "Stephen Gaghan"),
    ("Traffic", "has_genre", "Crime"),
]

PEOPLE_TRIPLES = {
    ("Marie Curie", "born_in", "Warsaw"): "Marie Curie was born in Warsaw.",
    ("Marie Curie", "works_for", "University of Paris"): "She worked for the University of Paris.",
    ("Pierre Curie", "spouse_of", "Marie Curie"): "Pierre Curie married Marie Curie in 1895.",
    ("Warsaw", "capital_of", "Poland"): "Warsaw is the capital of Poland.",
    ("Alan Turing", "born_in", "London"): "Alan Turing was born in London.",
    ("Alan Turing", "works_for", "Bletchley Park"): "Turing worked for Bletchley Park.",
    ("London", "capital_of", "United Kingdom"): "London is the capital of the United Kingdom.",
}
PEOPLE_TYPES = {
    "Marie Curie": "PERSON",
    "Pierre Curie": "PERSON",
    "Alan Turing": "PERSON",
    "Warsaw": "GPE",
    "London": "GPE",
    "Poland": "GPE",
    "United Kingdom": "GPE",
    "University of Paris": "ORG",
    "Bletchley Park": "ORG",
}


def movie_index() -> KBIndex:
    return KBIndex.from_triples(MOVIE_TRIPLES)


class SourcedKBGraph(KnowledgeGraph):
    """A KB's graph (its ``index`` beside it) whose triples have source sentences, as a text
    graph's do: a graph of triples states no sentences, so they come from ``sentences``."""

    def __init__(
        self, index: KBIndex, sentences: dict[tuple[str, str, str], list[Provenance]]
    ) -> None:
        graph = kb_graph(index)
        super().__init__(graph.store, knowledge_base=graph.knowledge_base)
        self.index = index
        self._sentences = sentences

    def provenance(self, triple: Triple, *, limit: int | None = None) -> list[Provenance]:
        found = self._sentences.get((triple.subject, triple.predicate, triple.object), [])
        return list(found if limit is None else found[:limit])


def people_graph() -> SourcedKBGraph:
    """People, places and organisations with types, aliases and one source sentence per triple."""
    ids = {name: f"http://example.org/entity/{name.replace(' ', '_')}" for name in PEOPLE_TYPES}
    triples = [(ids[s], r, ids[o]) for s, r, o in PEOPLE_TRIPLES]
    index = KBIndex.from_triples(
        triples,
        labels={iri: name for name, iri in ids.items()},
        aliases={ids["Marie Curie"]: ("Maria Skłodowska", "Curie")},
        types={ids[n]: t for n, t in PEOPLE_TYPES.items()},
    )
    provenance = {
        (ids[s], r, ids[o]): [Provenance(f"doc-{r}.txt", sentence, 0, len(sentence), "test", 1.0)]
        for (s, r, o), sentence in PEOPLE_TRIPLES.items()
    }
    return SourcedKBGraph(index, provenance)


class BagOfWordsEmbedder:
    """Hashes lower-cased word stems into a fixed vector: similar wording -> similar vectors."""

    dim = 256

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> torch.Tensor:
        self.calls += 1
        out = torch.zeros(len(texts), self.dim)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z]+", text.lower()):
                stem = word[:4]
                bucket = int(hashlib.md5(stem.encode()).hexdigest(), 16) % self.dim
                out[row, bucket] += 1.0
        return torch.nn.functional.normalize(out, dim=-1)
