"""Order-aware answers: statements of one subject and relation family, ordered in time.

Which question forms use time (everything else is answered by relation similarity alone):

- current state: "Where is Mary?", "Where is Mary now?", "Who does Tom work for today?" (present
  tense or now/currently/at present/these days): the latest statement wins;
- "first" / "last" / "latest" / "most recently": the earliest or the latest statement;
- "before X" / "after X": the statement just before or just after the one naming X;
- anything else (past tense, a chain through another entity) keeps relation similarity.

A *timeline* is every one-hop statement from the question entity whose relation is in the
family of the best answer's relation, or for "where" questions in the *whereabouts* family
(went/moved/travelled/journeyed/returned to..., lived/stayed/based in..., joined/signed
for...). Statements are ordered by the date their sentence states when every statement of the
timeline has one, else by document and sentence position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg_reasoner.retrieval.kb_index import KBIndex, StatementTime

# relation families: a relation is in a family when its first word (the verb lemma) is listed.
# Whereabouts: where someone or something is, by moving there or joining it (a club, a firm).
FAMILIES: dict[str, frozenset[str]] = {
    "whereabouts": frozenset(
        {
            "go", "move", "travel", "journey", "return", "walk", "run", "drive", "fly", "head",
            "relocate", "come", "arrive", "transfer", "live", "stay", "settle", "reside", "base",
            "locate", "be_in", "emigrate", "reach", "climb", "join", "work", "hire", "sign",
            "play", "begin", "start",
            # passive participles keep their form in relation labels (based_in, located_in)
            "based", "located", "headquartered", "situated", "stationed", "moved", "relocated",
            "transferred",
        }
    ),
}  # fmt: skip
_MOVE_PREPOSITIONS = frozenset({"to", "in", "into", "at", "for", "back", "from"})

_FIRST = re.compile(r"\b(first|initially|originally|earliest|to begin with)\b", re.I)
_LAST = re.compile(
    r"\b(last|latest|most recent(ly)?|finally|in the end|now|currently|at present|"
    r"these days|today|presently|still)\b",
    re.I,
)
_BEFORE = re.compile(r"\b(before|prior to)\b", re.I)
_AFTER = re.compile(r"\b(after|following)\b", re.I)
_PRESENT = re.compile(r"^\s*(where|who|which|what)\s+(is|are|does|do)\b", re.I)


@dataclass(frozen=True)
class TimeQuery:
    """What a question asks of a timeline: ``latest``, ``earliest``, ``before`` or ``after``;
    ``anchor_from`` is where the before/after phrase starts (its entity is the anchor)."""

    mode: str
    anchor_from: int = -1


def time_query(question: str) -> TimeQuery | None:
    """The order a question asks for, or None when it asks for none."""
    for pattern, mode in ((_BEFORE, "before"), (_AFTER, "after")):
        match = pattern.search(question)
        if match:
            return TimeQuery(mode, match.end())
    if _FIRST.search(question):
        return TimeQuery("earliest")
    if _LAST.search(question) or _PRESENT.search(question):
        return TimeQuery("latest")
    return None


def relation_family(relation: str) -> str:
    """The family name of a relation label (``went_to`` -> location), or the label itself."""
    words = relation.lower().split("_")
    head = words[0]
    for name, verbs in FAMILIES.items():
        if head in verbs or "_".join(words[:2]) in verbs:
            if len(words) > 1 and words[-1] not in _MOVE_PREPOSITIONS:
                continue
            return name
    return relation


def _order_key(time: StatementTime, by_date: bool) -> tuple[str, str, int]:
    return (time.date if by_date else "", time.document, time.position)


@dataclass(frozen=True)
class TimelineEntry:
    """One statement of a timeline: when, from which start node, to which object, and the
    position of the edge in the start node's CSR row (to rebuild the evidence step)."""

    time: StatementTime
    start: int
    node: int
    edge: int


def timeline(
    index: KBIndex, starts: list[int], family: str, *, exclude: set[int] | None = None
) -> list[TimelineEntry]:
    """Every statement from ``starts`` over a forward relation of ``family``, in time order
    (several starts: the tied referents of one ambiguous name share one timeline)."""
    entries: list[TimelineEntry] = []
    for start in starts:
        neighbours, rels, triple_ids = index.out_edges(start)
        index.prefetch_times(
            tid for rel, tid in zip(rels.tolist(), triple_ids.tolist(), strict=True)
            if rel < index.num_base_relations and relation_family(index.relations[rel]) == family
        )  # fmt: skip
        for j, (nb, rel, tid) in enumerate(
            zip(neighbours.tolist(), rels.tolist(), triple_ids.tolist(), strict=True)
        ):
            if rel >= index.num_base_relations or (exclude and nb in exclude):
                continue
            if relation_family(index.relations[rel]) != family:
                continue
            entries += [TimelineEntry(t, start, nb, j) for t in index.times_of(tid)]
    entries = _destinations_only(index, entries)
    by_date = bool(entries) and all(e.time.date for e in entries)
    entries.sort(key=lambda e: _order_key(e.time, by_date))
    return entries


_DESTINATION = frozenset({"to", "into", "for"})


def _destinations_only(index: KBIndex, entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Within one sentence, a move's destination is the new state: "Later in the morning,
    Mary moved to the garden" keeps ``move_to garden`` and drops ``move_in`` the morning."""

    def is_destination(entry: TimelineEntry) -> bool:
        _, rels, _ = index.out_edges(entry.start)
        relation = index.relations[int(rels[entry.edge])]
        return relation.rsplit("_", 1)[-1] in _DESTINATION

    def sentence(entry: TimelineEntry) -> tuple[int, str, int]:
        return (entry.start, entry.time.document, entry.time.position)

    moved = {sentence(e) for e in entries if is_destination(e)}
    return [e for e in entries if sentence(e) not in moved or is_destination(e)]


def pick(entries: list[TimelineEntry], query: TimeQuery, anchors: set[int]) -> TimelineEntry | None:
    """The statement the question asks for, or None when the timeline cannot say."""
    if not entries:
        return None
    if query.mode == "latest":
        return entries[-1]
    if query.mode == "earliest":
        return entries[0]
    at = [i for i, e in enumerate(entries) if e.node in anchors]
    if not at:
        return None
    if query.mode == "before":
        i = at[-1] - 1
        while i >= 0 and entries[i].node in anchors:
            i -= 1
        return entries[i] if i >= 0 else None
    i = at[0] + 1
    while i < len(entries) and entries[i].node in anchors:
        i += 1
    return entries[i] if i < len(entries) else None
