"""Word shapes: casing and character-class features the uncased encoder cannot see."""

from __future__ import annotations

SHAPES: tuple[str, ...] = (
    "pad",
    "lower",  # house
    "title",  # London
    "upper",  # IBM
    "mixed",  # McDonald, iPhone
    "digit",  # 1994
    "alnum",  # FL1402001894, 3rd
    "punct",  # , . "
    "other",
)
_INDEX = {name: i for i, name in enumerate(SHAPES)}


def word_shape(word: str) -> int:
    """Index into :data:`SHAPES` of the word's shape class."""
    letters = [c for c in word if c.isalpha()]
    has_digit = any(c.isdigit() for c in word)
    if not letters:
        if has_digit:
            return _INDEX["digit"]
        return _INDEX["punct"] if all(not c.isalnum() for c in word) else _INDEX["other"]
    if has_digit:
        return _INDEX["alnum"]
    if all(c.islower() for c in letters):
        return _INDEX["lower"]
    if all(c.isupper() for c in letters):
        return _INDEX["upper"] if len(letters) > 1 else _INDEX["title"]
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return _INDEX["title"]
    return _INDEX["mixed"]
