"""The one vocabulary of entity types: every NER label scheme the project meets, mapped to the
coarse types the graph stores (``PERSON``, ``ORG``, ``PLACE``, ...).

spaCy (OntoNotes: ``PERSON``, ``GPE``), CoNLL04 (``Peop``, ``Loc``) and other taggers (``PER``,
``LOCATION``) spell the same few kinds differently. Entity merging, the RDF classes, question
answering and the server's example questions all read them through this module, so a label means
the same thing everywhere, whatever its case.
"""

from __future__ import annotations

# label -> coarse type; keys are matched without regard to case (``Peop``, ``PEOP``, ``peop``)
COARSE_TYPES: dict[str, str] = {
    "PERSON": "PERSON", "PER": "PERSON", "Peop": "PERSON",
    "ORG": "ORG", "Org": "ORG", "ORGANIZATION": "ORG", "ORGANISATION": "ORG",
    "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "Loc": "PLACE", "LOCATION": "PLACE",
    "NORP": "GROUP", "EVENT": "EVENT", "WORK_OF_ART": "WORK", "PRODUCT": "PRODUCT",
    "LAW": "WORK", "LANGUAGE": "LANGUAGE",
    "DATE": "DATE", "TIME": "DATE",
    "MONEY": "VALUE", "PERCENT": "VALUE", "QUANTITY": "VALUE", "CARDINAL": "VALUE",
    "ORDINAL": "VALUE",
    "CONCEPT": "CONCEPT", "MISC": "MISC", "Other": "MISC",
}  # fmt: skip
_BY_UPPER = {label.upper(): coarse for label, coarse in COARSE_TYPES.items()}


def coarse_type(label: str) -> str:
    """Map a NER label (spaCy, CoNLL04...) to a coarse type; unknown labels become MISC."""
    return _BY_UPPER.get(label.upper(), "MISC")


def labels_of(coarse: str) -> frozenset[str]:
    """The coarse type and every label that maps to it, upper-cased (compare ``label.upper()``)."""
    return frozenset({coarse, *(label for label, c in _BY_UPPER.items() if c == coarse)})


PERSON_LABELS = labels_of("PERSON")  # PERSON, PER, PEOP
ORG_LABELS = labels_of("ORG")
PLACE_LABELS = labels_of("PLACE")
DATE_LABELS = labels_of("DATE")
