"""Bounded subgraphs of a :class:`ConceptGraph` that connect question and choice nodes.

Edges are walked in both directions over one undirected CSR index built once per graph
(numpy only, vectorised per BFS level). For a (question, choice) pair the candidate nodes are
those on a path of at most ``hops`` edges between a question node and a choice node
(``d_question(v) + d_choice(v) <= hops``, as QA-GNN retrieves from ConceptNet), or with
``expand="neighbourhood"`` every node within ``hops`` of a question or choice node (denser
subgraphs on a sparse KG such as WordNet); without choice nodes, the ``hops``-neighbourhood of
the question nodes. Candidates beyond ``max_nodes`` are
pruned by personalised PageRank from the question + choice nodes on the candidates' induced
subgraph (``prune="ppr"``) or kept in BFS order (``prune="none"``). The subgraph holds every
edge of the graph between kept nodes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch

from kg_reasoner.errors import ConfigError, DataFormatError
from kg_reasoner.retrieval.concept_graph import DEFAULT_CACHE_DIR, ConceptGraph
from kg_reasoner.retrieval.subgraph import frontier_edges

if TYPE_CHECKING:
    from kg_reasoner.retrieval.grounding import Grounder

PRUNE_METHODS = ("ppr", "none")
EXPAND_METHODS = ("paths", "neighbourhood")
CACHE_VERSION = 1
"""Bump when retrieval or grounding changes what they produce for the same options."""

_FAR = np.int64(1 << 30)


@dataclass(frozen=True)
class Subgraph:
    """``nodes`` [n] global indices (question nodes, then choice nodes, then others);
    ``edge_index`` [2, e] local indices into ``nodes``; ``edge_type`` [e]; ``node_role`` [n]
    0 question / 1 choice / 2 other; ``edge_ids`` [e] global edge indices (for edge sources)."""

    nodes: torch.Tensor
    edge_index: torch.Tensor
    edge_type: torch.Tensor
    node_role: torch.Tensor
    edge_ids: torch.Tensor

    @property
    def num_nodes(self) -> int:
        return int(self.nodes.shape[0])

    @property
    def num_edges(self) -> int:
        return int(self.edge_ids.shape[0])


class SubgraphRetriever:
    """Subgraphs of ``graph`` within ``hops``, at most ``max_nodes`` nodes (see the module
    docstring); ``retrieve_many`` caches its results under ``cache_dir`` (default
    ``runs/.kg_cache``). ``grounder`` links texts for :meth:`retrieve_many` (default: a
    :class:`~kg_reasoner.retrieval.grounding.Grounder` with its defaults, made on first use)."""

    def __init__(
        self,
        graph: ConceptGraph,
        *,
        hops: int = 2,
        max_nodes: int = 64,
        prune: str = "ppr",
        cache_dir: Path | None = None,
        grounder: Grounder | None = None,
        ppr_alpha: float = 0.15,
        ppr_iterations: int = 30,
        progress: bool = True,
        expand: str = "paths",
    ) -> None:
        if hops < 0:
            raise ConfigError(f"hops must be >= 0, got {hops}")
        if max_nodes < 1:
            raise ConfigError(f"max_nodes must be >= 1, got {max_nodes}")
        if prune not in PRUNE_METHODS:
            raise ConfigError(f"unknown prune {prune!r}: choose one of {', '.join(PRUNE_METHODS)}")
        if expand not in EXPAND_METHODS:
            raise ConfigError(
                f"unknown expand {expand!r}: choose one of {', '.join(EXPAND_METHODS)}"
            )
        self.graph = graph
        self.expand = expand
        self.hops = hops
        self.max_nodes = max_nodes
        self.prune = prune
        self.cache_dir = Path(cache_dir) if cache_dir is not None else DEFAULT_CACHE_DIR
        self._grounder = grounder
        self.ppr_alpha = ppr_alpha
        self.ppr_iterations = ppr_iterations
        self.progress = progress
        edges = graph.edge_index.numpy().astype(np.int64)
        self._src, self._dst = edges[0], edges[1]
        self._types = graph.edge_type.numpy().astype(np.int64)
        n = graph.num_nodes
        ends = np.concatenate([self._src, self._dst])
        others = np.concatenate([self._dst, self._src])
        edge_ids = np.concatenate([np.arange(len(self._src))] * 2)
        order = np.lexsort((edge_ids, others, ends))
        self._neighbors = others[order]
        self._neighbor_edges = edge_ids[order]
        self._indptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(ends, minlength=n), out=self._indptr[1:])
        self._dist_q = np.full(n, _FAR)
        self._dist_c = np.full(n, _FAR)
        self._local = np.full(n, -1, np.int64)
        self._last_question: tuple[tuple[int, ...], np.ndarray] | None = None

    @property
    def options(self) -> dict[str, object]:
        """What changes the result, for cache keys."""
        return {
            "hops": self.hops,
            "max_nodes": self.max_nodes,
            "prune": self.prune,
            "expand": self.expand,
            "ppr_alpha": self.ppr_alpha,
            "ppr_iterations": self.ppr_iterations,
        }

    @property
    def grounder(self) -> Grounder:
        if self._grounder is None:
            from kg_reasoner.retrieval.grounding import Grounder

            self._grounder = Grounder(self.graph)
        return self._grounder

    # -- one pair ------------------------------------------------------------------------------
    def retrieve(
        self,
        question_nodes: list[int],
        choice_nodes: list[int],
        *,
        neighbourhood: bool | None = None,
    ) -> Subgraph:
        """The bounded subgraph connecting ``question_nodes`` and ``choice_nodes``; always
        holds every question/choice node (truncated to ``max_nodes`` if more).

        ``neighbourhood`` (default: when ``choice_nodes`` is empty) gives the ``hops``-
        neighbourhood of the question nodes instead; a choice that grounded to nothing is
        retrieved with ``neighbourhood=False`` (its subgraph: the question nodes alone).
        """
        if neighbourhood is None:
            neighbourhood = not choice_nodes
        question = self._checked(question_nodes)
        in_question = set(question)
        choice = [c for c in self._checked(choice_nodes) if c not in in_question]
        seeds = np.asarray((question + choice)[: self.max_nodes], np.int64)
        n_question = min(len(question), self.max_nodes)
        q_nodes, q_dist = self._question_bfs(tuple(question))
        if not neighbourhood and self.expand == "neighbourhood" and choice_nodes:
            c_nodes, c_dist = self._bfs(np.asarray(choice_nodes, np.int64), self._dist_c)
            both, dist = np.concatenate([q_nodes, c_nodes]), np.concatenate([q_dist, c_dist])
            order = np.lexsort((both, dist))
            both, dist = both[order], dist[order]
            first = np.unique(both, return_index=True)[1]
            first.sort()
            candidates, distance = both[first], dist[first]
        elif not neighbourhood:
            c_nodes, c_dist = self._bfs(np.asarray(choice_nodes, np.int64), self._dist_c)
            self._dist_q[q_nodes] = q_dist
            try:
                total = self._dist_q[c_nodes] + c_dist
            finally:
                self._dist_q[q_nodes] = _FAR
            on_path = total <= self.hops
            candidates, distance = c_nodes[on_path], np.minimum(c_dist, total - c_dist)[on_path]
        else:
            candidates, distance = q_nodes, q_dist
        self._local[seeds] = 0
        keep = self._local[candidates] < 0
        self._local[seeds] = -1
        others, distance = candidates[keep], distance[keep]
        room = self.max_nodes - len(seeds)
        if len(others) > room:
            others = self._pruned(seeds, others, distance, room)
        else:
            others = others[np.lexsort((others, distance))]
        nodes = np.concatenate([seeds, others])
        role = np.full(len(nodes), 2, np.int64)
        role[:n_question] = 0
        role[n_question : len(seeds)] = 1
        return self._with_edges(nodes, role)

    def _checked(self, nodes: Sequence[int]) -> list[int]:
        out = list(dict.fromkeys(int(n) for n in nodes))
        bad = [n for n in out if not 0 <= n < self.graph.num_nodes]
        if bad:
            raise DataFormatError(
                f"node index {bad[0]} is not in the graph (0..{self.graph.num_nodes - 1}): "
                "ground texts with a Grounder over the same ConceptGraph"
            )
        return out

    def _question_bfs(self, question: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        """BFS from the question nodes, remembered for the next call (the same question is
        retrieved against each of its choices)."""
        if self._last_question is None or self._last_question[0] != question:
            nodes, dist = self._bfs(np.asarray(question, np.int64), self._dist_q)
            self._last_question = (question, np.stack([nodes, dist]))
        both = self._last_question[1]
        return both[0], both[1]

    def _bfs(self, seeds: np.ndarray, dist: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(nodes within ``hops`` of ``seeds``, their distance), in BFS order (level, index);
        ``dist`` is a scratch buffer left all ``_FAR`` on return."""
        seeds = np.unique(seeds)
        levels, dists = [seeds], [np.zeros(len(seeds), np.int64)]
        dist[seeds] = 0
        frontier = seeds
        try:
            for level in range(1, self.hops + 1):
                if frontier.size == 0:
                    break
                _, positions = frontier_edges(self._indptr, frontier)
                if positions.size == 0:
                    break
                reached = np.unique(self._neighbors[positions])
                fresh = reached[dist[reached] == _FAR]
                dist[fresh] = level
                levels.append(fresh)
                dists.append(np.full(len(fresh), level, np.int64))
                frontier = fresh
            nodes = np.concatenate(levels)
        finally:
            dist[np.concatenate(levels)] = _FAR
        return nodes, np.concatenate(dists)

    def _pruned(
        self, seeds: np.ndarray, others: np.ndarray, distance: np.ndarray, room: int
    ) -> np.ndarray:
        """The ``room`` best of ``others``: by personalised PageRank (ties: nearer, then lower
        index) or, with ``prune="none"``, by BFS order (distance, index)."""
        if room <= 0:
            return others[:0]
        if self.prune == "none":
            return others[np.lexsort((others, distance))][:room]
        nodes = np.concatenate([seeds, others])
        score = self._personalised_pagerank(nodes, len(seeds))[len(seeds) :]
        order = np.lexsort((others, distance, -np.round(score, 12)))
        return others[order[:room]]

    def _personalised_pagerank(self, nodes: np.ndarray, n_seeds: int) -> np.ndarray:
        """PPR scores of ``nodes`` on their induced (undirected) subgraph, restarting uniformly
        at the first ``n_seeds`` nodes; a node without edges sends its mass back to the seeds."""
        import scipy.sparse as sp

        n = len(nodes)
        self._local[nodes] = np.arange(n)
        try:
            src, dst, _ = self._incident(nodes)
            keep = self._local[dst] >= 0
            rows, cols = self._local[src[keep]], self._local[dst[keep]]
        finally:
            self._local[nodes] = -1
        adjacency = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        adjacency.data[:] = 1.0  # a multi-edge counts once
        degree = np.asarray(adjacency.sum(axis=1)).ravel()
        inverse = np.divide(1.0, degree, out=np.zeros(n), where=degree > 0)
        transition = (sp.diags(inverse) @ adjacency).T.tocsr()
        restart = np.zeros(n)
        restart[:n_seeds] = 1.0 / max(n_seeds, 1)
        score = restart.copy()
        for _ in range(self.ppr_iterations):
            dangling = score[degree == 0].sum()
            score = (1 - self.ppr_alpha) * (transition @ score + dangling * restart)
            score += self.ppr_alpha * restart
        return score

    def _incident(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(node, neighbour, edge id) for every edge end at ``nodes``, both directions."""
        sources, positions = frontier_edges(self._indptr, nodes)
        return sources, self._neighbors[positions], self._neighbor_edges[positions]

    def _with_edges(self, nodes: np.ndarray, role: np.ndarray) -> Subgraph:
        self._local[nodes] = np.arange(len(nodes))
        try:
            _, neighbors, edge_ids = self._incident(nodes)
            edge_ids = np.unique(edge_ids[self._local[neighbors] >= 0])
            edge_index = np.stack(
                [self._local[self._src[edge_ids]], self._local[self._dst[edge_ids]]]
            )
        finally:
            self._local[nodes] = -1
        return Subgraph(
            nodes=torch.from_numpy(nodes.copy()),
            edge_index=torch.from_numpy(edge_index.astype(np.int64)).reshape(2, -1),
            edge_type=torch.from_numpy(self._types[edge_ids].copy()),
            node_role=torch.from_numpy(role),
            edge_ids=torch.from_numpy(edge_ids.astype(np.int64)),
        )

    # -- many items, cached --------------------------------------------------------------------
    def _cache_path(self, kind: str, items: Sequence[tuple[str, Sequence[str]]], key: str) -> Path:
        digest = hashlib.sha256()
        for question, choices in items:
            digest.update(json.dumps([question, list(choices)]).encode("utf-8"))
        options = {"version": CACHE_VERSION, "graph": self.graph.fingerprint, "key": key,
                   "grounder": self.grounder.options, "items": digest.hexdigest()}  # fmt: skip
        if kind == "subgraphs":
            options["retriever"] = self.options
        name = hashlib.sha256(json.dumps(options, sort_keys=True).encode()).hexdigest()[:16]
        safe_key = "".join(c if c.isalnum() or c in "-_." else "_" for c in key)[:60]
        return self.cache_dir / f"{kind}-{safe_key}-{name}.npz"

    def ground_items(
        self, items: Sequence[tuple[str, Sequence[str]]], *, key: str
    ) -> list[tuple[list[int], list[list[int]]]]:
        """Per item ``(question, [choice texts])``: (question nodes, nodes of each choice),
        grounded in one batched pass and cached like :meth:`retrieve_many`."""
        path = self._cache_path("grounding", items, key)
        counts = [1 + len(choices) for _, choices in items]
        flat: list[list[int]] | None = None
        if path.is_file():
            try:
                with np.load(path, allow_pickle=False) as data:
                    lengths, values = data["lengths"], data["values"]
                if len(lengths) == sum(counts):
                    flat = _split(values, lengths)
            except (OSError, ValueError, KeyError):
                flat = None
        if flat is None:
            texts = [t for question, choices in items for t in (question, *choices)]
            flat = self.grounder.ground_many(_progress(texts, self.progress, "grounding"))
            lengths = np.asarray([len(f) for f in flat], np.int64)
            values = np.asarray([v for f in flat for v in f], np.int64)
            _save(path, lengths=lengths, values=values)
        out, at = [], 0
        for count in counts:
            out.append((flat[at], flat[at + 1 : at + count]))
            at += count
        return out

    def retrieve_many(
        self, items: list[tuple[str, list[str]]], *, key: str
    ) -> list[list[Subgraph]]:
        """Ground and retrieve every (question, choice) of ``items`` = ``(question, [choice
        texts])``; an item without choices gives one subgraph, the question's neighbourhood.
        Cached on disk under ``cache_dir`` keyed by the graph fingerprint, ``key``, the options
        and the items' text; a second call with the same arguments reads the cache."""
        path = self._cache_path("subgraphs", items, key)
        counts = [max(len(choices), 1) for _, choices in items]
        if path.is_file():
            try:
                cached = _load_subgraphs(path)
                if len(cached) == sum(counts):
                    return _regroup(cached, counts)
            except (OSError, ValueError, KeyError):
                pass
        grounded = self.ground_items(items, key=key)
        flat: list[Subgraph] = []
        for question_nodes, choice_nodes in _progress(grounded, self.progress, "subgraphs"):
            if not choice_nodes:
                flat.append(self.retrieve(question_nodes, [], neighbourhood=True))
            for nodes in choice_nodes:
                flat.append(self.retrieve(question_nodes, nodes, neighbourhood=False))
        _save_subgraphs(path, flat)
        return _regroup(flat, counts)


def _progress(values: Sequence, enabled: bool, what: str) -> Sequence:
    if not enabled:
        return values
    from tqdm.auto import tqdm

    return tqdm(values, desc=what, unit="item" if what == "subgraphs" else "text", leave=False)


def _split(values: np.ndarray, lengths: np.ndarray) -> list[list[int]]:
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    return [values[bounds[i] : bounds[i + 1]].tolist() for i in range(len(lengths))]


def _save(path: Path, **arrays: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.npz")
    np.savez(tmp, **arrays)
    os.replace(tmp, path)


def _save_subgraphs(path: Path, subgraphs: list[Subgraph]) -> None:
    """All subgraphs concatenated, with per-subgraph node and edge counts (no pickle)."""
    _save(
        path,
        num_nodes=np.asarray([s.num_nodes for s in subgraphs], np.int64),
        num_edges=np.asarray([s.num_edges for s in subgraphs], np.int64),
        nodes=_cat([s.nodes for s in subgraphs], 1),
        node_role=_cat([s.node_role for s in subgraphs], 1),
        edge_index=_cat([s.edge_index for s in subgraphs], 2),
        edge_type=_cat([s.edge_type for s in subgraphs], 1),
        edge_ids=_cat([s.edge_ids for s in subgraphs], 1),
    )


def _cat(tensors: list[torch.Tensor], dims: int) -> np.ndarray:
    if not tensors:
        return np.zeros((2, 0) if dims == 2 else 0, np.int64)
    return torch.cat(tensors, dim=-1).numpy()


def _load_subgraphs(path: Path) -> list[Subgraph]:
    """The cached subgraphs; their tensors are views into the file's concatenated arrays."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {name: torch.from_numpy(data[name]) for name in data.files}
    node_counts, edge_counts = arrays["num_nodes"].tolist(), arrays["num_edges"].tolist()
    nodes = torch.split(arrays["nodes"], node_counts)
    roles = torch.split(arrays["node_role"], node_counts)
    edge_index = torch.split(arrays["edge_index"], edge_counts, dim=1)
    edge_type = torch.split(arrays["edge_type"], edge_counts)
    edge_ids = torch.split(arrays["edge_ids"], edge_counts)
    return [
        Subgraph(nodes=n, edge_index=ei, edge_type=et, node_role=r, edge_ids=ids)
        for n, ei, et, r, ids in zip(nodes, edge_index, edge_type, roles, edge_ids, strict=True)
    ]


def _regroup(flat: list[Subgraph], counts: list[int]) -> list[list[Subgraph]]:
    out, at = [], 0
    for count in counts:
        out.append(flat[at : at + count])
        at += count
    return out


__all__ = ["PRUNE_METHODS", "Subgraph", "SubgraphRetriever"]
