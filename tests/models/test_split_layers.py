"""Running an encoder's blocks in parts (cached frozen bottom, trainable top) gives the states
the whole model gives, for BERT-style blocks and for MPNet's, which share a relative-position
bias that the encoder computes once (all-mpnet-base-v2, `make mpnet`)."""

from __future__ import annotations

import pytest
import torch
from transformers import BertConfig, BertModel, MPNetConfig, MPNetModel

from kg_reasoner.extraction.supervised.layer_cache import run_prefix, run_suffix
from kg_reasoner.models.text_encoder import EncoderTop

SIZES = {
    "vocab_size": 40, "hidden_size": 32, "num_hidden_layers": 3, "num_attention_heads": 4,
    "intermediate_size": 64, "max_position_embeddings": 64,
}  # fmt: skip


def _model(kind: str) -> torch.nn.Module:
    torch.manual_seed(0)
    if kind == "mpnet":
        return MPNetModel(MPNetConfig(**SIZES)).eval()
    return BertModel(BertConfig(**SIZES)).eval()


@pytest.mark.parametrize("kind", ["bert", "mpnet"])
def test_prefix_then_suffix_equals_the_whole_encoder(kind: str) -> None:
    model = _model(kind)
    ids = torch.randint(3, 40, (2, 12))
    mask = torch.ones(2, 12, dtype=torch.long)
    mask[1, 8:] = 0  # padding
    with torch.no_grad():
        whole = model(input_ids=ids, attention_mask=mask).last_hidden_state
        bottom = run_prefix(model, ids, mask, 1)
        split = run_suffix(model, bottom, mask, 1)
        top = EncoderTop(model, 2)(bottom, mask)
    real = mask.bool()
    assert torch.allclose(split[real], whole[real], atol=1e-5)
    assert torch.allclose(top[real], whole[real], atol=1e-5)


def test_mpnet_blocks_without_their_position_bias_differ() -> None:
    # the check above can fail: the relative-position bias changes MPNet's states
    model = _model("mpnet")
    ids = torch.randint(3, 40, (1, 12))
    mask = torch.ones(1, 12, dtype=torch.long)
    with torch.no_grad():
        model.encoder.relative_attention_bias.weight.normal_(0, 5.0)
        whole = model(input_ids=ids, attention_mask=mask).last_hidden_state
        hidden = model.embeddings(input_ids=ids)
        for layer in model.encoder.layer:
            hidden = layer(hidden, None)[0]
    assert not torch.allclose(hidden, whole, atol=1e-3)
