"""From texts to the graph side of a batch: ground each text in the concept graph, retrieve
its subgraph (cached by the retriever), and embed node labels with the frozen LM (cached in the
one :class:`~kg_reasoner.models.feature_cache.FeatureCache`).

The concept graph, grounder and retriever come from :mod:`kg_reasoner.retrieval.grounding`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from kg_reasoner.errors import ConfigError, DataFormatError
from kg_reasoner.models.feature_cache import FeatureCache
from kg_reasoner.models.text_encoder import TextEncoder
from kg_reasoner.tasks.text_graph.config import GraphConfig, TextEncoderConfig

#: the retrieval items of one split: (question or text, its choices; [] for classification)
Items = list[tuple[str, list[str]]]
#: ``Subgraph.node_role`` of a node grounded in a choice (0: the question, 2: other nodes)
CHOICE_ROLE = 1


def grounding_module() -> Any:
    """:mod:`kg_reasoner.retrieval.grounding`, imported when a config names a graph."""
    try:
        from kg_reasoner.retrieval import grounding
    except ImportError as exc:
        raise ConfigError(
            "this install has no kg_reasoner.retrieval.grounding (concept graphs, grounding "
            "and subgraph retrieval): set graph: null to train the language model alone"
        ) from exc
    return grounding


@dataclass
class RetrievedSplit:
    """One subgraph per scored text (texts in order; choices of a question consecutive) and how
    retrieval went: seconds, and per item whether its text grounded to a node."""

    subgraphs: list[Any]
    seconds: float
    grounded: list[bool] = field(default_factory=list)

    @property
    def nodes_per_subgraph(self) -> float:
        return sum(int(s.nodes.numel()) for s in self.subgraphs) / max(len(self.subgraphs), 1)

    @property
    def grounded_fraction(self) -> float:
        return sum(self.grounded) / max(len(self.grounded), 1)


class GraphContext:
    """A loaded concept graph with its retriever and node-label features."""

    def __init__(
        self, config: GraphConfig, encoder: TextEncoderConfig, *, progress: bool = True
    ) -> None:
        grounding = grounding_module()
        self.config = config
        self.encoder_config = encoder
        self.progress = progress
        cache = config.cache_dir
        self.graph = grounding.load_concept_graph(config.resolved_source(), cache_dir=cache)
        self.retriever = grounding.SubgraphRetriever(
            self.graph,
            hops=config.hops,
            max_nodes=config.max_nodes,
            prune=config.prune,
            expand=config.expand,
            cache_dir=cache,
        )
        self._grounder: Any = None
        self._rows: dict[int, torch.Tensor] = {}
        self._channels: int | None = None

    @property
    def num_relations(self) -> int:
        return len(self.graph.relations)

    def retrieve(self, items: Items, *, key: str) -> RetrievedSplit:
        """Subgraphs of every item (one per choice, or one for a text without choices),
        through the retriever's cache under ``key``."""
        started = time.perf_counter()
        found = self.retriever.retrieve_many(items, key=key) if items else []
        flat: list[Any] = []
        grounded: list[bool] = []
        for (text, choices), subgraphs in zip(items, found, strict=True):
            want = max(len(choices), 1)
            if len(subgraphs) != want:
                raise DataFormatError(
                    f"the retriever gave {len(subgraphs)} subgraphs for {text[:60]!r}, "
                    f"expected {want} (one per choice, or one per text)"
                )
            flat.extend(subgraphs)
            grounded.append(any(bool((s.node_role == 0).any()) for s in subgraphs))
        return RetrievedSplit(flat, time.perf_counter() - started, grounded)

    def retrieve_one(self, text: str, choices: Sequence[str]) -> list[Any]:
        """Subgraphs of one new text (one per choice, or one): grounded now, not cached."""
        if self._grounder is None:
            self._grounder = grounding_module().Grounder(self.graph)
        question_nodes = self._grounder.ground(text)
        if not choices:
            return [self.retriever.retrieve(question_nodes, [])]
        return [self.retriever.retrieve(question_nodes, self._grounder.ground(c)) for c in choices]

    def add_features(self, subgraphs: Sequence[Any]) -> None:
        """Embed the labels of every node of ``subgraphs`` not embedded yet (only the nodes a
        split retrieves, not the whole graph)."""
        wanted = sorted({int(n) for s in subgraphs for n in s.nodes.tolist()} - set(self._rows))
        if not wanted:
            return
        labels = [self.node_text(n) for n in wanted]
        max_length = 64 if self.config.node_text == "description" else 32
        vectors = label_features(
            labels, self.encoder_config, progress=self.progress, max_length=max_length
        )
        self._rows.update(zip(wanted, vectors, strict=True))
        self._channels = int(vectors.shape[1])

    def description(self, node: int) -> str:
        """The graph's description of ``node`` (a WordNet gloss), or "" when it has none."""
        descriptions = self.graph.node_descriptions
        return descriptions[node] if node < len(descriptions) else ""

    def node_text(self, node: int) -> str:
        """What node ``node``'s features embed: its label, and with ``node_text: description``
        the graph's description of it when it has one."""
        label = self.graph.node_labels[node]
        gloss = self.description(node) if self.config.node_text == "description" else ""
        return f"{label}: {gloss}" if gloss else label

    def described_choice(self, choice: str, subgraph: Any) -> str:
        """``choice`` followed by the description of its first grounded node that has one
        (``bank: sloping land beside a body of water``), or ``choice`` alone."""
        for node in subgraph.nodes[subgraph.node_role == CHOICE_ROLE].tolist():
            if gloss := self.description(node):
                return f"{choice}: {gloss}"
        return choice

    def features_of(self, nodes: torch.Tensor) -> torch.Tensor:
        """(n, H) label features of global node ids (embedded on first use)."""
        missing = [n for n in nodes.tolist() if n not in self._rows]
        if missing:
            self.add_features([_Nodes(torch.tensor(missing))])
        if nodes.numel() == 0:
            return torch.zeros(0, self.node_channels())
        return torch.stack([self._rows[n] for n in nodes.tolist()])

    def node_channels(self) -> int:
        """The node feature size: the encoder's hidden size."""
        if self._channels is None:
            self._channels = int(
                label_features(["entity"], self.encoder_config, progress=False).shape[1]
            )
        return self._channels


@dataclass
class _Nodes:
    nodes: torch.Tensor


def label_features(
    labels: Sequence[str],
    config: TextEncoderConfig,
    *,
    progress: bool = True,
    max_length: int = 32,
) -> torch.Tensor:
    """Mean-pooled, normalised embeddings of ``labels`` by the (pretrained, frozen) encoder,
    each cut to ``max_length`` subwords."""
    identity = ("node-labels", config.name, "mean", "normalized", max_length)
    cache = FeatureCache(identity=identity)
    path = (
        Path(config.cache_dir) / f"node_labels_{cache.key[:16]}.safetensors"
        if config.cache_dir
        else None
    )
    if path is not None:
        cache.load(path)
    missing = cache.missing(labels)
    if missing:
        from tqdm.auto import tqdm

        encoder = TextEncoder(config.name, max_length=max_length)
        step = max(config.batch_size, 256)
        for start in tqdm(
            range(0, len(missing), step), desc="node labels", disable=not progress, leave=False
        ):
            chunk = missing[start : start + step]
            vectors = encoder.encode(chunk, batch_size=config.batch_size)
            for label, vector in zip(chunk, vectors, strict=True):
                cache.put(label, {"vector": vector})
        if path is not None:
            cache.save(path)
    if not labels:
        return torch.zeros(0, 1)
    return torch.stack([cache.get(label)["vector"] for label in labels])
