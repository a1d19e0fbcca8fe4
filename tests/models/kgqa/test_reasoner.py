from __future__ import annotations

from typing import NamedTuple

import torch

from kg_reasoner.graph.triples_factory import TriplesFactory
from kg_reasoner.models.kgqa.propagation import propagate_scores
from kg_reasoner.models.kgqa.relation_reasoner import HopwiseRelationReasoner, RelationPlan

TRIPLES = [
    ("Delicatessen", "written_by", "Marc Caro"),
    ("Lost Children", "written_by", "Marc Caro"),
    ("Delicatessen", "release_year", "1991"),
    ("Lost Children", "release_year", "1995"),
]


def _plan(graph: TriplesFactory, relations: list[str]) -> RelationPlan:
    both = graph.with_inverse()
    probs = torch.zeros(1, len(relations), both.num_relations)
    for hop, name in enumerate(relations):
        probs[0, hop, both.relation_to_id[name]] = 1.0
    weights = torch.zeros(1, len(relations))
    weights[0, -1] = 1.0
    return RelationPlan(relation_probs=probs, hop_weights=weights)


def _years(revisit: bool) -> set[str]:
    graph = TriplesFactory.from_labeled_triples(TRIPLES)
    model = HopwiseRelationReasoner(
        question_dim=4, num_relations=2 * graph.num_relations, num_hops=3
    )
    topic = torch.zeros(1, graph.num_entities)
    topic[0, graph.entity_to_id["Lost Children"]] = 1.0
    plan = _plan(graph, ["written_by", "written_by^-1", "release_year"])
    scores, _ = model.reason(plan, topic, graph.csr(), exclude_topic=True, revisit_topic=revisit)
    return {graph.entity_ids[i] for i in torch.nonzero(scores[0] > 0.5).flatten().tolist()}


def test_walks_may_skip_the_topic_entity() -> None:
    assert _years(revisit=True) == {"1991", "1995"}
    assert _years(revisit=False) == {"1991"}  # "films sharing a writer with X" excludes X


def test_both_propagation_kernels_agree() -> None:
    from kg_reasoner.models.kgqa import propagation

    graph = TriplesFactory.from_labeled_triples(
        [(f"e{i}", f"r{i % 3}", f"e{(i * 7) % 20}") for i in range(40)]
    )
    generator = torch.Generator().manual_seed(0)
    scores = torch.rand(4, graph.num_entities, generator=generator)
    scores[scores < 0.6] = 0.0
    probs = torch.rand(4, 2 * graph.num_relations, generator=generator)
    old = propagation.PAIR_KERNEL_COST
    try:
        propagation.PAIR_KERNEL_COST = 0  # always the pair kernel
        pairs = propagate_scores(scores, probs, graph.csr())
        propagation.PAIR_KERNEL_COST = 10**9  # always the shared kernel
        shared = propagate_scores(scores, probs, graph.csr())
    finally:
        propagation.PAIR_KERNEL_COST = old
    assert torch.allclose(pairs, shared, atol=1e-6)
    assert pairs.max() <= 1.0 and pairs.sum() > 0


def test_loss_only_with_answers_and_gradients_reach_the_question_encoder() -> None:
    graph = TriplesFactory.from_labeled_triples(TRIPLES)
    model = HopwiseRelationReasoner(
        question_dim=8, num_relations=2 * graph.num_relations, num_hops=2
    )
    topic = torch.zeros(2, graph.num_entities)
    topic[:, graph.entity_to_id["Lost Children"]] = 1.0
    question = torch.randn(2, 8)
    assert model(question, topic, graph.csr()).loss is None
    answers = torch.zeros(2, graph.num_entities)
    answers[:, graph.entity_to_id["1995"]] = 1.0
    out = model(question, topic, graph.csr(), answers=answers)
    assert out.scores.shape == (2, graph.num_entities) and out.hop_scores.shape[1] == 2
    out.loss.backward()
    assert model.question_encoder[0].weight.grad is not None
    assert model.question_encoder[0].weight.grad.abs().sum() > 0


def test_propagation_takes_any_csr_tensors() -> None:
    class Plain(NamedTuple):  # three tensors, nothing of the graph stage
        indptr: torch.Tensor
        targets: torch.Tensor
        relations: torch.Tensor

    chain = Plain(torch.tensor([0, 1, 2, 2]), torch.tensor([1, 2]), torch.tensor([0, 1]))
    scores = propagate_scores(torch.tensor([[1.0, 0.0, 0.0]]), torch.tensor([[0.5, 1.0]]), chain)
    assert scores.tolist() == [[0.0, 0.5, 0.0]]
