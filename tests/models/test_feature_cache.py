"""The one LM feature cache: round trips exactly, is never read under another identity."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from kg_reasoner.models.feature_cache import FeatureCache, identity_digest


def _entries() -> dict[str, dict[str, torch.Tensor]]:
    g = torch.Generator().manual_seed(0)
    return {
        text: {
            "states": torch.randn(n, 4, generator=g).half(),  # ragged: one row per token
            "offsets": torch.arange(2 * n, dtype=torch.int32).reshape(n, 2),
            "pooled": torch.randn(4, generator=g),  # stacked: one vector per text
        }
        for text, n in (("Ann met Bob.", 3), ("Who is Cy?", 5), ("", 1))
    }


def test_a_saved_cache_reads_back_the_same_tensors(tmp_path: Path) -> None:
    cache = FeatureCache(identity=("enc", 64, "last"))
    for key, tensors in _entries().items():
        cache.put(key, tensors)
    cache.save(tmp_path / "f.safetensors")
    meta = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    assert meta["layout"] == {"states": "ragged", "offsets": "ragged", "pooled": "stacked"}
    assert meta["key"] == cache.key == identity_digest(("enc", 64, "last"))
    again = FeatureCache(identity=("enc", 64, "last"))
    assert again.load(tmp_path / "f.safetensors") == 3
    assert sorted(again.keys()) == sorted(_entries())
    for key, tensors in _entries().items():
        got = again.get(key)
        assert set(got) == set(tensors)
        for name, value in tensors.items():
            assert got[name].dtype == value.dtype and torch.equal(got[name], value)
    assert again.missing(["Who is Cy?", "new", "new"]) == ["new"]


def test_a_cache_of_another_encoder_or_layer_is_never_read(tmp_path: Path) -> None:
    cache = FeatureCache(identity=("enc", 64, "last"))
    cache.put("Ann met Bob.", {"pooled": torch.ones(4)})
    cache.save(tmp_path / "f.safetensors")
    for identity in (("other", 64, "last"), ("enc", 32, "last"), ("enc", 64, 5)):
        other = FeatureCache(identity=identity)
        assert other.load(tmp_path / "f.safetensors") == 0 and len(other) == 0


def test_missing_or_half_written_files_add_nothing(tmp_path: Path) -> None:
    cache = FeatureCache(identity=("enc",))
    assert cache.load(tmp_path / "absent.safetensors") == 0
    save_file({"pooled": torch.ones(1, 4)}, str(tmp_path / "bare.safetensors"))  # no JSON
    assert cache.load(tmp_path / "bare.safetensors") == 0 and len(cache) == 0
    cache.save(tmp_path / "empty.safetensors")  # an empty cache writes nothing
    assert not list(tmp_path.glob("empty*"))


def test_entries_in_memory_win_over_loaded_ones(tmp_path: Path) -> None:
    saved = FeatureCache(identity=("enc",))
    saved.put("a", {"v": torch.zeros(2)})
    saved.put("b", {"v": torch.zeros(2)})
    saved.save(tmp_path / "f.safetensors")
    cache = FeatureCache(identity=("enc",))
    cache.put("a", {"v": torch.ones(2)})
    assert cache.load(tmp_path / "f.safetensors") == 2
    assert torch.equal(cache.get("a")["v"], torch.ones(2))
    assert torch.equal(cache.get("b")["v"], torch.zeros(2))
    cache.clear()
    assert len(cache) == 0 and "a" not in cache


def test_entries_with_different_fields_are_refused() -> None:
    cache = FeatureCache(identity=("enc",))
    cache.put("a", {"v": torch.zeros(2)})
    cache.put("b", {"w": torch.zeros(2)})
    with pytest.raises(ValueError, match="same fields"):
        cache.save("unused.safetensors")


def test_question_vectors_saved_before_the_shared_cache_still_load(tmp_path: Path) -> None:
    """The KGQA question cache kept its format: ``vectors`` + ``{key, texts}`` JSON."""
    from kg_reasoner.models.kgqa.question_embedder import QuestionEmbedder

    vectors = torch.randn(2, 8, generator=torch.Generator().manual_seed(1))
    save_file({"vectors": vectors}, str(tmp_path / "q.safetensors"))
    key = hashlib.sha1(b"no-such-encoder|64").hexdigest()
    meta = {"key": key, "texts": ["where was ENTITY born", "who wrote ENTITY"]}
    (tmp_path / "q.json").write_text(json.dumps(meta), encoding="utf-8")
    embedder = QuestionEmbedder("no-such-encoder", max_length=64)
    assert embedder.load_cache(tmp_path / "q.safetensors") == 2
    out = embedder.embed(["who wrote ENTITY", "where was ENTITY born"])  # no encoder is loaded
    assert torch.equal(out, vectors.flip(0))
    embedder.save_cache(tmp_path / "again.safetensors")
    other = QuestionEmbedder("no-such-encoder", max_length=32)
    assert other.load_cache(tmp_path / "again.safetensors") == 0
    same = QuestionEmbedder("no-such-encoder", max_length=64)
    assert same.load_cache(tmp_path / "again.safetensors") == 2
    assert torch.equal(same.embed(["who wrote ENTITY"])[0], vectors[1])
