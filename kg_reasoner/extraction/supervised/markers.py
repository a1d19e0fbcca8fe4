"""Typed entity markers the encoder reads: ``[E1:type] ... [/E1:type]`` around the arguments.

The "typed entity marker" baselines (Zhong & Chen's PURE, Zhou & Chen 2021) and PL-Marker insert
marker tokens into the token sequence itself, so that every encoder layer sees which words are
the two arguments of the relation asked about, instead of adding role embeddings to the output
states. Markers are new tokens of the tokenizer; their input embeddings are a small table of
their own (:class:`MarkerEmbeddings`), initialised from the mean embedding of the pieces the
tokenizer gave the marker text before it was added (``[E1:male]`` starts near "[ e1 male ]").

Insertion works on subword tokens with character offsets (as fast tokenizers return them): a
start marker goes before the first token that overlaps the argument's characters and an end
marker after the last one, so a word split into several pieces is marked as a whole, and a
marker at the start or end of the text still sits inside ``[CLS] ... [SEP]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn

ROLES: tuple[str, ...] = ("E1", "E2")


def marker_tokens(types: Sequence[str]) -> list[str]:
    """Start and end markers for both roles and every type, in a fixed order."""
    return [f"[{slash}{role}:{kind}]" for role in ROLES for kind in types for slash in ("", "/")]


@dataclass(frozen=True)
class MarkerVocab:
    """The marker tokens of one model: ``base`` is the id of the first one in the tokenizer."""

    types: tuple[str, ...]
    base: int

    @property
    def tokens(self) -> list[str]:
        return marker_tokens(self.types)

    def start_id(self, role: int, kind: str) -> int:
        return self.base + 2 * (role * len(self.types) + self.types.index(kind))

    def end_id(self, role: int, kind: str) -> int:
        return self.start_id(role, kind) + 1

    def __len__(self) -> int:
        return 2 * len(ROLES) * len(self.types)


def add_marker_tokens(tokenizer, types: Sequence[str]) -> tuple[MarkerVocab, list[list[int]]]:  # type: ignore[no-untyped-def]
    """Add the markers to ``tokenizer`` (as special tokens, never split); returns their vocab and,
    per marker, the ids of the pieces its text had before (for initialising its embedding).

    The markers must get consecutive new ids; a tokenizer that already has them (a second call)
    keeps its ids.
    """
    tokens = marker_tokens(types)
    before = [
        tokenizer(_readable(t), add_special_tokens=False)["input_ids"] or [tokenizer.unk_token_id]
        for t in tokens
    ]
    tokenizer.add_tokens(tokens, special_tokens=True)
    ids = tokenizer.convert_tokens_to_ids(tokens)
    if ids != list(range(ids[0], ids[0] + len(ids))):
        raise ValueError(f"marker tokens got non-consecutive ids {ids}")
    return MarkerVocab(tuple(types), int(ids[0])), before


def _readable(token: str) -> str:
    """``[/E1:male]`` -> ``[ / e1 male ]``: what the marker's embedding starts from."""
    inner = token[1:-1].replace(":", " ").lower()
    return f"[ {inner.replace('/', '/ ')} ]"


class MarkerEmbeddings(nn.Module):
    """Input embeddings of an encoder plus a trainable table for the marker ids (>= ``base``).

    ``forward(input_ids)`` returns (B, T, H) vectors for the encoder's ``inputs_embeds``; the
    encoder's own word embeddings are used (and frozen or not as the encoder is) for all other
    ids.
    """

    def __init__(self, word_embeddings: nn.Embedding, vocab: MarkerVocab,
                 init_pieces: list[list[int]]) -> None:
        super().__init__()
        self.word_embeddings = word_embeddings
        self.base = vocab.base
        with torch.no_grad():
            rows = [word_embeddings.weight[torch.tensor(p)].mean(0) for p in init_pieces]
        self.markers = nn.Parameter(torch.stack(rows).clone())

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        is_marker = input_ids >= self.base
        words = self.word_embeddings(input_ids.masked_fill(is_marker, 0))
        marks = self.markers[(input_ids - self.base).clamp(min=0, max=len(self.markers) - 1)]
        return torch.where(is_marker.unsqueeze(-1), marks.to(words.dtype), words)


@dataclass(frozen=True)
class MarkedSpan:
    """An argument mention to mark: characters ``[start, end)``, role 0 (E1) or 1 (E2), type."""

    start: int
    end: int
    role: int
    kind: str


def insert_markers(
    input_ids: Sequence[int], offsets: Sequence[Sequence[int]], spans: Sequence[MarkedSpan],
    vocab: MarkerVocab,
) -> tuple[list[int], list[int | None]]:
    """Insert the markers of ``spans`` into one tokenized text.

    ``offsets`` are the tokens' character spans (``(0, 0)`` for special tokens). Returns the new
    ids and, for each role, the position of the start marker of its first marked mention
    (None when no token of that role's mentions survived truncation).
    """
    before: dict[int, list[int]] = {}
    after: dict[int, list[int]] = {}
    for span in spans:
        hit = [i for i, (a, b) in enumerate(offsets) if b > a and a < span.end and b > span.start]
        if not hit:
            continue
        before.setdefault(hit[0], []).append(vocab.start_id(span.role, span.kind))
        after.setdefault(hit[-1], []).insert(0, vocab.end_id(span.role, span.kind))
    out: list[int] = []
    first: list[int | None] = [None] * len(ROLES)
    starts = {vocab.start_id(r, k): r for r in range(len(ROLES)) for k in vocab.types}
    for i, token in enumerate(input_ids):
        for marker in before.get(i, []):
            role = starts[marker]
            if first[role] is None:
                first[role] = len(out)
            out.append(marker)
        out.append(int(token))
        out.extend(after.get(i, []))
    return out, first


def pad_batch(rows: Sequence[Sequence[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``(input_ids, attention_mask)`` (B, T) of variable-length id lists."""
    width = max((len(r) for r in rows), default=1)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row, dtype=torch.long)
        mask[i, : len(row)] = 1
    return ids, mask


class MarkerTokenizer:
    """Tokenizes texts once (cached by text) and returns marked copies for argument pairs.

    ``tokenizer`` must be a fast Hugging Face tokenizer (character offsets); it gets the marker
    tokens of ``types`` added. ``max_length`` bounds the text's tokens before marking; markers
    come on top (4 per marked mention), within the encoder's position limit.
    """

    def __init__(self, tokenizer, types: Sequence[str], *, max_length: int = 128) -> None:  # type: ignore[no-untyped-def]
        if not getattr(tokenizer, "is_fast", False):
            raise ValueError("entity markers need a fast tokenizer (character offsets)")
        self.tokenizer = tokenizer
        self.vocab, self.init_pieces = add_marker_tokens(tokenizer, types)
        self.max_length = max_length
        self.pad_id = int(tokenizer.pad_token_id or 0)
        self._cache: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}

    def tokens(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """``(ids, offsets)`` of ``text`` with the special tokens, truncated to max_length."""
        found = self._cache.get(text)
        if found is None:
            enc = self.tokenizer(text, truncation=True, max_length=self.max_length,
                                 return_offsets_mapping=True)
            found = (list(enc["input_ids"]), [tuple(o) for o in enc["offset_mapping"]])
            self._cache[text] = found
        return found

    def mark(self, text: str, spans: Sequence[MarkedSpan]) -> tuple[list[int], list[int | None]]:
        """The marked ids of ``text`` and the start-marker position of each role."""
        ids, offsets = self.tokens(text)
        return insert_markers(ids, offsets, spans, self.vocab)
