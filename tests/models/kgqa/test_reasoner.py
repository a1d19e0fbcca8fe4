from __future__ import annotations

import torch

from kg_reasoner.models.kgqa.propagation import propagate_scores
from kg_reasoner.models.kgqa.relation_reasoner import HopwiseRelationReasoner, RelationPlan
from kg_reasoner.retrieval.kb_index import KBIndex

TRIPLES = [
    ("Delicatessen", "written_by", "Marc Caro"),
    ("Lost Children", "written_by", "Marc Caro"),
    ("Delicatessen", "release_year", "1991"),
    ("Lost Children", "release_year", "1995"),
]


def _plan(index: KBIndex, relations: list[str]) -> RelationPlan:
    probs = torch.zeros(1, len(relations), index.num_relations)
    for hop, name in enumerate(relations):
        probs[0, hop, index.relation_vocabulary().index(name)] = 1.0
    weights = torch.zeros(1, len(relations))
    weights[0, -1] = 1.0
    return RelationPlan(relation_probs=probs, hop_weights=weights)


def _years(revisit: bool) -> set[str]:
    index = KBIndex.from_triples(TRIPLES)
    model = HopwiseRelationReasoner(question_dim=4, num_relations=index.num_relations, num_hops=3)
    topic = torch.zeros(1, index.num_entities)
    topic[0, index.entity_to_id["Lost Children"]] = 1.0
    plan = _plan(index, ["written_by", "written_by^-1", "release_year"])
    scores, _ = model.reason(
        plan, topic, index.adjacency, exclude_topic=True, revisit_topic=revisit
    )
    return {index.entity_ids[i] for i in torch.nonzero(scores[0] > 0.5).flatten().tolist()}


def test_walks_may_skip_the_topic_entity() -> None:
    assert _years(revisit=True) == {"1991", "1995"}
    assert _years(revisit=False) == {"1991"}  # "films sharing a writer with X" excludes X


def test_both_propagation_kernels_agree() -> None:
    from kg_reasoner.models.kgqa import propagation

    index = KBIndex.from_triples([(f"e{i}", f"r{i % 3}", f"e{(i * 7) % 20}") for i in range(40)])
    generator = torch.Generator().manual_seed(0)
    scores = torch.rand(4, index.num_entities, generator=generator)
    scores[scores < 0.6] = 0.0
    probs = torch.rand(4, index.num_relations, generator=generator)
    old = propagation.PAIR_KERNEL_COST
    try:
        propagation.PAIR_KERNEL_COST = 0  # always the pair kernel
        pairs = propagate_scores(scores, probs, index.adjacency)
        propagation.PAIR_KERNEL_COST = 10**9  # always the shared kernel
        shared = propagate_scores(scores, probs, index.adjacency)
    finally:
        propagation.PAIR_KERNEL_COST = old
    assert torch.allclose(pairs, shared, atol=1e-6)
    assert pairs.max() <= 1.0 and pairs.sum() > 0


def test_loss_only_with_answers_and_gradients_reach_the_question_encoder() -> None:
    index = KBIndex.from_triples(TRIPLES)
    model = HopwiseRelationReasoner(question_dim=8, num_relations=index.num_relations, num_hops=2)
    topic = torch.zeros(2, index.num_entities)
    topic[:, index.entity_to_id["Lost Children"]] = 1.0
    question = torch.randn(2, 8)
    assert model(question, topic, index.adjacency).loss is None
    answers = torch.zeros(2, index.num_entities)
    answers[:, index.entity_to_id["1995"]] = 1.0
    out = model(question, topic, index.adjacency, answers=answers)
    assert out.scores.shape == (2, index.num_entities) and out.hop_scores.shape[1] == 2
    out.loss.backward()
    assert model.question_encoder[0].weight.grad is not None
    assert model.question_encoder[0].weight.grad.abs().sum() > 0
