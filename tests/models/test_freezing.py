"""LM freezing policies on a tiny BERT built in the test."""

from __future__ import annotations

import pytest
from transformers import BertConfig, BertModel

from kg_reasoner.models.freezing import apply_freezing


def _tiny_bert() -> BertModel:
    cfg = BertConfig(vocab_size=50, hidden_size=32, num_hidden_layers=3, num_attention_heads=2,
                     intermediate_size=64)
    return BertModel(cfg)


def _trainable_layers(model: BertModel) -> list[bool]:
    return [any(p.requires_grad for p in layer.parameters()) for layer in model.encoder.layer]


def test_policies_none_all_top_k() -> None:
    model = _tiny_bert()
    apply_freezing(model, "none")
    assert all(p.requires_grad for p in model.parameters())
    assert apply_freezing(model, "all") == 0
    apply_freezing(model, "top_k", top_k=1)
    assert _trainable_layers(model) == [False, False, True]
    assert not any(p.requires_grad for p in model.embeddings.parameters())


def test_unknown_policy_is_rejected() -> None:
    with pytest.raises(ValueError, match="top_k"):
        apply_freezing(_tiny_bert(), "some")
