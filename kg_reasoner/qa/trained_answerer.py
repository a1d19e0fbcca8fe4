"""Answering with a trained reasoner: link, plan relations, retrieve, propagate, explain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from kg_reasoner.models.kgqa.question_embedder import QuestionEmbedder, mask_spans
from kg_reasoner.qa.answer import Answer, QAResult
from kg_reasoner.qa.evidence import build_path, trace_paths
from kg_reasoner.qa.kgqa_checkpoint import TrainedReasoner, check_relations, load_reasoner
from kg_reasoner.qa.mentions import link_question
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.retrieval.kb_readers import load_kb_index
from kg_reasoner.retrieval.linking import EntityLinker
from kg_reasoner.retrieval.subgraph import retrieve_subgraph


class TrainedAnswerer:
    """Answers questions with a reasoner trained by `kgr train` (task kgqa)."""

    method = "trained"

    def __init__(
        self,
        trained: TrainedReasoner,
        index: KBIndex,
        *,
        graph: Any = None,
        embedder: QuestionEmbedder | None = None,
    ) -> None:
        self.trained = trained
        self.index = index
        self.graph = graph
        cfg = trained.config
        self.embedder = embedder or QuestionEmbedder(
            cfg.encoder.name, max_length=cfg.encoder.max_length
        )
        self.linker = EntityLinker(index)
        self.exclude_topic = not cfg.data.topic_can_be_answer

    @classmethod
    def from_run(
        cls, run_dir: str | Path, *, index: KBIndex | None = None, graph: Any = None
    ) -> TrainedAnswerer:
        """Load a run; the KB is the run config's unless ``index`` (e.g. of --graph) is given."""
        trained = load_reasoner(run_dir)
        source = "the given graph"
        if index is None:
            source = trained.config.data.kb
            index = load_kb_index(trained.config.data.resolve(trained.config.data.kb))
        check_relations(trained, index, source)
        return cls(trained, index, graph=graph)

    def warm_up(self) -> None:
        """Load the encoder now rather than on the first question."""
        self.embedder.embed(["warm up"])

    @torch.no_grad()
    def answer(self, question: str, *, top_k: int | None = None) -> QAResult:
        cfg = self.trained.config
        top_k = top_k or cfg.inference.top_k
        result, link = link_question(self.linker, question, self.method)
        topics = link.topic_entities
        if not topics:
            return result
        masked = mask_spans(question, link.spans(), cfg.encoder.topic_placeholder)
        model = self.trained.model
        plan = model.plan(self.embedder.embed([masked]))
        probs = plan.relation_probs[0].numpy()
        masks = probs > cfg.inference.relation_threshold
        sub = retrieve_subgraph(
            self.index,
            topics,
            hops=model.num_hops,
            max_nodes=cfg.inference.max_subgraph_nodes,
            relation_masks=masks,
        )
        if sub.truncated:
            result.notes.append(
                f"the retrieved subgraph hit the bound of "
                f"{cfg.inference.max_subgraph_nodes} nodes; answers may be missing"
            )
        topic_vec = torch.zeros(1, sub.num_nodes)
        topic_vec[0, : sub.num_seeds] = 1.0
        scores, hop_scores = model.reason(
            plan,
            topic_vec,
            sub.adjacency(),
            exclude_topic=self.exclude_topic,
            revisit_topic=cfg.data.topic_in_paths,
        )
        result.subgraph = {
            "nodes": sub.num_nodes,
            "edges": sub.num_edges,
            "truncated": sub.truncated,
        }
        result.answers = self._answers(scores[0].numpy(), hop_scores[0].numpy(), plan, sub, top_k)
        if not result.answers:
            result.notes.append("no entity is reachable along the relations the question asks for")
        return result

    def _answers(
        self, scores: np.ndarray, hop_scores: np.ndarray, plan: Any, sub: Any, top_k: int
    ) -> list[Answer]:
        order = np.argsort(-scores, kind="stable")[:top_k]
        order = [int(i) for i in order if scores[i] > 0]
        local = np.full(self.index.num_entities, -1, dtype=np.int64)
        local[sub.nodes] = np.arange(sub.num_nodes)
        topic_scores = np.zeros(sub.num_nodes, dtype=np.float32)
        topic_scores[: sub.num_seeds] = 1.0
        levels = np.vstack([topic_scores, hop_scores])

        def score_at(t: int, nodes: np.ndarray) -> np.ndarray:
            ids = local[nodes]
            out = np.zeros(nodes.shape[0], dtype=np.float32)
            out[ids >= 0] = levels[t, ids[ids >= 0]]
            return out

        weights = plan.hop_weights[0].numpy()
        probs = plan.relation_probs[0].numpy()
        threshold = self.trained.threshold
        answers = []
        for rank, i in enumerate(order):
            node = int(sub.nodes[i])
            hop = int(np.argmax(weights * hop_scores[:, i])) + 1
            traced = trace_paths(
                self.index,
                node,
                hop,
                score_at,
                probs,
                max_paths=self.trained.config.inference.max_paths,
            )
            paths = tuple(build_path(self.index, steps, w, graph=self.graph) for w, steps in traced)
            answers.append(
                Answer(
                    self.index.entity_ids[node],
                    self.index.entity_labels[node],
                    round(float(scores[i]), 4),
                    bool(rank == 0 or scores[i] >= threshold),
                    paths,
                )
            )
        return answers
