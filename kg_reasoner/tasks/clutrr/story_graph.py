"""Story -> text windows with person mentions -> kinship graph.

People are found from the ``[Name]`` markup of CLUTRR stories, or with spaCy PERSON entities
when a story has no markup. Relations are read inside windows of two consecutive sentences
(one sentence alone misses ~6% of the gold edges, which cross a sentence through a pronoun).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch

from kg_reasoner.tasks.clutrr.data import ClutrrExample
from kg_reasoner.tasks.clutrr.kinship import RELATIONS, inverse_relation

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_MARKUP = re.compile(r"\[([^\[\]]+)\]")


@dataclass(frozen=True)
class Mention:
    """A person mention: the name and its character span in the window text."""

    name: str
    start: int
    end: int
    sentence: int = 0


@dataclass(frozen=True)
class TextWindow:
    """A short piece of the story (markup removed) and the people mentioned in it."""

    text: str
    mentions: tuple[Mention, ...]

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(m.name for m in self.mentions))


@dataclass
class StoryGraph:
    """People as nodes, kinship edges ``u -> v`` ("v is the r of u") with a relation distribution.

    ``relation_probs`` is (E, len(RELATIONS)); gold edges are one-hot, extracted ones soft.
    """

    names: list[str]
    genders: list[str]
    edges: list[tuple[int, int]]
    relation_probs: torch.Tensor

    def index(self, name: str) -> int:
        return self.names.index(name)

    def relation_of(self, edge: int) -> str:
        return RELATIONS[int(self.relation_probs[edge].argmax())]


def split_sentences(story: str) -> list[str]:
    """Split on sentence-final punctuation (CLUTRR sentences sometimes lack it; that is fine)."""
    return [s for s in (p.strip() for p in _SENTENCE_END.split(story.strip())) if s]


def parse_markup(text: str) -> TextWindow:
    """``"[Ann] met her son [Bob]."`` -> text without brackets and the two mentions."""
    parts: list[str] = []
    mentions: list[Mention] = []
    cursor, length = 0, 0
    for match in _MARKUP.finditer(text):
        before = text[cursor : match.start()]
        parts.append(before)
        length += len(before)
        name = match.group(1).strip()
        mentions.append(Mention(name, length, length + len(name)))
        parts.append(name)
        length += len(name)
        cursor = match.end()
    parts.append(text[cursor:])
    return TextWindow("".join(parts), tuple(mentions))


def spacy_mentions(text: str, nlp: Any) -> TextWindow:
    """People found by a spaCy pipeline's PERSON entities (for stories without markup)."""
    doc = nlp(text)
    mentions = tuple(
        Mention(ent.text.strip(), ent.start_char, ent.start_char + len(ent.text.strip()))
        for ent in doc.ents
        if ent.label_ == "PERSON"
    )
    return TextWindow(text, mentions)


def story_sentences(story: str, *, nlp: Any | None = None) -> list[TextWindow]:
    """The story's sentences with their person mentions (markup, else spaCy PERSON entities)."""
    sentences = split_sentences(story)
    use_markup = bool(_MARKUP.search(story)) or nlp is None
    return [parse_markup(s) if use_markup else spacy_mentions(s, nlp) for s in sentences]


def rename_mentions(window: TextWindow, rename: Mapping[str, str]) -> TextWindow:
    """Rewrite each mention's span with its stand-in name; spans move to match and the mention
    keeps the real name as its identity."""
    parts: list[str] = []
    mentions: list[Mention] = []
    cursor, length = 0, 0
    for mention in sorted(window.mentions, key=lambda m: m.start):
        before = window.text[cursor : mention.start]
        shown = rename.get(mention.name, window.text[mention.start : mention.end])
        parts.extend((before, shown))
        length += len(before)
        mentions.append(Mention(mention.name, length, length + len(shown), mention.sentence))
        length += len(shown)
        cursor = mention.end
    parts.append(window.text[cursor:])
    return TextWindow("".join(parts), tuple(mentions))


def group_windows(sentences: list[TextWindow], window: int = 2) -> list[TextWindow]:
    """Windows of ``window`` consecutive sentences; each mention records the index of its
    sentence in the story."""
    windows = []
    for first in range(max(1, len(sentences) - window + 1)):
        texts: list[str] = []
        mentions: list[Mention] = []
        shift = 0
        for index in range(first, min(first + window, len(sentences))):
            part = sentences[index]
            mentions.extend(Mention(m.name, m.start + shift, m.end + shift, index)
                            for m in part.mentions)
            texts.append(part.text)
            shift += len(part.text) + 1
        windows.append(TextWindow(" ".join(texts), tuple(mentions)))
    return windows


def story_windows(story: str, *, window: int = 2, nlp: Any | None = None) -> list[TextWindow]:
    """Windows of ``window`` consecutive sentences of ``story`` with their person mentions."""
    return group_windows(story_sentences(story, nlp=nlp), window)


def story_people(windows: list[TextWindow], *extra: str) -> list[str]:
    """Everyone mentioned, in order of first mention, followed by any ``extra`` names."""
    names: dict[str, None] = {}
    for win in windows:
        names.update(dict.fromkeys(win.names))
    names.update(dict.fromkeys(extra))
    return list(names)


def gold_graph(example: ClutrrExample) -> StoryGraph:
    """The dataset's facts, each with its gendered inverse (so both directions exist).

    A fact the story states twice (a chain that goes around a loop and back) is kept twice, as
    the reasoner's trail walk may need to use it twice.
    """
    names = list(dict.fromkeys([*example.genders, example.head, example.tail]))
    typed: list[tuple[tuple[int, int], str]] = []
    for u, rel, v in example.edges:
        iu, iv = names.index(u), names.index(v)
        typed.append(((iu, iv), rel))
        inverse = inverse_relation(rel, example.genders.get(u, "unknown"))
        if inverse is not None:
            typed.append(((iv, iu), inverse))
    probs = torch.zeros(len(typed), len(RELATIONS))
    for row, (_, rel) in enumerate(typed):
        probs[row, RELATIONS.index(rel)] = 1.0
    genders = [example.genders.get(n, "unknown") for n in names]
    return StoryGraph(names, genders, [edge for edge, _ in typed], probs)
