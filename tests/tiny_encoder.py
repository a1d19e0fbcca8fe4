"""A tiny randomly initialised BERT written to disk, for tests that need an HF encoder path."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def write_tiny_bert(directory: Path, words: Iterable[str], *, seed: int | None = None) -> Path:
    """A 2-layer BERT (hidden 32) whose WordPiece vocabulary is ``words`` plus specials.

    ``seed`` fixes the random weights where a test depends on them.
    """
    import torch
    from transformers import BertConfig, BertModel, BertTokenizer

    if seed is not None:
        torch.manual_seed(seed)
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = specials + [w for w in dict.fromkeys(words) if w not in specials]
    tokenizer = BertTokenizer(vocab={w: i for i, w in enumerate(vocab)}, do_lower_case=True)
    tokenizer.save_pretrained(str(directory))
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(str(directory))
    return directory
