"""Surface forms -> canonical names, learnt from the entity names of the training data.

When training examples say which entity a span names (WebNLG's references tie "Danish" to
``Danish_language`` and "the U.S." to ``United_States``), the extractor keeps, for every surface
form, the name it stands for in most of its occurrences. A predicted span with a known surface
form is then labelled with that name; any other span keeps its own text. Surface forms are
compared by :func:`~kg_reasoner.extraction.canonical.canonical_key`, so case, articles and
punctuation do not matter. A surface form whose name depends on the relation it takes part in
("English" is ``English_language`` as a ``language`` but ``English_people`` as an
``ethnicGroup``) also gets entries keyed ``surface|relation|head`` or ``surface|relation|tail``.

Names that qualify a place by its region (``Auburn,_Alabama``, ``Auburn,_Washington``) are also
kept as candidates under their head ("auburn", :func:`learn_qualified_names`): a text that names
the qualifier ("Auburn is part of Alabama") chooses the candidate it names, whatever the majority.
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


def learn_qualified_names(examples: Iterable[Example]) -> dict[str, list[str]]:
    """``{head key: [display names "Head, Qualifier", most frequent first]}``: every name of
    the training data that qualifies a place by its region after a comma (``Auburn, Alabama``,
    ``Pleasant Township, Steuben County, Indiana``), under the key of its head. Only entity
    names count (a value such as ``"Rome, Italy"`` does not), and a head that names an entity
    of its own at least as often (``Rome``) keeps its plain name."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    plain: Counter[str] = Counter()
    for ex in examples:
        for ent in ex.entities:
            if not ent.name or ent.name.startswith('"'):
                continue  # no name, or a quoted literal value
            name = display_name(ent.name)
            head, comma, qualifier = name.partition(", ")
            if comma and qualifier and canonical_key(head):
                seen[canonical_key(head)][name] += 1
            elif not comma:
                plain[canonical_key(name)] += 1
    return {
        key: [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        for key, counts in sorted(seen.items())
        if sum(counts.values()) > plain[key]
    }


def link_name(
    names: Mapping[str, str],
    text: str,
    roles: Iterable[tuple[str, str]] = (),
    *,
    qualified: Mapping[str, list[str]] | None = None,
    context: str = "",
) -> str:
    """The canonical name of a surface form, or "" when training never linked it.

    ``roles`` are the ``(relation, head|tail)`` the mention takes part in, most confident
    first; the first with a relation-specific entry decides. Before them, a qualified candidate
    (``qualified``) whose qualifier the words of the mention's text (``context``, from
    :func:`~kg_reasoner.extraction.canonical.word_key`) name wins.
    """
    key = canonical_key(text)
    if qualified:
        found = _qualified(qualified, key, context)
        if found:
            return found
    if not names:
        return ""
    for relation, role in roles:
        found = names.get(_relation_key(key, relation, role))
        if found:
            return found
    return names.get(key, "")


def _qualified(qualified: Mapping[str, list[str]], key: str, context: str) -> str:
    """The qualified name of ``key`` whose every qualifier the context names ("Auburn" in a
    text about Alabama), or the one a span "X in Y" spells (``Andrews in Texas``)."""
    head, inside, region = key.partition(" in ")
    if inside and head in qualified:
        for name in qualified[head]:
            if _qualifier_words(name) == region.split():
                return name
    if key in qualified and context:
        words = set(context.split())
        for name in qualified[key]:
            qualifier = _qualifier_words(name)
            if qualifier and words.issuperset(qualifier):
                return name
    return ""


def _qualifier_words(name: str) -> list[str]:
    return canonical_key(name.partition(", ")[2]).split()


def _surface(example: Example, span: tuple[int, int]) -> str:
    return canonical_key(" ".join(example.tokens[span[0] : span[1]]))


def _relation_key(surface: str, relation: str, role: str) -> str:
    return f"{surface}|{relation}|{role}"


def _majority(counts: Counter[str], min_share: float) -> str:
    name, count = counts.most_common(1)[0]
    return display_name(name) if count >= min_share * sum(counts.values()) else ""
