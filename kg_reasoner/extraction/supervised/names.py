"""Surface forms -> canonical names, learnt from the entity names of the training data.

When training examples say which entity a span names (WebNLG's references tie "Danish" to
``Danish_language`` and "the U.S." to ``United_States``), the extractor keeps, for every surface
form, the name it stands for in most of its occurrences. A predicted span with a known surface
form is then labelled with that name; any other span keeps its own text. Surface forms are
compared by :func:`~kg_reasoner.extraction.canonical.canonical_key`, so case, articles and
punctuation do not matter.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from kg_reasoner.extraction.canonical import canonical_key
from kg_reasoner.extraction.supervised.data import Example


def display_name(name: str) -> str:
    """An id as words: ``Big_Hero_6_(film)`` -> ``Big Hero 6 (film)``; enclosing quotes dropped."""
    text = " ".join(name.replace("_", " ").split())
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    return text


def learn_names(examples: Iterable[Example], *, min_share: float = 0.5) -> dict[str, str]:
    """``{surface key: display name}`` for surface forms that name one entity in at least
    ``min_share`` of their occurrences and do not already spell that name."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for ex in examples:
        for ent in ex.entities:
            if ent.name:
                seen[canonical_key(" ".join(ex.tokens[ent.start : ent.end]))][ent.name] += 1
    names = {}
    for key, counts in seen.items():
        name, count = counts.most_common(1)[0]
        shown = display_name(name)
        if key and count >= min_share * sum(counts.values()) and canonical_key(shown) != key:
            names[key] = shown
    return dict(sorted(names.items()))


def link_name(names: Mapping[str, str], text: str) -> str:
    """The canonical name of a surface form, or "" when training never linked it."""
    return names.get(canonical_key(text), "") if names else ""
