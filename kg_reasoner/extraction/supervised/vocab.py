"""Label vocabularies of a trained extractor, saved as JSON next to its weights."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg_reasoner.extraction.supervised.data import Example
from kg_reasoner.extraction.supervised.names import learn_names, learn_qualified_names

NO_ENTITY = "<none>"


@dataclass(frozen=True)
class LabelVocab:
    """Entity types (index 0 is "no entity"), relation types, and the observed type signatures.

    ``signatures`` holds the ``(head type, relation, tail type)`` triples seen in training; the
    decoder can drop relations whose argument types never occurred with that relation.
    ``names`` maps surface forms to the canonical names training linked them to (see
    :mod:`.names`); it is empty when the data names no entities (CoNLL04). ``qualified_names``
    holds the region-qualified candidates of a surface form (``Auburn, Alabama``) that the
    text around a mention chooses between.
    """

    entity_types: tuple[str, ...]
    relation_types: tuple[str, ...]
    signatures: frozenset[tuple[str, str, str]]
    feature_tags: tuple[str, ...] = ()  # spaCy NER tags used as features, in embedding order
    names: dict[str, str] = field(default_factory=dict)
    qualified_names: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_examples(cls, examples: Iterable[Example]) -> LabelVocab:
        examples = list(examples)
        ent: set[str] = set()
        rel: set[str] = set()
        sigs: set[tuple[str, str, str]] = set()
        for ex in examples:
            types = {e.span: e.type for e in ex.entities}
            ent.update(types.values())
            for r in ex.relations:
                rel.add(r.type)
                sigs.add((types[r.head], r.type, types[r.tail]))
        return cls(
            (NO_ENTITY, *sorted(ent)), tuple(sorted(rel)), frozenset(sigs),
            names=learn_names(examples), qualified_names=learn_qualified_names(examples),
        )  # fmt: skip

    @property
    def entity_index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.entity_types)}

    @property
    def relation_index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.relation_types)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_types": list(self.entity_types),
            "relation_types": list(self.relation_types),
            "signatures": sorted(list(s) for s in self.signatures),
            "feature_tags": list(self.feature_tags),
            "names": dict(self.names),
            "qualified_names": {k: list(v) for k, v in self.qualified_names.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LabelVocab:
        return cls(
            tuple(data["entity_types"]),
            tuple(data["relation_types"]),
            frozenset(tuple(s) for s in data.get("signatures", [])),
            tuple(data.get("feature_tags", [])),
            dict(data.get("names", {})),
            {k: list(v) for k, v in data.get("qualified_names", {}).items()},
        )
