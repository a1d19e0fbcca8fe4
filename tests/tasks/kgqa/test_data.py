"""Reading KGQA questions, the fixed validation slice, and linking them to the KB."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_reasoner.errors import DataFormatError
from kg_reasoner.tasks.kgqa.data import read_questions, split_validation


def test_questions_file_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "q.txt"
    path.write_text("who directed [A]\tB\nno tab here\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"q.txt:2"):
        read_questions(path, group="1")
    path.write_text("who directed A\tB\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="brackets"):
        read_questions(path, group="1")


def test_validation_slice_is_fixed_by_the_seed(tmp_path: Path) -> None:
    path = tmp_path / "q.txt"
    path.write_text("".join(f"q{i} [E{i}]\tA\n" for i in range(40)), encoding="utf-8")
    records = read_questions(path, group="1")
    first = split_validation(records, fraction=0.1, seed=0)
    again = split_validation(records, fraction=0.1, seed=0)
    other = split_validation(records, fraction=0.1, seed=1)
    assert len(first[1]) == 4 and first == again
    assert first[1] != other[1]


def test_questions_link_to_graph_entities_by_label() -> None:
    from kg_reasoner.retrieval.kb_index import KBIndex
    from kg_reasoner.tasks.kgqa.data import QuestionRecord
    from kg_reasoner.tasks.kgqa.encoding import encode_records
    from tests.qa.toy_kb import BagOfWordsEmbedder

    index = KBIndex.from_triples(
        [("http://x/curie", "born_in", "http://x/warsaw")],
        labels={"http://x/curie": "Marie Curie", "http://x/warsaw": "Warsaw"},
    )
    records = [
        QuestionRecord("where was [Marie Curie] born", ("Marie Curie",), ("Warsaw",), "1"),
        QuestionRecord("where was [Nobody] born", ("Nobody",), ("Warsaw",), "1"),
    ]
    data = encode_records(records, index, BagOfWordsEmbedder(), placeholder="ENTITY")  # type: ignore[arg-type]
    assert data.usable == [0] and data.skipped == 1
    assert data.topics == [[index.entity_to_id["http://x/curie"]]]
    assert data.answers == [[index.entity_to_id["http://x/warsaw"]]]
