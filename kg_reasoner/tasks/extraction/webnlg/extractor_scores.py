"""Typed-triple scores of an extractor on WebNLG texts, straight from its mentions.

Each text is parsed (spaCy's blank English pipeline by default: tokenizer and sentencizer),
extracted, and every relation read as a triple the way the graph builder stores it: the
subject's linked name (else its text), the DBpedia property, and the object's literal value,
linked name or text. The triples are scored with :class:`WebNLGScores` (exact names after
:func:`normalize_name`).
"""

from __future__ import annotations

from typing import Any

from kg_reasoner.extraction.base import Extraction, Extractor, Mention
from kg_reasoner.extraction.canonical import clean_label
from kg_reasoner.extraction.spacy_loader import load_spacy
from kg_reasoner.tasks.extraction.webnlg.data import WebNLGCorpus
from kg_reasoner.tasks.extraction.webnlg.metrics import Predicted, WebNLGScores


def mention_name(mention: Mention) -> str:
    """What the graph calls a mention: its literal value, its linked name, or its text."""
    if mention.value is not None:
        return mention.value
    return mention.name or clean_label(mention.text)


def extraction_triples(extraction: Extraction) -> list[Predicted]:
    """The (subject, relation, object) names of an extraction's relations."""
    mentions = extraction.mentions
    return [
        Predicted(mention_name(mentions[r.head]), r.label, mention_name(mentions[r.tail]))
        for r in extraction.relations
        if not mentions[r.head].is_value
    ]


def score_extractor(
    extractor: Extractor, corpus: WebNLGCorpus, *, spacy_model: str = "blank:en", nlp: Any = None
) -> WebNLGScores:
    """Extract every text of ``corpus`` and score the triples against its entry's facts."""
    nlp = nlp or load_spacy(spacy_model)
    pairs = list(corpus.texts())
    docs = list(nlp.pipe(lex.text for _, lex in pairs))
    scores = WebNLGScores()
    for (entry, _), extraction in zip(pairs, extractor.extract(docs), strict=True):
        nodes = [mention_name(m) for m in extraction.mentions]
        scores.add_text(entry.facts, extraction_triples(extraction), nodes)
    return scores
