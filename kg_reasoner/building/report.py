"""The JSON build report: every document added, updated, unchanged, removed, skipped or failed."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class DocumentOutcome:
    id: str | None
    source: str
    status: str  # added | updated | unchanged | removed | skipped | failed
    reason: str = ""
    relations: int = 0
    entities: int = 0
    sentences: int = 0


@dataclass
class BuildReport:
    """What a build did; ``save`` writes it as JSON."""

    graph: str = ""
    extractor: str = ""
    workers: int = 1
    seconds: float = 0.0
    interrupted: bool = False
    documents: list[DocumentOutcome] = field(default_factory=list)

    def add(self, outcome: DocumentOutcome) -> None:
        self.documents.append(outcome)

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter(d.status for d in self.documents)
        return {
            k: counts.get(k, 0)
            for k in ("added", "updated", "unchanged", "removed", "skipped", "failed")
        }

    @property
    def sentences(self) -> int:
        return sum(d.sentences for d in self.documents if d.status in {"added", "updated"})

    def to_dict(self) -> dict[str, Any]:
        return {
            "graph": self.graph,
            "extractor": self.extractor,
            "workers": self.workers,
            "seconds": round(self.seconds, 3),
            "interrupted": self.interrupted,
            "counts": self.counts,
            "sentences_processed": self.sentences,
            "relations_added": sum(d.relations for d in self.documents),
            "documents": [asdict(d) for d in self.documents],
        }

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=2), encoding="utf-8")
        return path
