"""CLUTRR's frozen LM features: cached per text list and encoder reading, reread exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from kg_reasoner.models.text_encoder import TextEncoder
from kg_reasoner.tasks.clutrr.features import TextFeatures, encode_texts
from tests.tasks.clutrr.fixture import write_tiny_encoder

TEXTS = ["ann is the mother of bob.", "who is bob to ann?", "bob.", "ann is the mother of bob."]


@pytest.fixture(scope="module")
def encoder(tmp_path_factory: pytest.TempPathFactory) -> TextEncoder:
    torch.manual_seed(0)
    return TextEncoder(str(write_tiny_encoder(tmp_path_factory.mktemp("enc"))), max_length=16)


def _same(a: TextFeatures, b: TextFeatures) -> bool:
    return all(torch.equal(getattr(a, f), getattr(b, f)) and getattr(a, f).dtype
               == getattr(b, f).dtype for f in ("states", "offsets", "starts", "pooled"))


def _run(encoder: TextEncoder, cache: Path | None, **kwargs: object) -> TextFeatures:
    return encode_texts(encoder, TEXTS, batch_size=2, cache_dir=cache, progress=False,
                        **kwargs)  # type: ignore[arg-type]


def test_a_second_run_reads_exactly_what_the_first_computed(
    encoder: TextEncoder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = _run(encoder, None)
    first = _run(encoder, tmp_path)
    assert _same(first, fresh)
    assert len(list(tmp_path.glob("features-*.safetensors"))) == 1
    assert len(list(tmp_path.glob("features-*.json"))) == 1

    def no_model(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cached features were recomputed")

    monkeypatch.setattr(encoder, "tokenizer", no_model)
    assert _same(_run(encoder, tmp_path), fresh)


def test_another_layer_gets_its_own_features(encoder: TextEncoder, tmp_path: Path) -> None:
    last = _run(encoder, tmp_path)
    first_layer = _run(encoder, tmp_path, state_layer=1)
    assert not torch.equal(last.states, first_layer.states)
    assert torch.equal(last.pooled, first_layer.pooled)
    assert _same(_run(encoder, tmp_path, state_layer=1), first_layer)
    assert len(list(tmp_path.glob("features-*.safetensors"))) == 2


def test_a_cache_file_without_its_identity_is_recomputed(
    encoder: TextEncoder, tmp_path: Path
) -> None:
    fresh = _run(encoder, None)
    _run(encoder, tmp_path)
    (path,) = tmp_path.glob("features-*.safetensors")
    path.with_suffix(".json").unlink()  # as a cache written before the shared FeatureCache
    save_file({"states": torch.zeros(1, 32).half()}, str(path))
    assert _same(_run(encoder, tmp_path), fresh)
