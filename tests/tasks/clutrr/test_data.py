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


def _hf_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    """A Hugging Face ``CLUTRR/v1``-style CSV: integer ``target``, the name in ``target_text``."""
    import csv

    columns = ["id", "story", "query", "target", "target_text", "story_edges", "edge_types",
               "genders", "task_name", "task_split"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows([{"task_split": "test", **r} for r in rows])
    return path


_HF_CLEAN = {
    "id": "a1", "story": "[Ann] drove her son [Bob] home. [Bob] and his brother [Cal] ate.",
    "query": "('Ann', 'Cal')", "target": "2", "target_text": "son",
    "story_edges": "[(0, 1), (1, 2)]", "edge_types": "['son', 'brother']",
    "genders": "Ann:female,Bob:male,Cal:male", "task_name": "task_1.2",
}
# a robustness row: two typed chain edges, then two untyped noise edges (to Dee)
_HF_NOISY = {
    **_HF_CLEAN, "id": "a2", "story": _HF_CLEAN["story"] + " [Ann] met her sister [Dee].",
    "story_edges": "[(0, 1), (1, 2), (0, 3), (3, 0)]",
    "genders": "Ann:female,Bob:male,Cal:male,Dee:female", "task_name": "task_3.2",
}


def test_reads_the_hugging_face_release_with_noise_edges(tmp_path: Path) -> None:
    clean, noisy = read_clutrr(_hf_csv(tmp_path / "hf.csv", [_HF_CLEAN, _HF_NOISY]))
    assert clean.target == noisy.target == "son"  # target_text, not the id
    assert clean.edges == (("Ann", "son", "Bob"), ("Bob", "brother", "Cal"))
    assert clean.noise == "clean" and clean.noise_edges == 0 and clean.k == 2
    # the typed chain edges are the gold graph; the untyped noise edges are only counted
    assert noisy.edges == clean.edges and noisy.noise_edges == 2
    assert noisy.noise == "irrelevant" and noisy.k == 2


def test_emnlp_rows_get_their_noise_kind_from_the_task_name(tmp_path: Path) -> None:
    (first,) = read_clutrr(write_csv(tmp_path / "t.csv", 1, k=3))
    assert first.noise == "clean" and first.noise_edges == 0


@pytest.mark.parametrize(("change", "message"), [
    ({"target": "son"}, "integer relation id"),
    ({"target_text": "cousin"}, "unknown target 'cousin'"),
    ({"story_edges": "[(0, 1)]"}, "1 story_edges but 2 edge_types"),
    ({"story_edges": "[(0, 1), (1, 9)]"}, "not in genders"),
    ({"story_edges": "[(0, 1), 'x']"}, "not a pair"),
    ({"edge_types": "['son', 'cousin']"}, "unknown edge type"),
    ({"query": "Ann and Cal"}, "not literals"),
])
def test_malformed_hugging_face_rows_are_one_line_errors(
    tmp_path: Path, change: dict[str, str], message: str
) -> None:
    path = _hf_csv(tmp_path / "hf.csv", [_HF_CLEAN, {**_HF_CLEAN, **change}])
    with pytest.raises(DataFormatError, match="row 2") as caught:
        read_clutrr(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_template_split_holds_out_templates_not_stories(tmp_path: Path) -> None:
    from kg_reasoner.tasks.clutrr.data import (
        split_by_template,
        split_validation,
        story_templates,
        unseen_template_fraction,
    )

    examples = read_clutrr(write_csv(tmp_path / "t.csv", 60, k=2, seed=4))
    train, val = split_by_template(examples, 0.2, seed=0)
    assert train and val and len(train) + len(val) == len(examples)
    seen = set().union(*(story_templates(e.story) for e in train))
    # every validation story has a sentence template no training story uses
    assert all(story_templates(e.story) - seen for e in val)
    assert unseen_template_fraction(train, val) > 0
    assert unseen_template_fraction(train, train) == 0
    # names are masked: two stories differing only in names share their templates
    assert story_templates("[Ann] met her son [Bob].") == story_templates("[Eve] met her son [X].")
    # the story split, by contrast, leaves seen templates in validation
    s_train, s_val = split_validation(examples, 0.2, 0, "story")
    assert unseen_template_fraction(s_train, s_val) == 0
    assert split_by_template(examples, 0.2, seed=0) == (train, val)  # seeded
    with pytest.raises(DataFormatError, match="validation split"):
        split_validation(examples, 0.2, 0, "sentence")


def test_train_sample_draws_stories_from_every_part_of_the_file(tmp_path: Path) -> None:
    from kg_reasoner.tasks.clutrr.data import sample_stories

    examples = read_clutrr(write_csv(tmp_path / "a.csv", 30, k=2)) + read_clutrr(
        write_csv(tmp_path / "b.csv", 30, k=3))
    sample = sample_stories(examples, 20, seed=1)
    assert len(sample) == 20 and {e.k for e in sample} == {2, 3}  # not just the first rows
    assert sample == sample_stories(examples, 20, seed=1)
    assert [examples.index(e) for e in sample] == sorted(examples.index(e) for e in sample)
    assert sample_stories(examples, None, 1) == examples
