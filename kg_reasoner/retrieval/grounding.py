"""Grounding text to the nodes of any knowledge graph, and the graph-side interface of the
classification and multiple-choice tasks (issue 12).

:class:`Grounder` links lemmas and n-grams of a text to nodes whose label or alias has the same
normalised form, as QA-GNN grounds to ConceptNet: longest n-gram first, a stop word is never
grounded alone. :class:`ConceptGraph` / :func:`load_concept_graph` (any KG in memory) and
:class:`Subgraph` / :class:`SubgraphRetriever` (bounded subgraphs connecting question and choice
nodes) are re-exported here so that a task imports the whole interface from one module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kg_reasoner.errors import ConfigError
from kg_reasoner.retrieval.concept_graph import (
    ConceptGraph,
    load_concept_graph,
    normalise_surface,
)
from kg_reasoner.retrieval.concept_subgraph import Subgraph, SubgraphRetriever

SKIPPED_PIPES = ("parser", "ner", "senter")
"""spaCy components grounding does not need (lemmas come from tagger + attribute ruler +
lemmatizer); they are skipped per call, the shared pipeline is never changed."""

STOP_LEMMAS = frozenset({"be", "have", "do", "-pron-", "'s"})
"""Lemmas never grounded alone even when spaCy does not flag the token as a stop word."""


class Grounder:
    """Text -> node indices of ``graph``.

    ``nlp`` a spaCy pipeline (default: the project's packaged English model through
    :func:`~kg_reasoner.extraction.spacy_loader.load_spacy`); ``max_ngram`` the longest span
    tried; ``max_per_span`` caps the nodes one span grounds to, best alias first (for WordNet:
    the lemma node, then its most frequent senses), None for no cap.
    """

    def __init__(
        self,
        graph: ConceptGraph,
        *,
        nlp: Any = None,
        max_ngram: int = 3,
        max_per_span: int | None = 4,
        batch_size: int = 256,
    ) -> None:
        if max_ngram < 1:
            raise ConfigError(f"max_ngram must be at least 1, got {max_ngram}")
        if max_per_span is not None and max_per_span < 1:
            raise ConfigError(f"max_per_span must be at least 1 (or None), got {max_per_span}")
        if nlp is None:
            from kg_reasoner.extraction.spacy_loader import load_spacy

            nlp = load_spacy()
        self.graph = graph
        self.nlp = nlp
        self.max_ngram = max_ngram
        self.max_per_span = max_per_span
        self.batch_size = batch_size

    @property
    def options(self) -> dict[str, object]:
        """What changes the result, for cache keys."""
        meta = getattr(self.nlp, "meta", {}) or {}
        return {
            "spacy": f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}",
            "max_ngram": self.max_ngram,
            "max_per_span": self.max_per_span,
        }

    def ground(self, text: str) -> list[int]:
        """Node indices whose label/alias matches lemmas or n-grams of ``text``: longest n-gram
        match first, stop words not grounded alone, in order of first mention."""
        return self.ground_many([text])[0]

    def ground_many(self, texts: Sequence[str]) -> list[list[int]]:
        """:meth:`ground` for many texts, lemmatised in batches (``nlp.pipe`` per component)."""
        return [self._match(doc) for doc in self._docs(texts)]

    def _docs(self, texts: Iterable[str]) -> Iterable[Any]:
        docs: Iterable[Any] = (self.nlp.make_doc(str(t)) for t in texts)
        for name, component in self.nlp.pipeline:
            if name in SKIPPED_PIPES:
                continue
            if hasattr(component, "pipe"):
                docs = component.pipe(docs, batch_size=self.batch_size)
            else:
                docs = (component(doc) for doc in docs)
        return docs

    def _match(self, doc: Any) -> list[int]:
        aliases = self.graph.aliases
        tokens = [t for t in doc if not t.is_space]
        surfaces = [normalise_surface(t.text) for t in tokens]
        lemmas = [normalise_surface(t.lemma_) or s for t, s in zip(tokens, surfaces, strict=True)]
        barrier = [not s for s in surfaces]  # punctuation: no n-gram crosses it
        stop = [t.is_stop or lemma in STOP_LEMMAS for t, lemma in zip(tokens, lemmas, strict=True)]
        found: dict[int, None] = {}
        i, n = 0, len(tokens)
        while i < n:
            if barrier[i]:
                i += 1
                continue
            run = 1
            while run < self.max_ngram and i + run < n and not barrier[i + run]:
                run += 1
            matched = 0
            for length in range(run, 0, -1):
                if all(stop[i : i + length]):
                    continue
                nodes: list[int] = []
                for forms in (lemmas, surfaces):
                    key = " ".join(forms[i : i + length])
                    for node in aliases.get(key, ()):
                        if node not in nodes:
                            nodes.append(node)
                if nodes:
                    cap = self.max_per_span
                    found.update(dict.fromkeys(nodes if cap is None else nodes[:cap]))
                    matched = length
                    break
            i += matched or 1
        return list(found)


__all__ = [
    "ConceptGraph",
    "Grounder",
    "Subgraph",
    "SubgraphRetriever",
    "load_concept_graph",
    "normalise_surface",
]
