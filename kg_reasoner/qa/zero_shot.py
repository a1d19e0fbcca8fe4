"""Zero-shot answering on any graph (e.g. one from `kgr build`) without a trained QA model.

The question entity is linked, every relation path of up to ``max_hops`` hops from it is
enumerated on the CSR index, each distinct relation path is verbalised ("ENTITY born in") and
ranked by cosine similarity to the question with the topic masked ("Where was ENTITY born?"),
using the packaged language model. An answer's score is the score of its best path, plus a small
bonus when its entity type fits the question word (who -> person, where -> place, when -> date,
how many -> value). A longer path counts only when it fits the question better than the path it
extends (by ``extension_margin``): a direct statement outranks a detour to another answer.
Literal objects (numbers, measures, dates) and concept nodes are answers like any entity.
Questions about a current state, first/last or before/after are answered from the order of the
statements (see :mod:`kg_reasoner.qa.time_order`).

What it can answer: factoid questions whose answer is an entity or value one or two extracted
relations away from an entity named in the question, when the relation's name says what the
question asks (born_in ~ "where was X born"). What it cannot: counting, comparison, yes/no,
aggregation, negation, questions needing relations the extractor did not produce, or entities it
cannot link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import torch

from kg_reasoner.extraction.entity_types import DATE_LABELS as _DATE
from kg_reasoner.extraction.entity_types import ORG_LABELS as _ORG
from kg_reasoner.extraction.entity_types import PERSON_LABELS as _PERSON
from kg_reasoner.extraction.entity_types import PLACE_LABELS as _PLACE
from kg_reasoner.models.kgqa.question_embedder import (
    DEFAULT_PLACEHOLDER,
    QuestionEmbedder,
    mask_spans,
)
from kg_reasoner.models.text_encoder import DEFAULT_ENCODER
from kg_reasoner.qa.answer import Answer, QAResult
from kg_reasoner.qa.evidence import Step, build_path
from kg_reasoner.qa.mentions import link_question, reading_notes
from kg_reasoner.qa.time_order import TimeQuery, pick, relation_family, time_query, timeline
from kg_reasoner.qa.verbalise import verbalise_path
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.retrieval.linking import EntityLinker

_VALUE = frozenset({"VALUE"})
# node types no walk goes through: a literal or a date is where a path ends
_TERMINAL = frozenset({"VALUE", "DATE"})
# a relation ending in one of these says where (born_in, moved_to, study_at)
_LOCATIVE = frozenset({"in", "at", "to", "from", "near", "into", "on"})
# question openings -> entity types they ask for (first match wins)
_EXPECTED_TYPES: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    (re.compile(r"\bhow (many|much|tall|high|long|old|big|large|far|deep|heavy)\b", re.I), _VALUE),
    (
        re.compile(r"^\s*(what|which) (is|was) the (number|population|height|length|area)\b", re.I),
        _VALUE,
    ),
    (re.compile(r"^\s*(in )?(what|which) (year|date|month|day)\b", re.I), _DATE),
    (
        re.compile(
            r"^\s*(which|what)\s+(company|companies|organi[sz]ations?|firms?|clubs?|teams?|"
            r"universit(y|ies)|schools?|bands?|banks?)\b",
            re.I,
        ),
        _ORG,
    ),
    (re.compile(r"^\s*(which|what)\s+(city|cities|country|countries|place|town)\b", re.I), _PLACE),
    (re.compile(r"^\s*when\b", re.I), _DATE),
    (re.compile(r"^\s*(who|whom|whose)\b", re.I), _PERSON | _ORG),
    (re.compile(r"^\s*where\b", re.I), _PLACE),
)


# calibrated by scripts/calibrate_answer_threshold.py (benchmarks/results/answer_threshold.json)
DEFAULT_ANSWER_THRESHOLD = 0.745


@dataclass(frozen=True)
class ZeroShotSettings:
    """Search and scoring knobs of zero-shot answering.

    ``answer_threshold``: a best answer scoring below it is not an answer but a candidate, and
    the result says "not found in the graph". The default is chosen by
    ``scripts/calibrate_answer_threshold.py`` on ``kg_data/sample_questions.jsonl``
    (``benchmarks/results/answer_threshold.json``); ``-inf`` always answers. An answer picked
    from the order of statements (latest, before/after) is not judged by it: its score is
    that of the relation family, and the timeline is the evidence."""

    max_hops: int = 2
    max_paths: int = 5000
    type_bonus: float = 0.15
    hop_penalty: float = 0.1
    extension_margin: float = -0.05
    chain_bonus: float = 0.1
    lexical_bonus: float = 0.1
    coverage_bonus: float = 0.15
    cooccurrence_bonus: float = 0.1
    selection_margin: float = 0.02
    topic_can_be_answer: bool = False
    placeholder: str = DEFAULT_PLACEHOLDER
    answer_threshold: float = DEFAULT_ANSWER_THRESHOLD


def expected_types(question: str) -> frozenset[str]:
    """Entity types the question word asks for (empty when it says nothing)."""
    for pattern, types in _EXPECTED_TYPES:
        if pattern.search(question):
            return types
    return frozenset()


# "the founder of X", "the company that X joined", "the city where X is based", "founded by X"
_DESCRIPTION = re.compile(
    r"\bthe\s+[\w-]+(\s+[\w-]+){0,2}\s+(of|that|where|which|who|whom|by)\s*$", re.I
)
_COPULAR_WH = re.compile(r"^\s*(who|what|which)\s+(is|was|are|were)\s+the\b", re.I)


# relation words that carry no content of their own (born_date: "born" is the content)
_FUNCTION_WORDS = frozenset(
    {"of", "in", "on", "at", "to", "for", "by", "from", "with", "into", "as", "is", "a", "an"}
    | {"the", "date", "count", "up", "back"}
)
_WORD = re.compile(r"[a-z]+")
# question words that name no relation (wh-words, auxiliaries, the entity placeholder)
_QUESTION_WORDS = (
    "who whom whose what which when where why how many much does did do was were are has have "
    "had entity the this that there"
)
_QUESTION_STEMS = frozenset(w[:4] for w in _QUESTION_WORDS.split(" "))


def _stems(text: str) -> set[str]:
    return {w[:4] for w in _WORD.findall(text.lower()) if w not in _FUNCTION_WORDS}


def lexical_overlap(question: str, relations: list[str]) -> tuple[float, float]:
    """``(share of the path's content words the question uses, share of the question's
    content words the path uses)``, by 4-letter stem: "work for" in "Which organisation did X
    work for?" supports ``work_for``; "founder ... born" wants both relations of a chain."""
    words = _stems(" ".join(r.replace("_", " ") for r in relations))
    asked = _stems(question) - _QUESTION_STEMS
    shared = len(words & asked)
    return (shared / len(words) if words else 0.0, shared / len(asked) if asked else 0.0)


