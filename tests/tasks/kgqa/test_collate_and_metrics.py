"""KGQA training batches and metrics."""

from __future__ import annotations

import torch

from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.tasks.kgqa.collate import indicator_rows, training_batches
from kg_reasoner.tasks.kgqa.data import QuestionRecord
from kg_reasoner.tasks.kgqa.encoding import EncodedQuestions
from kg_reasoner.tasks.kgqa.metrics import best_threshold, summarise


def _encoded(n: int) -> tuple[EncodedQuestions, KBIndex]:
    index = KBIndex.from_triples([(f"e{i}", "r", f"e{i + 1}") for i in range(n)])
    records = [QuestionRecord(f"q [e{i}]", (f"e{i}",), (f"e{i + 1}",), "1") for i in range(n)]
    ids = index.entity_to_id
    data = EncodedQuestions(
        records, list(range(n)), torch.arange(n, dtype=torch.float).unsqueeze(1),
        [[ids[f"e{i}"]] for i in range(n)], [[ids[f"e{i + 1}"]] for i in range(n)],
    )
    return data, index


def test_indicator_rows_mark_the_listed_entities() -> None:
    rows = indicator_rows([[0, 2], [1]], 3)
    assert rows.tolist() == [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]


def test_training_batches_cover_every_question_once_in_a_seeded_order() -> None:
    data, index = _encoded(10)
    torch.manual_seed(0)
    batches = list(training_batches(data, index, batch_size=4, exclude_topic=True,
                                    revisit_topic=False))
    assert [len(b["question"]) for b in batches] == [4, 4, 2]
    seen = torch.cat([b["question"].flatten() for b in batches]).long().tolist()
    torch.manual_seed(0)
    assert seen == torch.randperm(10).tolist()
    first = batches[0]
    assert first["topic"].shape == (4, index.num_entities)
    assert first["answers"].sum().item() == 4
    assert first["exclude_topic"] is True and first["revisit_topic"] is False


def test_best_threshold_maximises_mean_f1_and_prefers_higher_on_ties() -> None:
    assert best_threshold({0.3: [1.0, 0.0], 0.5: [0.5, 0.5], 0.7: [0.0, 0.2]}) == (0.5, 0.5)
    assert best_threshold({0.3: [1.0], 0.6: [1.0]})[0] == 0.6


def test_summarise_reports_percentages_per_group_and_type() -> None:
    records = [QuestionRecord("q", ("a",), ("b",), "1", qtype="t1"),
               QuestionRecord("q", ("a",), ("b",), "2", qtype="t2"),
               QuestionRecord("q", ("a",), ("b",), "2", qtype="t2")]
    out = summarise(records, [1.0, 1.0, 0.0], [0.5, 1.0, 0.0], 0.4)
    assert out["hits_at_1"] == {"1": 100.0, "2": 50.0}
    assert out["answer_f1"] == {"1": 50.0, "2": 50.0}
    assert out["hits_at_1_by_type"] == {"t1": 100.0, "t2": 50.0}
    assert out["hits_at_1_all"] == 66.67 and out["questions"] == {"1": 1, "2": 2}
    assert out["threshold"] == 0.4
