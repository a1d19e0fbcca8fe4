"""Finding test stories whose text states a gold fact the other way round."""

from __future__ import annotations

import pytest

from kg_reasoner.tasks.clutrr.consistency import reversed_statements, stated_relation
from kg_reasoner.tasks.clutrr.data import ClutrrExample


def story(text: str, *edges: tuple[str, str, str]) -> ClutrrExample:
    return ClutrrExample(id="s", story=text, head="A", tail="C", edges=edges)


@pytest.mark.parametrize(
    ("sentence", "stated"),
    [("[Kirk] took his son [Michael] out for pizza.", ("Kirk", "son", "Michael")),
     ("[Jean] went to dinner with her daughter [Judy].", ("Jean", "daughter", "Judy")),
     ("[Philip] got his son, [Reynaldo], a car.", ("Philip", "son", "Reynaldo")),
     ("[David] took his favorite son [George] to a game.", ("David", "son", "George")),
     ("[Amy] and her dad [Bo] went hiking.", ("Amy", "dad", "Bo")),
     ("[Ann] and her brother [Bo] went out.", None),  # siblings have no direction
     ("[Ann] met [Bo] and her son [Cy].", None),  # three people: whose son is unclear
     ("[Ann] smiled at [Bo].", None)],
)  # fmt: skip
def test_the_pattern_reads_who_is_whose_relative(
    sentence: str, stated: tuple[str, str, str] | None
) -> None:
    assert stated_relation(sentence) == stated


def test_a_sentence_stating_the_converse_of_the_gold_fact_is_found() -> None:
    text = "[A] took his son [B] out for pizza. [B] and his sister [C] went out."
    # the gold fact makes A B's son (B -son-> A), the text makes B A's son
    assert reversed_statements(story(text, ("B", "son", "A"), ("B", "sister", "C"))) == [
        "[A] took his son [B] out for pizza."
    ]
    # stated either way round the gold graph agrees: nothing is found
    assert reversed_statements(story(text, ("A", "son", "B"), ("B", "sister", "C"))) == []
    assert reversed_statements(story(text, ("B", "father", "A"), ("B", "sister", "C"))) == []
    # a gold parent where the text says a child, stated from the other side
    assert reversed_statements(story(text, ("A", "father", "B"))) == [
        "[A] took his son [B] out for pizza."
    ]
