"""The ``data:`` fields both tasks share: the files, the data root and the size limits."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from kg_reasoner.config import StrictModel
from kg_reasoner.tasks.text_graph.config import resolve_file


class SplitFilesConfig(StrictModel):
    """``train`` and ``dev`` (early stopping and model choice), optional ``test``; relative
    paths are kept when they exist, otherwise read under ``root`` (default: the data root).
    Without ``dev`` a fixed ``validation_fraction`` of ``train`` is held out."""

    root: str | None = None
    train: str
    dev: str | None = None
    test: str | None = None
    validation_fraction: float = Field(0.1, gt=0, lt=1)
    max_train_examples: int | None = Field(None, ge=1)
    max_eval_examples: int | None = Field(None, ge=1, description="per dev / test file")

    def files(self) -> dict[str, Path | None]:
        return {"train": resolve_file(self.train, self.root),
                "dev": resolve_file(self.dev, self.root),
                "test": resolve_file(self.test, self.root)}

    def limits(self) -> dict[str, int | None]:
        return {"train": self.max_train_examples, "dev": self.max_eval_examples,
                "test": self.max_eval_examples}
