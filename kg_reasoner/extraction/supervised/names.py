"""Surface forms -> canonical names, learnt from the entity names of the training data.

When training examples say which entity a span names (WebNLG's references tie "Danish" to
``Danish_language`` and "the U.S." to ``United_States``), the extractor keeps, for every surface
form, the name it stands for in most of its occurrences. A predicted span with a known surface
form is then labelled with that name; any other span keeps its own text. Surface forms are
compared by :func:`~kg_reasoner.extraction.canonical.canonical_key`, so case, articles and
punctuation do not matter. A surface form whose name depends on the relation it takes part in
("English" is ``English_language`` as a ``language`` but ``English_people`` as an
``ethnicGroup``) also gets entries keyed ``surface|relation|head`` or ``surface|relation|tail``.
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
    """``{surface key: display name}`` (and ``{surface|relation|role: name}``) for surface forms
    that name one entity in at least ``min_share`` of their occurrences, where that differs
    from the surface itself (or, for a relation, from the plain entry)."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    in_relation: dict[str, Counter[str]] = defaultdict(Counter)
    for ex in examples:
        named = {e.span: e for e in ex.entities if e.name}
        for ent in named.values():
            seen[_surface(ex, ent.span)][ent.name] += 1
        for rel in ex.relations:
            for role, span in (("head", rel.head), ("tail", rel.tail)):
                if span in named:
                    key = _relation_key(_surface(ex, span), rel.type, role)
                    in_relation[key][named[span].name] += 1
    names = {}
    for key, counts in seen.items():
        name = _majority(counts, min_share)
        if key and name and canonical_key(name) != key:
            names[key] = name
    for key, counts in in_relation.items():
        name = _majority(counts, min_share)
        surface = key.split("|", 1)[0]
        plain = canonical_key(names[surface]) if surface in names else surface
        if surface and name and canonical_key(name) != plain:
            names[key] = name
    return dict(sorted(names.items()))


def link_name(names: Mapping[str, str], text: str, roles: Iterable[tuple[str, str]] = ()) -> str:
    """The canonical name of a surface form, or "" when training never linked it.

    ``roles`` are the ``(relation, head|tail)`` the mention takes part in, most confident
    first; the first with a relation-specific entry decides.
    """
    if not names:
        return ""
    key = canonical_key(text)
    for relation, role in roles:
        found = names.get(_relation_key(key, relation, role))
        if found:
            return found
    return names.get(key, "")


def _surface(example: Example, span: tuple[int, int]) -> str:
    return canonical_key(" ".join(example.tokens[span[0] : span[1]]))


def _relation_key(surface: str, relation: str, role: str) -> str:
    return f"{surface}|{relation}|{role}"


def _majority(counts: Counter[str], min_share: float) -> str:
    name, count = counts.most_common(1)[0]
    return display_name(name) if count >= min_share * sum(counts.values()) else ""
