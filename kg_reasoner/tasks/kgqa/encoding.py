"""Turning KGQA question records into tensors: question embeddings, topic and answer ids."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from kg_reasoner.models.kgqa.question_embedder import QuestionEmbedder, mask_spans
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.tasks.kgqa.data import QuestionRecord, bracketed_entities


@dataclass
class EncodedQuestions:
    """Questions whose topic entity is in the KB, aligned with their embeddings.

    ``usable[i]`` is the position in ``records`` of row i; ``skipped`` records have no topic in
    the KB (or no answer in it) and count as misses in evaluation.
    """

    records: list[QuestionRecord]
    usable: list[int]
    embeddings: torch.Tensor
    topics: list[list[int]]
    answers: list[list[int]]

    @property
    def skipped(self) -> int:
        return len(self.records) - len(self.usable)

    def __len__(self) -> int:
        return len(self.usable)


def masked_question(question: str, placeholder: str) -> str:
    """The question with each ``[topic]`` replaced by the placeholder."""
    return mask_spans(question, [(s, e) for _, s, e in bracketed_entities(question)], placeholder)


def encode_records(
    records: Sequence[QuestionRecord],
    index: KBIndex,
    embedder: QuestionEmbedder,
    *,
    placeholder: str,
    progress: bool = False,
) -> EncodedQuestions:
    """Link bracketed topics and answers to KB ids (by id, else by a unique label), then embed
    the masked questions."""
    by_label: dict[str, list[int]] = {}
    for entity, label in enumerate(index.entity_labels):
        by_label.setdefault(label, []).append(entity)

    def lookup(name: str) -> int | None:
        found = index.entity_to_id.get(name)
        if found is None and len(by_label.get(name, ())) == 1:
            found = by_label[name][0]
        return found

    usable, topics, answers, texts = [], [], [], []
    for i, record in enumerate(records):
        topic_ids = [e for e in map(lookup, record.topics) if e is not None]
        answer_ids = [e for e in map(lookup, record.answers) if e is not None]
        if not topic_ids or not answer_ids:
            continue
        usable.append(i)
        topics.append(topic_ids)
        answers.append(answer_ids)
        texts.append(masked_question(record.question, placeholder))
    embeddings = embedder.embed(texts, progress=progress)
    return EncodedQuestions(list(records), usable, embeddings, topics, answers)
