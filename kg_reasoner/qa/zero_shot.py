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

from kg_reasoner.models.kgqa.question_embedder import (
    DEFAULT_PLACEHOLDER,
    QuestionEmbedder,
    mask_spans,
)
from kg_reasoner.models.text_encoder import DEFAULT_ENCODER
from kg_reasoner.qa.answer import Answer, QAResult
from kg_reasoner.qa.evidence import Step, build_path
from kg_reasoner.qa.mentions import link_question
from kg_reasoner.qa.time_order import TimeQuery, pick, relation_family, time_query, timeline
from kg_reasoner.qa.verbalise import verbalise_path
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.retrieval.linking import EntityLinker

_PERSON = frozenset({"PERSON", "PER", "PEOP"})
_PLACE = frozenset({"GPE", "LOC", "FAC", "LOCATION", "PLACE"})
_ORG = frozenset({"ORG", "ORGANIZATION", "ORGANISATION"})
_DATE = frozenset({"DATE", "TIME"})
_VALUE = frozenset({"VALUE"})
# node types no walk goes through: a literal or a date is where a path ends
_TERMINAL = frozenset({"VALUE", "DATE"})
# node types that neither fit nor contradict a question word ("the hallway" for "where")
_NEUTRAL = frozenset({"CONCEPT", "MISC", ""})
# question openings -> entity types they ask for (first match wins)
_EXPECTED_TYPES: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    (re.compile(r"\bhow (many|much|tall|high|long|old|big|large|far|deep|heavy)\b", re.I), _VALUE),
    (
        re.compile(r"^\s*(what|which) (is|was) the (number|population|height|length|area)\b", re.I),
        _VALUE,
    ),
    (re.compile(r"^\s*(in )?(what|which) (year|date|month|day)\b", re.I), _DATE),
    (re.compile(r"^\s*(which|what)\s+(company|companies|organi[sz]ations?|firms?)\b", re.I), _ORG),
    (re.compile(r"^\s*(which|what)\s+(city|cities|country|countries|place|town)\b", re.I), _PLACE),
    (re.compile(r"^\s*when\b", re.I), _DATE),
    (re.compile(r"^\s*(who|whom|whose)\b", re.I), _PERSON | _ORG),
    (re.compile(r"^\s*where\b", re.I), _PLACE),
)


@dataclass(frozen=True)
class ZeroShotSettings:
    """Search and scoring knobs of zero-shot answering."""

    max_hops: int = 2
    max_paths: int = 5000
    type_bonus: float = 0.15
    hop_penalty: float = 0.1
    extension_margin: float = -0.05
    selection_margin: float = 0.02
    topic_can_be_answer: bool = False
    placeholder: str = DEFAULT_PLACEHOLDER


def expected_types(question: str) -> frozenset[str]:
    """Entity types the question word asks for (empty when it says nothing)."""
    for pattern, types in _EXPECTED_TYPES:
        if pattern.search(question):
            return types
    return frozenset()


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
        signatures = sorted({tuple(s[2] for s in p) for p in paths})
        topic_spans = [
            (m.start, m.end) for m in link.mentions if any(c.entity in topics for c in m.best)
        ]
        masked = mask_spans(question, topic_spans, cfg.placeholder)
        sig_score = self._signature_scores(masked, signatures)
        wanted = expected_types(question)
        best: dict[int, list[tuple[float, list[Step]]]] = {}
        for path in paths:
            sig = tuple(s[2] for s in path)
            if len(sig) > 1 and sig_score[sig] < sig_score[sig[:-1]] + cfg.extension_margin:
                continue  # the last hop explains nothing more of the question
            score = self._path_score(path, sig_score, wanted)
            best.setdefault(path[-1][1], []).append((score, path))
        if when is not None:
            self._order_by_time(best, topics, anchors, when, question, result)
        ranked = sorted(best.items(), key=lambda kv: -max(s for s, _ in kv[1]))[:top_k]
        top_score = max(s for s, _ in ranked[0][1])
        for end, scored in ranked:
            scored.sort(key=lambda sp: -sp[0])
            score = scored[0][0]
            evidence = tuple(
                build_path(self.index, p, s, graph=self.graph)
                for s, p in scored[: self.max_paths_per_answer]
            )
            result.answers.append(
                Answer(
                    self.index.entity_ids[end],
                    self.index.entity_labels[end],
                    round(score, 4),
                    bool(score >= top_score - cfg.selection_margin),
                    evidence,
                )
            )
        result.subgraph = {
            "nodes": len({s[1] for p in paths for s in p} | set(topics)),
            "edges": len({s[3] for p in paths for s in p}),
            "truncated": len(paths) >= cfg.max_paths,
        }
        return result

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
    ) -> float:
        cfg = self.settings
        score = sig_score[tuple(s[2] for s in path)] - cfg.hop_penalty * (len(path) - 1)
        etype = self.index.entity_type(path[-1][1]).upper()
        if wanted and etype not in _NEUTRAL:
            score += cfg.type_bonus if etype in wanted else -cfg.type_bonus
        return score

    def _order_by_time(
        self,
        best: dict[int, list[tuple[float, list[Step]]]],
        topics: list[int],
        anchors: set[int],
        when: TimeQuery,
        question: str,
        result: QAResult,
    ) -> None:
        """Put the statement the question's time form asks for (latest, first, before/after X)
        on top, when the best answer's relation family has a timeline of several statements."""
        if not best:
            return
        _, top_paths = max(best.items(), key=lambda kv: max(s for s, _ in kv[1]))
        top_score, top_path = max(top_paths, key=lambda sp: sp[0])
        base = self.index.num_base_relations
        families = [relation_family(self.index.relations[top_path[0][2] % base])]
        if re.match(r"^\s*where\b", question, re.I) and "location" not in families:
            families.insert(0, "location")
        for family in families:
            for topic in topics:
                entries = timeline(self.index, topic, family, exclude=set(topics))
                if len({node for _, node, _ in entries}) < 2:
                    continue
                chosen = pick(entries, when, anchors)
                if chosen is None:
                    continue
                time, node, edge = chosen
                _, rels, triple_ids = self.index.out_edges(topic)
                step = (topic, node, int(rels[edge]), int(triple_ids[edge]))
                score = top_score + self.settings.selection_margin + 1e-3
                best.setdefault(node, []).append((score, [step]))
                result.notes.append(
                    f"{when.mode} of {len(entries)} statements of {family!r} by "
                    f"{self.index.entity_labels[topic]}, in document and sentence order: "
                    f"{time.document} sentence {time.position}"
                )
                return