_WHICH_NOUN = re.compile(r"^\s*(?:in |from |to |for |at )?(?:which|what)\s+([a-z]+)\b", re.I)
_NOT_CLASSES = frozenset({"is", "was", "are", "were", "does", "did", "do", "has", "have", "kind"})


def asked_class(question: str) -> str:
    """The stem of the noun a "which <noun>" question asks for ("Which river..." -> "rive")."""
    match = _WHICH_NOUN.match(question)
    if match is None or match.group(1).lower() in _NOT_CLASSES:
        return ""
    return match.group(1).lower()[:4]


def asks_chain(question: str, span: tuple[int, int]) -> bool:
    """True when the entity at ``span`` is named through a description that the question then
    asks something else about ("Where was the founder of X born?"), so the answer is two
    relations away. "Who is the founder of X?" asks for the description itself: one hop."""
    before, after = question[: span[0]], question[span[1] :]
    if not _DESCRIPTION.search(before):
        return False
    rest = re.sub(r"[^\w\s-]", " ", after).split()
    return bool(rest) or not _COPULAR_WH.search(before)


def type_fit(wanted: frozenset[str], etype: str, relation: str, inverse: bool) -> float:
    """How well an answer of type ``etype`` reached over ``relation`` fits the question word:
    1 fits, 0 says nothing, -0.5 another kind of name, -1 wrong kind of node (a number for
    "who", a concept for "how many"). For "where", a relation that ends in a place
    preposition fits whatever the tagger called its object ("studied at Oxford")."""
    etype = etype.upper()
    if not wanted:
        return 0.0
    if relation == "is_a":
        return -1.0  # "X is a climber" says what X is, not who, where, when or how many
    if etype in wanted:
        return 1.0
    last_word = relation.lower().rsplit("_", 1)[-1]
    if wanted == _PLACE:
        if etype in _PERSON or etype in _TERMINAL:
            return -1.0
        return 1.0 if last_word in _LOCATIVE and not inverse else 0.0
    if wanted == _DATE:
        return 1.0 if last_word == "date" and not inverse else -1.0
    if wanted == _VALUE or etype in _TERMINAL or etype == "CONCEPT":
        return -1.0
    return 0.0 if etype in {"MISC", ""} else -0.5


