"""The trainable transformer extractor: typed entities and relations from labelled data.

Read data with :func:`read_examples`, train with ``kgr train`` (task ``extraction``), score with
:func:`score_examples`, and use a trained run directory through :class:`SupervisedExtractor`.
"""

from kg_reasoner.extraction.supervised.data import Entity, Example, Relation, read_examples
from kg_reasoner.extraction.supervised.extractor import SupervisedExtractor
from kg_reasoner.extraction.supervised.scoring import score_examples

__all__ = [
    "Entity",
    "Example",
    "Relation",
    "SupervisedExtractor",
    "read_examples",
    "score_examples",
]
