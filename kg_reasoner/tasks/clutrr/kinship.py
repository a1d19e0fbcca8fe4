"""The kinship vocabulary of CLUTRR and the gendered inverse of each relation.

An edge ``(u, r, v)`` reads "v is the r of u" (``(Donald, father, Michael)``: Michael is Donald's
father), as in CLUTRR's ``story_edges``/``edge_types``. Its inverse ``(v, r', u)`` depends on the
gender of ``u``: the inverse of ``father`` is ``son`` or ``daughter``.
"""

from __future__ import annotations

RELATIONS: tuple[str, ...] = (
    "father", "mother", "son", "daughter", "husband", "wife", "brother", "sister",
    "grandfather", "grandmother", "grandson", "granddaughter", "uncle", "aunt",
    "nephew", "niece", "father-in-law", "mother-in-law", "son-in-law", "daughter-in-law",
)
GENDERS: tuple[str, ...] = ("unknown", "male", "female")

# (male form, female form) of each relation family and the family of its inverse.
_FAMILIES: dict[str, tuple[str, str]] = {
    "parent": ("father", "mother"),
    "child": ("son", "daughter"),
    "spouse": ("husband", "wife"),
    "sibling": ("brother", "sister"),
    "grandparent": ("grandfather", "grandmother"),
    "grandchild": ("grandson", "granddaughter"),
    "parent_sibling": ("uncle", "aunt"),
    "sibling_child": ("nephew", "niece"),
    "parent_in_law": ("father-in-law", "mother-in-law"),
    "child_in_law": ("son-in-law", "daughter-in-law"),
}
_INVERSE_FAMILY: dict[str, str] = {
    "parent": "child", "child": "parent", "spouse": "spouse", "sibling": "sibling",
    "grandparent": "grandchild", "grandchild": "grandparent",
    "parent_sibling": "sibling_child", "sibling_child": "parent_sibling",
    "parent_in_law": "child_in_law", "child_in_law": "parent_in_law",
}
_FAMILY_OF: dict[str, str] = {r: fam for fam, forms in _FAMILIES.items() for r in forms}


def inverse_relation(relation: str, gender_of_head: str) -> str | None:
    """The relation of ``u`` to ``v`` given that ``v`` is ``relation`` of ``u``.

    Returns None when the gender of ``u`` is unknown (the inverse is then ambiguous).
    """
    family = _FAMILY_OF.get(relation)
    if family is None:
        raise ValueError(f"unknown kinship relation {relation!r}; known: {', '.join(RELATIONS)}")
    if gender_of_head not in ("male", "female"):
        return None
    male, female = _FAMILIES[_INVERSE_FAMILY[family]]
    return male if gender_of_head == "male" else female


def with_gender(relation: str, gender: str) -> str:
    """The form of ``relation`` for a person of ``gender`` (``brother`` + female -> ``sister``)."""
    family = _FAMILY_OF.get(relation)
    if family is None or gender not in ("male", "female"):
        return relation
    male, female = _FAMILIES[family]
    return male if gender == "male" else female


def relation_gender(relation: str) -> str:
    """The gender a relation implies for the person it names (``aunt`` -> ``female``)."""
    family = _FAMILY_OF.get(relation)
    if family is None:
        return "unknown"
    return "male" if _FAMILIES[family][0] == relation else "female"
