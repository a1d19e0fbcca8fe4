"""Evidence paths: which walks from the question entities explain an answer.

For the trained reasoner, paths are traced backwards from the answer: a predecessor ``s`` of
node ``o`` at hop ``t`` over relation ``r`` contributes ``score_{t-1}(s) * p_t(r)``, exactly the
terms the forward propagation summed; a small beam keeps the strongest walks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from kg_reasoner.graph.literals import is_literal_node_id, literal_of
from kg_reasoner.graph.records import Triple
from kg_reasoner.qa.answer import EvidenceHop, EvidencePath
from kg_reasoner.retrieval.kb_index import KBIndex

# (source, target, relation id in [0, 2R), stored triple id) in walking order
Step = tuple[int, int, int, int]


def inverse_relation(rel: int, num_base: int) -> int:
    return rel + num_base if rel < num_base else rel - num_base


def trace_paths(
    index: KBIndex,
    answer: int,
    hops: int,
    score_at: Callable[[int, np.ndarray], np.ndarray],
    relation_probs: np.ndarray,
    *,
    max_paths: int,
    beam: int = 16,
) -> list[tuple[float, list[Step]]]:
    """Up to ``max_paths`` walks of length ``hops`` ending at ``answer``, strongest first.

    ``score_at(t, nodes)`` gives the entity scores after hop ``t`` (t = 0: topic indicator);
    ``relation_probs`` (T, 2R) the per-hop relation probabilities.
    """
    states: list[tuple[float, int, list[Step]]] = [(1.0, answer, [])]
    num_base = index.num_base_relations
    for t in range(hops, 0, -1):
        grown: list[tuple[float, int, list[Step]]] = []
        for weight, node, steps in states:
            neighbours, out_rels, triple_ids = index.out_edges(node)
            if neighbours.size == 0:
                continue
            walked = np.where(out_rels < num_base, out_rels + num_base, out_rels - num_base)
            contrib = score_at(t - 1, neighbours) * relation_probs[t - 1, walked]
            for j in np.argsort(-contrib, kind="stable")[:beam]:
                if contrib[j] <= 0:
                    break
                step = (int(neighbours[j]), node, int(walked[j]), int(triple_ids[j]))
                grown.append((weight * float(contrib[j]), int(neighbours[j]), [step, *steps]))
        grown.sort(key=lambda s: -s[0])
        states = grown[:beam]
    return [(w, steps) for w, _, steps in states[:max_paths]]


def _stored_triple(index: KBIndex, subject: str, relation: str, obj: str) -> Triple:
    """The graph's triple behind an index triple: a value node becomes its literal again."""
    node = index.entity_to_id.get(obj)
    is_value = node is not None and index.entity_type(node) in {"VALUE", "DATE"}
    if is_value and is_literal_node_id(obj):
        lexical, datatype = literal_of(obj)
        return Triple(subject, relation, lexical, datatype)
    return Triple(subject, relation, obj)


def build_path(
    index: KBIndex,
    steps: Sequence[Step],
    score: float,
    *,
    graph: Any = None,
    max_sentences: int = 3,
) -> EvidencePath:
    """An :class:`EvidencePath` with labels and, when ``graph`` has provenance, sentences."""
    hops = []
    for source, target, rel, triple_id in steps:
        subject, relation, obj = index.triple(triple_id)
        sentences: tuple[str, ...] = ()
        if graph is not None:
            # twice the sentences shown: copies of one text in several documents are one
            records = graph.provenance(
                _stored_triple(index, subject, relation, obj), limit=2 * max_sentences
            )
            sentences = tuple(dict.fromkeys(p.sentence for p in records))[:max_sentences]
        hops.append(
            EvidenceHop(
                source=index.entity_ids[source],
                source_label=index.entity_labels[source],
                target=index.entity_ids[target],
                target_label=index.entity_labels[target],
                relation=relation,
                inverse=rel >= index.num_base_relations,
                subject=subject,
                object=obj,
                sentences=sentences,
            )
        )
    start = steps[0][0]
    return EvidencePath(
        index.entity_ids[start], index.entity_labels[start], tuple(hops), round(score, 4)
    )
