"""Relations of predicted entities, read by the typed-marker model (``relation_model: markers``).

The PURE recipe: the span model finds the entities, then every unordered pair of them is one
marked encoder pass of :class:`~.pair_model.MarkedPairModel` (typed markers from the predicted
entity types), which scores both directions. With ``use_signatures`` a pair whose types no
relation takes is not read, and a relation whose argument types never occurred with it in
training is never chosen. An ordered pair holds its most probable allowed relation when the
probability that it holds any allowed relation reaches ``threshold``. Scores are therefore
end-to-end: a missed or mistyped entity loses its relations.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from kg_reasoner.extraction.supervised.data import Entity, Example
from kg_reasoner.extraction.supervised.pair_data import (
    EntityPair,
    argument_types,
    collate_entity_pairs,
    entity_pairs,
)
from kg_reasoner.extraction.supervised.pair_model import MarkedPairModel
from kg_reasoner.extraction.supervised.predictor import PredictedEntity, PredictedRelation
from kg_reasoner.extraction.supervised.vocab import LabelVocab
from kg_reasoner.training.device import model_device, move_to_device


class MarkedRelationPredictor:
    """Runs a :class:`MarkedPairModel` over the entity pairs of sentences, in length-sorted
    batches of ``batch_size`` pairs."""

    def __init__(
        self,
        model: MarkedPairModel,
        vocab: LabelVocab,
        *,
        threshold: float = 0.5,
        use_signatures: bool = True,
        batch_size: int = 64,
    ) -> None:
        self.model = model
        self.vocab = vocab
        self.threshold = threshold
        self.use_signatures = use_signatures
        self.batch_size = batch_size

    @property
    def allowed(self) -> frozenset[tuple[str, str]] | None:
        """The argument types worth reading (None: every pair)."""
        return argument_types(self.vocab.signatures) if self.use_signatures else None

    @torch.no_grad()
    def predict(
        self,
        sentences: Sequence[Sequence[str]],
        entities: Sequence[Sequence[PredictedEntity]],
    ) -> list[tuple[PredictedRelation, ...]]:
        """The relations among each sentence's ``entities`` (indices into that list)."""
        examples = [
            Example(tuple(words), tuple(Entity(e.start, e.end, e.type) for e in ents))
            for words, ents in zip(sentences, entities, strict=True)
        ]
        pairs = entity_pairs(examples, self.vocab.relation_types, allowed=self.allowed)
        probs = self.pair_probabilities(examples, pairs)
        found: list[list[PredictedRelation]] = [[] for _ in examples]
        indexes = [{(e.start, e.end): i for i, e in enumerate(ents)} for ents in entities]
        for pair, pair_probs in zip(pairs, probs, strict=True):
            index = indexes[pair.example]
            head, tail = index[pair.head.span], index[pair.tail.span]
            for (h, t), row in (((head, tail), pair_probs[0]), ((tail, head), pair_probs[1])):
                relation = self.decode(
                    row, entities[pair.example][h].type, entities[pair.example][t].type
                )
                if relation is not None:
                    found[pair.example].append(PredictedRelation(h, t, *relation))
        return [tuple(sorted(rels, key=lambda r: (r.head, r.tail))) for rels in found]

    def pair_probabilities(
        self, examples: Sequence[Example], pairs: Sequence[EntityPair]
    ) -> torch.Tensor:
        """(P, 2, 1 + R) probabilities of E1 -> E2 and E2 -> E1 (class 0: no relation)."""
        was_training = self.model.training
        self.model.eval()
        device = model_device(self.model)
        out = torch.zeros(len(pairs), 2, 1 + len(self.vocab.relation_types))
        order = sorted(range(len(pairs)), key=lambda i: len(examples[pairs[i].example].tokens))
        for first in range(0, len(order), self.batch_size):
            idx = order[first : first + self.batch_size]
            batch = collate_entity_pairs(
                self.model.marker_tokenizer, examples, [pairs[i] for i in idx]
            )
            del batch["labels"], batch["reverse_labels"]
            out[idx] = self.model(**move_to_device(batch, device)).logits.softmax(-1).cpu()
        self.model.train(was_training)
        return out

    def decode(self, probs: torch.Tensor, head: str, tail: str) -> tuple[str, float] | None:
        """``(relation, confidence)`` for one ordered pair of types, or None (no relation)."""
        relations = self.vocab.relation_types
        if self.use_signatures:
            keep = torch.tensor(
                [True, *((head, r, tail) in self.vocab.signatures for r in relations)]
            )
            probs = probs * keep
        probs = probs / probs.sum().clamp(min=1e-12)
        if 1.0 - float(probs[0]) < self.threshold:
            return None
        best = int(probs[1:].argmax())
        return relations[best], float(probs[1 + best])