def enumerate_paths(
    index: KBIndex, start: int, max_hops: int, limit: int, *, return_to_start: bool = False
) -> list[list[Step]]:
    """Simple walks (no repeated node) of 1..max_hops hops from ``start``, at most ``limit``.

    With ``return_to_start`` a walk of two or more hops may end where it began (so the question
    entity itself can be an answer, e.g. "the spouse of the spouse of X"). Walks end at values
    and dates: two facts sharing the number 34 are not a chain."""
    paths: list[list[Step]] = []
    frontier: list[list[Step]] = [[]]
    for _ in range(max_hops):
        grown: list[list[Step]] = []
        for steps in frontier:
            node = steps[-1][1] if steps else start
            if steps and index.entity_type(node).upper() in _TERMINAL:
                continue
            visited = {start, *(s[1] for s in steps)}
            neighbours, rels, triple_ids = index.out_edges(node)
            for nb, rel, tid in zip(
                neighbours.tolist(), rels.tolist(), triple_ids.tolist(), strict=True
            ):
                closes = return_to_start and nb == start and len(steps) >= 1
                if nb in visited and not closes:
                    continue
                (paths if closes else grown).append([*steps, (node, nb, rel, tid)])
                if len(paths) + len(grown) >= limit:
                    break
        paths += grown
        frontier = grown
        if len(paths) >= limit or not frontier:
            break
    return paths[:limit]


