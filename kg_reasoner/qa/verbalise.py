"""Relation labels and relation paths as words, for display and for zero-shot path ranking."""

from __future__ import annotations

import re
from collections.abc import Sequence

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def relation_words(relation: str) -> str:
    """``born_in`` -> ``born in``; ``OrgBased_In`` -> ``org based in``; IRIs keep their tail."""
    tail = re.split(r"[/#]", relation)[-1]
    return " ".join(_CAMEL.sub(" ", tail).replace("_", " ").replace("-", " ").lower().split())


def verbalise_path(steps: Sequence[tuple[str, bool]], placeholder: str) -> str:
    """A relation path from the question entity as a phrase about it.

    ``[("born_in", False)]`` -> ``"ENTITY born in"``; ``[("spouse_of", True)]`` ->
    ``"spouse of ENTITY"`` (walked backwards); longer paths chain with "which" forwards and
    wrap the phrase backwards (``"flow through ENTITY based in"``: what flows through the
    place ENTITY is based in).
    """
    phrase = placeholder
    for i, (relation, inverse) in enumerate(steps):
        words = relation_words(relation)
        if i == 0:
            phrase = f"{words} {phrase}" if inverse else f"{phrase} {words}"
        else:
            phrase = f"{words} {phrase}" if inverse else f"{phrase}, which {words}"
    return phrase
