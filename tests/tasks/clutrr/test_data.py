"""Reading CLUTRR CSVs, kinship inverses, and clear errors on malformed records."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_reasoner.errors import DataFormatError
from kg_reasoner.tasks.clutrr.data import parse_genders, read_clutrr
from kg_reasoner.tasks.clutrr.kinship import inverse_relation, relation_gender
from tests.tasks.clutrr.fixture import write_csv


def test_reads_query_target_edges_genders_and_k(tmp_path: Path) -> None:
    examples = read_clutrr(write_csv(tmp_path / "t.csv", 4, k=3))
    first = examples[0]
    assert first.k == 3 and len(first.edges) == 3
    assert first.head == first.edges[0][0] and first.tail == first.edges[-1][2]
    assert first.target == "brother"
    assert set(first.genders) == {n for u, _, v in first.edges for n in (u, v)}


def test_malformed_rows_name_the_row_and_field(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", 2)
    text = path.read_text().replace("brother", "cousin-twice-removed", 1)
    path.write_text(text)
    with pytest.raises(DataFormatError, match="row 1"):
        read_clutrr(path)
    missing = tmp_path / "bad.csv"
    missing.write_text("story,query\nx,y\n")
    with pytest.raises(DataFormatError, match="target"):
        read_clutrr(missing)
    with pytest.raises(DataFormatError, match="Name:male"):
        parse_genders("Ann:woman")


def test_inverse_relations_follow_the_gender_of_the_head() -> None:
    assert inverse_relation("father", "female") == "daughter"
    assert inverse_relation("aunt", "male") == "nephew"
    assert inverse_relation("husband", "female") == "wife"
    assert inverse_relation("son-in-law", "male") == "father-in-law"
    assert inverse_relation("sister", "unknown") is None
    assert relation_gender("niece") == "female"
    with pytest.raises(ValueError, match="cousin"):
        inverse_relation("cousin", "male")
