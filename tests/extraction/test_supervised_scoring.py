"""Strict scoring, checked by hand on small cases."""

from __future__ import annotations

import pytest

from kg_reasoner.extraction.supervised.data import parse_record
from kg_reasoner.extraction.supervised.scoring import format_table, prf, score_examples

GOLD = [
    parse_record(
        {
            "tokens": ["John", "Smith", "works", "for", "IBM", "in", "New", "York"],
            "entities": [[0, 2, "Peop"], [4, 5, "Org"], [6, 8, "Loc"]],
            "relations": [[0, 2, 4, 5, "Work_For"], [4, 5, 6, 8, "OrgBased_In"]],
        }
    ),
    parse_record(
        {
            "tokens": ["Mary", "lives", "in", "Paris"],
            "entities": [[0, 1, "Peop"], [3, 4, "Loc"]],
            "relations": [[0, 1, 3, 4, "Live_In"]],
        }
    ),
]


def test_perfect_prediction_scores_100() -> None:
    scores = score_examples(GOLD, GOLD)
    assert scores["entity"]["micro"] == {"precision": 100.0, "recall": 100.0, "f1": 100.0}
    assert scores["relation"]["macro"]["f1"] == 100.0


def test_boundary_or_type_errors_count_as_wrong() -> None:
    predicted = [
        parse_record(
            {
                "tokens": list(GOLD[0].tokens),
                # "John" instead of "John Smith": the boundary is wrong, so is its relation
                "entities": [[0, 1, "Peop"], [4, 5, "Org"], [6, 8, "Loc"]],
                "relations": [[0, 1, 4, 5, "Work_For"], [4, 5, 6, 8, "OrgBased_In"]],
            }
        ),
        parse_record(
            {
                "tokens": list(GOLD[1].tokens),
                # right span, wrong type: the entity and the relation using it are wrong
                "entities": [[0, 1, "Org"], [3, 4, "Loc"]],
                "relations": [[0, 1, 3, 4, "Live_In"]],
            }
        ),
    ]
    scores = score_examples(GOLD, predicted)
    # entities: 3 of 5 predicted are right, 3 of 5 gold found
    assert scores["entity"]["micro"] == {"precision": 60.0, "recall": 60.0, "f1": 60.0}
    # relations: only OrgBased_In is right (1 of 3 predicted, 1 of 3 gold)
    assert scores["relation"]["micro"]["f1"] == pytest.approx(33.33)
    per_type = scores["relation"]["per_type"]
    assert per_type["OrgBased_In"]["f1"] == 100.0
    assert per_type["Work_For"]["f1"] == 0.0 and per_type["Live_In"]["f1"] == 0.0
    # macro over the three relation types: (100 + 0 + 0) / 3
    assert scores["relation"]["macro"]["f1"] == pytest.approx(33.33)
    # per entity type: Peop 0/1 predicted right of 2 gold; Org 1/2 right of 1 gold
    assert scores["entity"]["per_type"]["Peop"]["recall"] == 0.0
    assert scores["entity"]["per_type"]["Org"]["precision"] == 50.0
    assert "| relation | **micro** | 33.33 | 33.33 | 33.33 | 3 |" in format_table(scores)


def test_relation_direction_matters() -> None:
    flipped = [
        parse_record(
            {
                "tokens": list(GOLD[1].tokens),
                "entities": [[0, 1, "Peop"], [3, 4, "Loc"]],
                "relations": [[3, 4, 0, 1, "Live_In"]],
            }
        )
    ]
    assert score_examples(GOLD[1:], flipped)["relation"]["micro"]["f1"] == 0.0


def test_prf_handles_empty_counts() -> None:
    assert prf(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert prf(1, 2, 4) == {"precision": 50.0, "recall": 25.0, "f1": 33.33}


def test_mismatched_lengths_are_rejected() -> None:
    with pytest.raises(ValueError, match="predictions"):
        score_examples(GOLD, GOLD[:1])
