"""Entity tags from a spaCy pipeline as extra word features.

The default encoder is uncased; spaCy's small English NER sees casing and was trained on
OntoNotes, so its BIO tags (PERSON, ORG, GPE, ...) are a strong hint for entity boundaries and
types. Each sentence is tagged on its own, from its word list, during training and inference
alike, so the features never depend on how a document was split or parsed upstream.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kg_reasoner.errors import ModelLoadError
from kg_reasoner.extraction.spacy_loader import load_spacy

PAD, OUTSIDE = "<pad>", "O"


class SpacyNerTagger:
    """Tags word lists with ``B-TYPE`` / ``I-TYPE`` / ``O`` using only the pipeline's NER."""

    def __init__(
        self, model: str, *, tags: Sequence[str] | None = None, batch_size: int = 256
    ) -> None:
        self.nlp = load_spacy(model, hint="or set model.spacy_ner: null to train without NER tags")
        if not self.nlp.has_pipe("ner"):
            raise ModelLoadError(f"the spaCy pipeline {model!r} has no 'ner' component")
        self.model = model
        self.batch_size = batch_size
        labels = self.nlp.get_pipe("ner").labels
        self.tags: tuple[str, ...] = tuple(tags) if tags else (
            PAD, OUTSIDE, *(f"{p}-{label}" for label in labels for p in ("B", "I"))
        )
        self._index = {t: i for i, t in enumerate(self.tags)}

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[tuple[int, ...]]:
        """Tag ids (indices into :attr:`tags`; unknown tags count as O) for every word."""
        from spacy.tokens import Doc

        docs: list[Any] = [Doc(self.nlp.vocab, words=list(words)) for words in sentences]
        # Only the NER component runs, called directly: the pipeline is shared (load_spacy),
        # and select_pipes would switch its other components off for every user meanwhile.
        ner = self.nlp.get_pipe("ner")
        tagged = list(ner.pipe(docs, batch_size=self.batch_size))
        out = []
        for doc in tagged:
            out.append(
                tuple(
                    self._index.get(f"{t.ent_iob_}-{t.ent_type_}", 1) if t.ent_type_ else 1
                    for t in doc
                )
            )
        return out
