"""A private stand-in for :mod:`kg_reasoner.retrieval.grounding` (built in parallel), with its
interface: a tiny ConceptGraph read from a ``subject|relation|object`` file, exact-label n-gram
grounding and a one-hop retriever. Tests install it with :func:`install`."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import torch


@dataclass
class ConceptGraph:
    node_ids: list[str]
    node_labels: list[str]
    relations: list[str]
    edge_index: torch.Tensor
    edge_type: torch.Tensor
    edge_sources: list[str | None]
    aliases: dict[str, list[int]] = field(default_factory=dict)
    fingerprint: str = "fake"


@dataclass
class Subgraph:
    nodes: torch.Tensor
    edge_index: torch.Tensor
    edge_type: torch.Tensor
    node_role: torch.Tensor
    edge_ids: torch.Tensor


def load_concept_graph(source: str, *, cache_dir: str | None = None) -> ConceptGraph:
    names: dict[str, int] = {}
    relations: dict[str, int] = {}
    edges, types, sources = [], [], []
    for line in Path(source).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        s, r, o = (p.strip() for p in line.split("|"))
        for n in (s, o):
            names.setdefault(n, len(names))
        relations.setdefault(r, len(relations))
        edges.append((names[s], names[o]))
        types.append(relations[r])
        sources.append(f"{s} {r} {o}.")
    labels = [n.replace("_", " ") for n in names]
    return ConceptGraph(
        node_ids=list(names), node_labels=labels, relations=list(relations),
        edge_index=torch.tensor(edges, dtype=torch.long).t().contiguous(),
        edge_type=torch.tensor(types, dtype=torch.long), edge_sources=sources,
        aliases={label.lower(): [i] for i, label in enumerate(labels)},
    )


class Grounder:
    def __init__(self, graph: ConceptGraph, *, nlp: Any = None, max_ngram: int = 3) -> None:
        self.graph, self.max_ngram = graph, max_ngram

    def ground(self, text: str) -> list[int]:
        words = [w.strip(".,?!").lower() for w in text.split()]
        found: list[int] = []
        for n in range(self.max_ngram, 0, -1):
            for i in range(len(words) - n + 1):
                for node in self.graph.aliases.get(" ".join(words[i : i + n]), []):
                    if node not in found:
                        found.append(node)
        return found


class SubgraphRetriever:
    calls = 0

    def __init__(self, graph: ConceptGraph, *, hops: int = 2, max_nodes: int = 64,
                 prune: str = "ppr", cache_dir: str | None = None) -> None:
        self.graph, self.max_nodes = graph, max_nodes
        self.grounder = Grounder(graph)

    def retrieve(self, question_nodes: list[int], choice_nodes: list[int]) -> Subgraph:
        q = list(dict.fromkeys(question_nodes))
        c = [n for n in dict.fromkeys(choice_nodes) if n not in q]
        seeds = set(q + c)
        ei = self.graph.edge_index
        others = []
        for u, v in ei.t().tolist():
            for a, b in ((u, v), (v, u)):
                if a in seeds and b not in seeds and b not in others:
                    others.append(b)
        nodes = (q + c + others)[: self.max_nodes]
        local = {n: i for i, n in enumerate(nodes)}
        keep = [e for e, (u, v) in enumerate(ei.t().tolist()) if u in local and v in local]
        return Subgraph(
            nodes=torch.tensor(nodes, dtype=torch.long),
            edge_index=torch.tensor([[local[int(ei[0, e])] for e in keep],
                                     [local[int(ei[1, e])] for e in keep]], dtype=torch.long),
            edge_type=self.graph.edge_type[keep] if keep else torch.zeros(0, dtype=torch.long),
            node_role=torch.tensor([0] * len(q) + [1] * len(c) + [2] * len(others),
                                   dtype=torch.long)[: len(nodes)],
            edge_ids=torch.tensor(keep, dtype=torch.long),
        )

    def retrieve_many(self, items: list[tuple[str, list[str]]], *, key: str
                      ) -> list[list[Subgraph]]:
        SubgraphRetriever.calls += 1
        out = []
        for text, choices in items:
            q = self.grounder.ground(text)
            if not choices:
                out.append([self.retrieve(q, [])])
            else:
                out.append([self.retrieve(q, self.grounder.ground(c)) for c in choices])
        return out


def install(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Serve this module as kg_reasoner.retrieval.grounding for the test's duration."""
    import kg_reasoner.retrieval as retrieval

    module = sys.modules[__name__]
    monkeypatch.setitem(sys.modules, "kg_reasoner.retrieval.grounding", module)
    monkeypatch.setattr(retrieval, "grounding", module, raising=False)
    return module
