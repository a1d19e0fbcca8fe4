"""Test stories whose text states a gold fact the other way round.

Some CLUTRR test templates swap their two people: "[Reynaldo] took his son [Tommy] out for
pizza" where the gold fact makes Reynaldo Tommy's son. A reader that reads the sentence right
then composes another relation than the target, so these stories bound what any reader of the
text can reach. :func:`reversed_statements` finds them with one plain pattern (a sentence naming
exactly two people, "[A] ... his/her [word] RELATION[,] [B]", read as "B is A's RELATION") and
counts a sentence when the gold fact between A and B has the opposite direction (a parent where
the text says a child, a grandchild where it says a grandparent, ...). It finds a lower bound:
sentences of other shapes are not checked.
"""

from __future__ import annotations

import re

from kg_reasoner.tasks.clutrr.data import ClutrrExample
from kg_reasoner.tasks.clutrr.story_graph import split_sentences

# Each relation word's family, and the family of the converse relation.
_FAMILY = {
    "father": "parent", "mother": "parent", "dad": "parent", "mom": "parent",
    "son": "child", "daughter": "child",
    "grandfather": "grandparent", "grandmother": "grandparent",
    "grandson": "grandchild", "granddaughter": "grandchild",
    "uncle": "uncle", "aunt": "uncle", "nephew": "nephew", "niece": "nephew",
    "father-in-law": "parent-in-law", "mother-in-law": "parent-in-law",
    "son-in-law": "child-in-law", "daughter-in-law": "child-in-law",
}  # fmt: skip
_CONVERSE = {
    "parent": "child", "child": "parent", "grandparent": "grandchild",
    "grandchild": "grandparent", "uncle": "nephew", "nephew": "uncle",
    "parent-in-law": "child-in-law", "child-in-law": "parent-in-law",
}  # fmt: skip
_POSSESSIVE = re.compile(
    r"^[^\[]*\[(?P<a>[^\]]+)\][^\[]*?\b(?:his|her)\s+(?:\w+\s+)?(?P<word>[a-z-]+),?\s+"
    r"\[(?P<b>[^\]]+)\]"
)


def stated_relation(sentence: str) -> tuple[str, str, str] | None:
    """``(A, relation word, B)`` for a sentence naming two people as "[A] ... his/her
    RELATION [B]" (B is A's RELATION), or None."""
    if sentence.count("[") != 2:
        return None
    match = _POSSESSIVE.search(sentence)
    if match is None or match["word"] not in _FAMILY:
        return None
    return match["a"], match["word"], match["b"]


def reversed_statements(example: ClutrrExample) -> list[str]:
    """The story's sentences that state a gold fact of the example in the opposite direction."""
    gold = {(u, v): _FAMILY.get(rel) for u, rel, v in example.edges}
    found = []
    for sentence in split_sentences(example.story):
        stated = stated_relation(sentence)
        if stated is None:
            continue
        a, word, b = stated
        said = _FAMILY[word]  # the text: B is A's <said>; the gold edge u -> v: v is u's r
        if gold.get((a, b)) == _CONVERSE[said] or gold.get((b, a)) == said:
            found.append(sentence)
    return found


__all__ = ["reversed_statements", "stated_relation"]
