"""The CoNLL04-format reader: valid files, and malformed records named precisely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg_reasoner.errors import DataFormatError
from kg_reasoner.extraction.supervised.data import (
    Entity,
    Relation,
    parse_record,
    read_examples,
    write_examples,
)

GOOD = {
    "tokens": ["John", "works", "for", "IBM", "."],
    "entities": [[0, 1, "Peop"], [3, 4, "Org"]],
    "relations": [[0, 1, 3, 4, "Work_For"]],
    "orig_id": 7,
}


def test_reads_json_array_and_jsonl(tmp_path: Path) -> None:
    array = tmp_path / "a.json"
    array.write_text(json.dumps([GOOD, GOOD]), encoding="utf-8")
    lines = tmp_path / "a.jsonl"
    lines.write_text(json.dumps(GOOD) + "\n\n" + json.dumps(GOOD) + "\n", encoding="utf-8")
    for path in (array, lines):
        examples = read_examples(path)
        assert len(examples) == 2
        assert examples[0].entities == (Entity(0, 1, "Peop"), Entity(3, 4, "Org"))
        assert examples[0].relations == (Relation((0, 1), (3, 4), "Work_For"),)


def test_write_then_read_round_trip(tmp_path: Path) -> None:
    example = parse_record(GOOD)
    write_examples(tmp_path / "out.json", [example])
    assert read_examples(tmp_path / "out.json") == [example]


def test_missing_entities_and_relations_default_to_empty() -> None:
    example = parse_record({"tokens": ["Hello", "."]})
    assert example.entities == () and example.relations == ()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"tokens": []}, "field 'tokens'"),
        ({"tokens": ["a", 3, "c", "d", "e"]}, "field 'tokens[1]'"),
        ({"entities": [[0, 1, "Peop"], [3, 9, "Org"]]}, "field 'entities[1]'"),
        ({"entities": [[0, 1, "Peop"], [3, 3, "Org"]]}, "start < end"),
        ({"entities": [[0, 1], [3, 4, "Org"]]}, "field 'entities[0]'"),
        ({"entities": [[0, "1", "Peop"], [3, 4, "Org"]]}, "must be integers"),
        ({"entities": [[0, 1, "Peop"], [0, 1, "Org"]]}, "repeats the span"),
        ({"entities": {"0": 1}}, "field 'entities' must be a list"),
        ({"relations": [[0, 1, 2, 4, "Work_For"]]}, "tail span [2, 4] is not one of"),
        ({"relations": [[0, 1, 3, 4]]}, "field 'relations[0]'"),
        ({"relations": [[0, 1, 3, 4, ""]]}, "type must be a non-empty string"),
    ],
)
def test_malformed_record_names_record_and_field(
    tmp_path: Path, change: dict, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([GOOD, {**GOOD, **change}]), encoding="utf-8")
    with pytest.raises(DataFormatError) as info:
        read_examples(path)
    message = str(info.value)
    assert "record 1" in message and str(path) in message
    assert expected in message


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("x.json", "[{", "is not valid JSON"),
        ("x.json", '{"tokens": ["a"]}', "must hold a JSON array"),
        ("x.jsonl", '{"tokens": ["a"]}\n{oops', "line 2 is not valid JSON"),
        ("x.json", '[["a", "b"]]', "record 0: must be an object"),
    ],
)
def test_malformed_file_is_explained(tmp_path: Path, name: str, text: str, expected: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFormatError, match=expected.replace("[", r"\[")):
        read_examples(path)


def test_missing_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="not found"):
        read_examples(tmp_path / "nope.json")