class ZeroShotAnswerer:
    """Ranks relation paths from the question entity by similarity to the question."""

    method = "zero-shot"

    def __init__(
        self,
        index: KBIndex,
        *,
        graph: Any = None,
        embedder: QuestionEmbedder | None = None,
        settings: ZeroShotSettings | None = None,
        max_paths_per_answer: int = 3,
    ) -> None:
        self.index = index
        self.graph = graph
        self.embedder = embedder or QuestionEmbedder(DEFAULT_ENCODER)
        self.settings = settings or ZeroShotSettings()
        self.linker = EntityLinker(index)
        self.max_paths_per_answer = max_paths_per_answer

    def warm_up(self) -> None:
        self.embedder.embed(["warm up"])

    @torch.no_grad()
    def answer(self, question: str, *, top_k: int = 10) -> QAResult:
        cfg = self.settings
        result, link = link_question(self.linker, question, self.method)
        when = time_query(question)
        anchors: set[int] = set()
        if when is not None and when.anchor_from >= 0:
            anchors = {
                c.entity for m in link.mentions if m.start >= when.anchor_from for c in m.best
            }
        topics = [t for t in link.topic_entities if t not in anchors] or link.topic_entities
        named = [t for t in topics if self.index.entity_type(t).upper() != "CONCEPT"]
        topics = named or topics  # "the city" in a question naming Gdansk is not a topic
        topics += [e for t in topics for e in self.linker.short_forms(t) if e not in topics]
        if not topics:
            return result
        paths = [
            p
            for t in topics
            for p in enumerate_paths(
                self.index, t, cfg.max_hops, cfg.max_paths, return_to_start=cfg.topic_can_be_answer
            )
        ]
        if not cfg.topic_can_be_answer:
            paths = [p for p in paths if p[-1][1] not in topics]
        if not paths:
            result.notes.append("the linked entities have no relations in the graph")
            return result
        signatures = sorted(
            {tuple(s[2] for s in p[:n]) for p in paths for n in range(1, len(p) + 1)}
        )
        topic_spans = [
            (m.start, m.end) for m in link.mentions if any(c.entity in topics for c in m.best)
        ]
        masked = mask_spans(question, topic_spans, cfg.placeholder)
        sig_score = self._signature_scores(masked, signatures)
        wanted = expected_types(question)
        chained = any(asks_chain(question, span) for span in topic_spans)
        asked = asked_class(question)
        others = self._other_sentences(link)
        best: dict[int, list[tuple[float, list[Step]]]] = {}
        for path in paths:
            sig = tuple(s[2] for s in path)
            weak = (
                sig_score[sig] < sig_score[sig[:-1]] + cfg.extension_margin
                if len(sig) > 1
                else False
            )
            if weak and not chained:
                continue  # the last hop explains nothing more of the question
            score = self._path_score(path, sig_score, wanted, chained=chained, asked=asked)
            relations = [
                self.index.relations[step[2] % self.index.num_base_relations] for step in path
            ]
            precision, recall = lexical_overlap(masked, relations)
            score += cfg.lexical_bonus * precision + cfg.coverage_bonus * recall
            score += cfg.cooccurrence_bonus * self._cooccurring(path, others)
            best.setdefault(path[-1][1], []).append((score, path))
        ordered = None
        if when is not None:
            ordered = self._order_by_time(best, topics, anchors, when, question, result)
        ranked = sorted(best.items(), key=lambda kv: -max(s for s, _ in kv[1]))[:top_k]
        top_score = max(s for s, _ in ranked[0][1])
        judged = ordered is None or ranked[0][0] != ordered
        result.answer_threshold = cfg.answer_threshold
        result.confidence = round(top_score, 4) if judged else None
        abstain = judged and top_score < cfg.answer_threshold
        readings = {c.entity for m in link.ambiguous for c in m.best}
        for end, scored in ranked:
            scored.sort(key=lambda sp: -sp[0])
            score = scored[0][0]
            evidence = tuple(
                build_path(self.index, p, s, graph=self.graph)
                for s, p in scored[: self.max_paths_per_answer]
            )
            start = scored[0][1][0][0]
            result.answers.append(
                Answer(
                    self.index.entity_ids[end],
                    self.index.entity_labels[end],
                    round(score, 4),
                    not abstain and bool(score >= top_score - cfg.selection_margin),
                    evidence,
                    reading=self.index.entity_ids[start] if start in readings else "",
                )
            )
        if abstain:
            result.notes.append(
                f"not found in the graph: the best candidate, {result.answers[0].label}, "
                f"scores {top_score:.3f}, below the answer threshold {cfg.answer_threshold:.3f}"
            )
        result.notes += reading_notes(result)
        result.subgraph = {
            "nodes": len({s[1] for p in paths for s in p} | set(topics)),
            "edges": len({s[3] for p in paths for s in p}),
            "truncated": len(paths) >= cfg.max_paths,
        }
        return result

    def _other_sentences(self, link: Any) -> list[tuple[set[int], set[tuple[str, int]]]]:
        """Per linked mention, the sentences stating something about it (document, position):
        a question naming two things ("work for in New York") asks about the sentence that
        states both."""
        if len(link.mentions) < 2:
            return []  # nothing to share a sentence with: no statement is read
        out = []
        for mention in link.mentions:
            sentences: set[tuple[str, int]] = set()
            for cand in mention.best:
                _, _, triple_ids = self.index.out_edges(cand.entity)
                tids = triple_ids.tolist()
                self.index.prefetch_times(tids)
                for tid in tids:
                    for t in self.index.times_of(tid):
                        sentences.add((t.document, t.position))
            out.append(({c.entity for c in mention.best}, sentences))
        return out if len(out) > 1 else []

    def _cooccurring(
        self, path: list[Step], others: list[tuple[set[int], set[tuple[str, int]]]]
    ) -> int:
        """How many linked mentions off the path share a sentence with the statement of the
        path's last hop (a mention the path walks through is connected already)."""
        if not others:
            return 0
        stated = {(t.document, t.position) for t in self.index.times_of(path[-1][3])}
        on_path = {path[0][0], *(step[1] for step in path)}
        return sum(1 for ents, sentences in others if not ents & on_path and stated & sentences)

    def _signature_scores(
        self, masked: str, signatures: list[tuple[int, ...]]
    ) -> dict[tuple[int, ...], float]:
        """Cosine similarity of each relation path's phrase to the masked question."""
        base = self.index.num_base_relations
        phrases = [
            verbalise_path(
                [(self.index.relations[r % base], r >= base) for r in sig],
                self.settings.placeholder,
            )
            for sig in signatures
        ]
        vectors = self.embedder.embed([masked, *phrases])
        similarity = (vectors[1:] @ vectors[0]).numpy()
        return {sig: float(similarity[i]) for i, sig in enumerate(signatures)}

    def _path_score(
        self,
        path: list[Step],
        sig_score: dict[tuple[int, ...], float],
        wanted: frozenset[str],
        *,
        chained: bool = False,
        asked: str = "",
    ) -> float:
        """Path similarity, less ``hop_penalty`` per extra hop (plus ``chain_bonus`` instead
        when the question describes its entity), plus the type fit of the answer."""
        cfg = self.settings
        per_hop = cfg.chain_bonus if chained else -cfg.hop_penalty
        score = sig_score[tuple(s[2] for s in path)] + per_hop * (len(path) - 1)
        base = self.index.num_base_relations
        _, end, rel, _ = path[-1]
        fit = type_fit(
            wanted, self.index.entity_type(end), self.index.relations[rel % base], rel >= base
        )
        return score + cfg.type_bonus * (fit + self._class_fit(end, asked))

    def _class_fit(self, node: int, asked: str) -> float:
        """1 when the answer is of the class a "which <noun>" question names: its name has the
        noun ("Which river...?" -> River Aire) or the graph says it is one (is_a river)."""
        if not asked:
            return 0.0
        if asked in _stems(self.index.entity_labels[node]):
            return 1.0
        neighbours, rels, _ = self.index.out_edges(node)
        for nb, rel in zip(neighbours.tolist(), rels.tolist(), strict=True):
            if self.index.relations[rel % self.index.num_base_relations] != "is_a":
                continue
            if rel < self.index.num_base_relations and asked in _stems(
                self.index.entity_labels[nb]
            ):
                return 1.0
        return 0.0

    def _order_by_time(
        self,
        best: dict[int, list[tuple[float, list[Step]]]],
        topics: list[int],
        anchors: set[int],
        when: TimeQuery,
        question: str,
        result: QAResult,
    ) -> int | None:
        """Put the statement the question's time form asks for (latest, first, before/after X)
        on top, when the best answer's relation family has a timeline of several statements;
        returns the node put on top (None when the order decided nothing)."""
        if not best:
            return None
        _, top_paths = max(best.items(), key=lambda kv: max(s for s, _ in kv[1]))
        top_score, top_path = max(top_paths, key=lambda sp: sp[0])
        if len(top_path) > 1 and not anchors:
            return None  # a chain ("the company that X joined") is not about X's timeline
        base = self.index.num_base_relations
        families = [relation_family(self.index.relations[top_path[0][2] % base])]
        if re.match(r"^\s*where\b", question, re.I) and "whereabouts" not in families:
            families.insert(0, "whereabouts")
        for family in families:
            entries = timeline(self.index, topics, family, exclude=set(topics))
            if len({e.node for e in entries}) < 2:
                continue
            chosen = pick(entries, when, anchors)
            if chosen is None:
                continue
            _, rels, triple_ids = self.index.out_edges(chosen.start)
            step = (chosen.start, chosen.node, int(rels[chosen.edge]), int(triple_ids[chosen.edge]))
            score = top_score + self.settings.selection_margin + 1e-3
            others = [(sc, p) for sc, p in best.get(chosen.node, []) if p != [step]]
            best[chosen.node] = [(score, [step]), *others]
            result.notes.append(
                f"{when.mode} of {len(entries)} statements of {family!r} about "
                f"{self.index.entity_labels[chosen.start]}, in document and sentence order: "
                f"{chosen.time.document} sentence {chosen.time.position}"
            )
            return chosen.node
        return None
