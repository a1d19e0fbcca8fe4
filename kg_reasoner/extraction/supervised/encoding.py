"""Words to encoder inputs: subword alignment and sliding windows over long sentences.

Each word is tokenized on its own (so word boundaries are exact) and its vector is the mean of
its subword states. A sentence longer than the encoder's limit is split into overlapping windows
of whole words; every word takes its vector from the window where it is farthest from an edge,
so no word is dropped and every word sees context on both sides where possible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from kg_reasoner.extraction.supervised.shapes import word_shape
from kg_reasoner.extraction.supervised.spacy_features import SpacyNerTagger


@dataclass(frozen=True)
class TokenizedSentence:
    """Subword ids of each word, and each word's shape index."""

    pieces: tuple[tuple[int, ...], ...]
    shapes: tuple[int, ...]
    tags: tuple[int, ...] = ()  # spaCy NER tag ids, when the model uses them

    def __len__(self) -> int:
        return len(self.pieces)


@dataclass
class EncoderInputs:
    """A padded batch of windows plus the maps from subword positions back to words.

    ``input_ids``/``attention_mask``: (N windows, T); ``piece_src`` indexes the flattened (N*T)
    positions and ``piece_dst`` the flattened (B*W) words they belong to; ``cls_window`` (B,)
    is the first window of each sentence; ``shape_ids``/``word_mask``: (B, W).
    """

    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    piece_src: torch.Tensor
    piece_dst: torch.Tensor
    cls_window: torch.Tensor
    shape_ids: torch.Tensor
    word_mask: torch.Tensor
    tag_ids: torch.Tensor | None = None  # (B, W) spaCy NER tags
    prefix_states: torch.Tensor | None = None  # (N, T, H) cached output of frozen layers
    prefix_layers: int = 0


class WordPieceAligner:
    """Tokenizes word lists and packs them into encoder windows of at most ``max_length``."""

    def __init__(  # type: ignore[no-untyped-def]
        self, tokenizer, *, max_length: int, tagger: SpacyNerTagger | None = None
    ) -> None:
        if max_length < 8:
            raise ValueError("max_length must be at least 8 subword tokens")
        self.tokenizer = tokenizer
        self.tagger = tagger
        self.max_length = max_length
        self.budget = max_length - 2  # room for [CLS] and [SEP]
        self.cls_id = int(tokenizer.cls_token_id)
        self.sep_id = int(tokenizer.sep_token_id)
        self.pad_id = int(tokenizer.pad_token_id or 0)
        self.unk_id = int(tokenizer.unk_token_id)

    def tokenize(self, sentences: Sequence[Sequence[str]]) -> list[TokenizedSentence]:
        """Subword ids per word (a word the tokenizer drops becomes [UNK]), shapes, tags."""
        flat = [w for sent in sentences for w in sent]
        ids = self.tokenizer(flat, add_special_tokens=False)["input_ids"] if flat else []
        tags = self.tagger.tag(sentences) if self.tagger is not None else [()] * len(sentences)
        out, pos = [], 0
        for sent, sent_tags in zip(sentences, tags, strict=True):
            pieces = tuple(
                tuple(ids[pos + i][: self.budget]) or (self.unk_id,) for i in range(len(sent))
            )
            out.append(TokenizedSentence(pieces, tuple(word_shape(w) for w in sent), sent_tags))
            pos += len(sent)
        return out

    def windows(self, sentence: TokenizedSentence) -> list[tuple[int, int]]:
        """Word ranges ``[a, b)`` of the windows; consecutive windows overlap by half."""
        counts = [len(p) for p in sentence.pieces]
        n, start, result = len(counts), 0, []
        while True:
            end, total = start, 0
            while end < n and total + counts[end] <= self.budget:
                total += counts[end]
                end += 1
            result.append((start, end))
            if end >= n:
                return result
            start = max(start + 1, end - (end - start) // 2)

    def n_windows(self, sentence: TokenizedSentence) -> int:
        """Rows :meth:`collate` emits for this sentence."""
        return len(self.windows(sentence)) if len(sentence) else 1

    def collate(self, sentences: Sequence[TokenizedSentence]) -> EncoderInputs:
        """Pack sentences into padded windows and the subword -> word index maps."""
        max_words = max((len(s) for s in sentences), default=1) or 1
        rows: list[list[int]] = []
        links: list[tuple[int, int, int]] = []  # (row, position in row, flat word index)
        cls_window = []
        for b, sent in enumerate(sentences):
            spans = self.windows(sent) if len(sent) else [(0, 0)]
            owner = _owners(len(sent), spans)
            cls_window.append(len(rows))
            for k, (a, z) in enumerate(spans):
                row, col = [self.cls_id], 1
                for w in range(a, z):
                    for piece in sent.pieces[w]:
                        if owner[w] == k:
                            links.append((len(rows), col, b * max_words + w))
                        row.append(piece)
                        col += 1
                row.append(self.sep_id)
                rows.append(row)
        width = max(len(r) for r in rows)
        input_ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        attention = torch.zeros((len(rows), width), dtype=torch.long)
        for i, row in enumerate(rows):
            input_ids[i, : len(row)] = torch.tensor(row)
            attention[i, : len(row)] = 1
        link = torch.tensor(links, dtype=torch.long).reshape(-1, 3)
        shapes = torch.zeros((len(sentences), max_words), dtype=torch.long)
        tags = torch.zeros_like(shapes) if self.tagger is not None else None
        for b, sent in enumerate(sentences):
            shapes[b, : len(sent)] = torch.tensor(sent.shapes, dtype=torch.long)
            if tags is not None and sent.tags:
                tags[b, : len(sent)] = torch.tensor(sent.tags, dtype=torch.long)
        return EncoderInputs(
            input_ids=input_ids,
            attention_mask=attention,
            piece_src=link[:, 0] * width + link[:, 1],
            piece_dst=link[:, 2],
            cls_window=torch.tensor(cls_window, dtype=torch.long),
            shape_ids=shapes,
            word_mask=shapes > 0,
            tag_ids=tags,
        )


def _owners(n_words: int, spans: list[tuple[int, int]]) -> list[int]:
    """For each word, the window in which it is farthest from either edge."""
    owner = [0] * n_words
    best = [-1] * n_words
    for k, (a, z) in enumerate(spans):
        for w in range(a, z):
            margin = min(w - a, z - 1 - w)
            if margin > best[w]:
                best[w], owner[w] = margin, k
    return owner
