"""The labelled-text reader: CSV and JSONL with configurable fields; malformed input is one
DataFormatError naming file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_reasoner.errors import DataFormatError
from kg_reasoner.tasks.classification.collate import to_example
from kg_reasoner.tasks.classification.data import LabelledText, read_labelled_texts


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_and_jsonl_with_configured_fields(tmp_path: Path) -> None:
    content = 'body,topic\n"Curie, a chemist",science\nApple,business\n'
    csv_file = _write(tmp_path / "a.csv", content)
    rows = read_labelled_texts(csv_file, text_field="body", label_field="topic")
    assert [(r.text, r.label) for r in rows] == [("Curie, a chemist", "science"),
                                                  ("Apple", "business")]
    assert rows[1].source.endswith("a.csv:3")
    jsonl = _write(tmp_path / "a.jsonl", '{"t": "x y", "y": 1}\n\n{"t": "z", "y": 0}\n')
    rows = read_labelled_texts(jsonl, text_field="t", label_field="y")
    assert [(r.text, r.label, r.source.rsplit(":", 1)[1]) for r in rows] == [
        ("x y", "1", "1"), ("z", "0", "3")]
    assert len(read_labelled_texts(jsonl, text_field="t", label_field="y", limit=1)) == 1


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bad.jsonl", '{"text": "a", "label": "x"}\n{"text": "b", label}\n',
     r"bad\.jsonl:2: not valid JSON"),
    ("list.jsonl", '["a", "x"]\n', r"list\.jsonl:1: expected a JSON object"),
    ("nofield.csv", "body,label\nhello,x\n", r"nofield\.csv:2: no 'text' field"),
    ("empty.csv", "text,label\n  ,x\nb,y\n", r"empty\.csv:2: the 'text' field is empty"),
    ("extra.csv", "text,label\na,b,c\n", r"extra\.csv:2: more values than header"),
    ("nolabel.jsonl", '{"text": "a"}\n', r"nolabel\.jsonl:1: no 'label' value"),
    ("header.csv", "", r"header\.csv: empty CSV"),
])
def test_malformed_input_names_the_line(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    with pytest.raises(DataFormatError, match=message):
        read_labelled_texts(_write(tmp_path / name, content))


def test_missing_file_and_unknown_label(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="data file not found"):
        read_labelled_texts(tmp_path / "nope.csv")
    with pytest.raises(DataFormatError, match=r"f:3: label 'z' is not one of the training"):
        to_example(LabelledText("t", "z", "f:3"), ["x", "y"])
    assert to_example(LabelledText("t", "y", "f:3"), ["x", "y"]).gold == 1
