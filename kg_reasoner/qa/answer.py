"""What answering returns: answers, their scores and evidence paths, and the linking outcome."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class EvidenceHop:
    """One step of a path: walked from ``source`` to ``target`` over the stored triple
    ``(subject, relation, object)``; ``inverse`` when walked object -> subject.
    ``sentences`` are the source sentences of that triple (graphs built from text)."""

    source: str
    source_label: str
    target: str
    target_label: str
    relation: str
    inverse: bool
    subject: str
    object: str
    sentences: tuple[str, ...] = ()

    def text(self) -> str:
        if self.inverse:
            return f"<-{self.relation}- {self.target_label}"
        return f"-{self.relation}-> {self.target_label}"


@dataclass(frozen=True)
class EvidencePath:
    """A path from a question entity to an answer, with its score."""

    start: str
    start_label: str
    hops: tuple[EvidenceHop, ...]
    score: float

    def text(self) -> str:
        """``[John Krasinski] <-starred_actors- Leatherheads -directed_by-> George Clooney``."""
        return " ".join([f"[{self.start_label}]", *(hop.text() for hop in self.hops)])


@dataclass(frozen=True)
class Answer:
    """An answer entity; ``selected`` when it is the answer (it passes the answer threshold),
    otherwise a candidate. ``reading`` is the id of the question entity its best path starts
    from, set when a mention of the question is ambiguous (which reading this answer is for)."""

    entity: str
    label: str
    score: float
    selected: bool
    paths: tuple[EvidencePath, ...] = ()
    reading: str = ""


@dataclass(frozen=True)
class LinkedMention:
    """A question span linked to one or more entities (more than one = ambiguous)."""

    text: str
    start: int
    end: int
    entities: tuple[dict[str, Any], ...]
    ambiguous: bool


@dataclass
class QAResult:
    """Everything ``kgr ask`` prints and ``/ask`` returns.

    ``abstained`` means "not found in the graph": no answer passed ``answer_threshold`` (or
    nothing was linked), so ``answers`` holds candidates only, none selected. ``confidence``
    is the score compared with the threshold (None when no score was judged, e.g. an answer
    picked from the order of statements)."""

    question: str
    method: str
    answers: list[Answer] = field(default_factory=list)
    mentions: list[LinkedMention] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    subgraph: dict[str, Any] = field(default_factory=dict)
    answer_threshold: float | None = None
    confidence: float | None = None

    @property
    def ambiguous(self) -> bool:
        return any(m.ambiguous for m in self.mentions)

    @property
    def abstained(self) -> bool:
        return not any(a.selected for a in self.answers)

    @property
    def selected(self) -> list[Answer]:
        return [a for a in self.answers if a.selected]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ambiguous"] = self.ambiguous
        data["abstained"] = self.abstained
        for answer, raw in zip(self.answers, data["answers"], strict=True):
            for path, raw_path in zip(answer.paths, raw["paths"], strict=True):
                raw_path["text"] = path.text()
        return data

    def evidence_graph(self) -> dict[str, list[dict[str, Any]]]:
        """Nodes and edges of all evidence paths, for drawing (stored triple direction)."""
        nodes: dict[str, dict[str, Any]] = {}
        edges: dict[tuple[str, str, str], dict[str, Any]] = {}
        answer_ids = {a.entity for a in self.answers if a.selected}
        for answer in self.answers:
            for path in answer.paths:
                nodes.setdefault(
                    path.start, {"id": path.start, "label": path.start_label, "role": "topic"}
                )
                for hop in path.hops:
                    for node, label in (
                        (hop.source, hop.source_label),
                        (hop.target, hop.target_label),
                    ):
                        role = "answer" if node in answer_ids else "path"
                        nodes.setdefault(node, {"id": node, "label": label, "role": role})
                    key = (hop.subject, hop.relation, hop.object)
                    edges.setdefault(
                        key,
                        {
                            "source": hop.subject,
                            "target": hop.object,
                            "relation": hop.relation,
                            "sentences": list(hop.sentences),
                        },
                    )
        return {"nodes": list(nodes.values()), "edges": list(edges.values())}
