"""Gold-answer matching for the question benchmarks and `kgr ask --questions`."""

from __future__ import annotations

from kg_reasoner.qa.gold import matches


def test_values_match_by_literal_and_names_by_normalised_label() -> None:
    assert matches("1250", ["1,250"])
    assert matches("1971-05-04", ["4 May 1971"])
    assert matches("Louvre", ["the Louvre"])
    assert not matches("1251", ["1,250"])
    assert not matches("Leeds", ["London"])


def test_a_common_noun_matches_in_either_number_a_name_does_not() -> None:
    assert matches("electric van", ["electric vans"])
    assert matches("boxes", ["box"])
    assert not matches("Wale", ["Wales"])  # a name: capitalised gold, no number to undo
    assert not matches("glas", ["glass"])
