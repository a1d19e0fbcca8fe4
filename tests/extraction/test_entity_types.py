"""One entity-type vocabulary: a label means the same kind whatever its scheme or case."""

from __future__ import annotations

import pytest

from kg_reasoner.extraction.canonical import coarse_type
from kg_reasoner.extraction.entity_types import (
    DATE_LABELS,
    ORG_LABELS,
    PERSON_LABELS,
    PLACE_LABELS,
)


@pytest.mark.parametrize(
    ("labels", "coarse"),
    [
        (("PERSON", "PER", "Peop", "PEOP", "peop"), "PERSON"),
        (("ORG", "Org", "ORGANIZATION", "Organisation"), "ORG"),
        (("GPE", "LOC", "Loc", "FAC", "LOCATION", "Location"), "PLACE"),
        (("DATE", "TIME"), "DATE"),
        (("Other", "OTHER", "MISC", "SOMETHING_NEW"), "MISC"),
    ],
)
def test_every_spelling_of_a_label_has_one_coarse_type(
    labels: tuple[str, ...], coarse: str
) -> None:
    assert {label: coarse_type(label) for label in labels} == dict.fromkeys(labels, coarse)


def test_answer_typing_reads_the_same_families_as_graph_building() -> None:
    """The families question answering and the server compare ``type.upper()`` against: the
    coarse type the graph stores plus every label that maps to it."""
    families = {"PERSON": PERSON_LABELS, "PLACE": PLACE_LABELS, "ORG": ORG_LABELS,
                "DATE": DATE_LABELS}
    assert families == {
        "PERSON": {"PERSON", "PER", "PEOP"},
        "PLACE": {"PLACE", "GPE", "LOC", "FAC", "LOCATION"},
        "ORG": {"ORG", "ORGANIZATION", "ORGANISATION"},
        "DATE": {"DATE", "TIME"},
    }
    for coarse, labels in families.items():
        assert {coarse_type(label) for label in labels - {coarse}} == {coarse}
