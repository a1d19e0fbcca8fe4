"""The trainable transformer extractor: typed entities and relations from labelled data.

Read data with :func:`read_examples`, train with ``kgr train`` (task ``extraction``), score with
:func:`score_examples`, and use a trained run directory through :class:`SupervisedExtractor`.

The family's models: :class:`~.model.SpanRelationModel` (joint spans and relations, CoNLL04 and
WebNLG), and two classifiers of given argument pairs: :class:`MarkedPairModel` (typed entity
markers in the input, :mod:`.markers`; CLUTRR, and CoNLL04's ``relation_model: markers`` on the
span model's predicted entities, :mod:`.pair_predictor`) and :class:`RolePairModel` (role
embeddings on cached LM states, CLUTRR).
"""

from kg_reasoner.extraction.supervised.data import Entity, Example, Relation, read_examples
from kg_reasoner.extraction.supervised.extractor import SupervisedExtractor
from kg_reasoner.extraction.supervised.pair_model import MarkedPairModel
from kg_reasoner.extraction.supervised.role_model import RolePairModel
from kg_reasoner.extraction.supervised.scoring import score_examples

__all__ = [
    "Entity",
    "Example",
    "MarkedPairModel",
    "Relation",
    "RolePairModel",
    "SupervisedExtractor",
    "read_examples",
    "score_examples",
]
