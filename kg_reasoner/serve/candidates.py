"""Entities to offer when a question got no answer, so the page can say what it could ask about.

An empty result means no entity of the question was found in the graph (or none led anywhere).
The candidates are the entities the question was linked to, then entities whose label is close
to a name that matched nothing ("[Pierre Currie]" -> Pierre Curie) or shares a word with it
("[Curie family]" -> Marie Curie, Pierre Curie).
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from kg_reasoner.retrieval.kb_index import KBIndex

MAX_CANDIDATES = 5
_WORD = re.compile(r"\w+")


def no_answer_candidates(result: dict[str, Any], index: KBIndex) -> list[dict[str, str]]:
    """Up to :data:`MAX_CANDIDATES` ``{"id", "label"}`` for a result without answers."""
    found: dict[str, str] = {}
    for mention in result.get("mentions", []):
        for entity in mention["entities"]:
            found.setdefault(str(entity["id"]), str(entity["label"]))
    labels = index.entity_labels
    for name in result.get("unmatched", []):
        close = difflib.get_close_matches(name, labels, n=MAX_CANDIDATES, cutoff=0.5)
        words = {w.casefold() for w in _WORD.findall(name) if len(w) > 2}
        sharing = [
            i for i, lab in enumerate(labels) if words & {w.casefold() for w in _WORD.findall(lab)}
        ]
        ranked = [labels.index(lab) for lab in close] + sorted(
            sharing, key=lambda i: len(labels[i])
        )
        for i in ranked[:MAX_CANDIDATES]:
            found.setdefault(index.entity_ids[i], labels[i])
    return [{"id": i, "label": lab} for i, lab in list(found.items())[:MAX_CANDIDATES]]


__all__ = ["MAX_CANDIDATES", "no_answer_candidates"]
