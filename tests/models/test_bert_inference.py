"""The plain-torch BERT forward behind `kgr ask`: same vectors as TextEncoder, no transformers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg_reasoner.models.kgqa.bert_inference import BertInference, supports
from kg_reasoner.models.text_encoder import resolve_encoder_path

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "Where was ENTITY born?",
    "ENTITY born in, which capital of",
    "Zürich, café and naïve words with accents",
    "x",
    "Who is the chief executive of ENTITY? " * 12,  # longer than max_length: truncated
]


def test_only_local_bert_checkpoints_are_supported(tmp_path: Path) -> None:
    assert supports(resolve_encoder_path())
    assert not supports(tmp_path)
    assert not supports("bert-base-uncased")  # a hub id, not a directory


@pytest.mark.slow
def test_vectors_match_the_transformers_encoder() -> None:
    from kg_reasoner.models.text_encoder import TextEncoder

    fast = BertInference(resolve_encoder_path(), max_length=64).encode(TEXTS, batch_size=2)
    reference = TextEncoder(max_length=64).encode(TEXTS)
    assert fast.shape == reference.shape == (len(TEXTS), 384)
    assert (fast - reference).abs().max().item() < 1e-5


@pytest.mark.slow
def test_question_embedding_does_not_import_transformers() -> None:
    code = (
        "import sys\n"
        "from kg_reasoner.models.kgqa.question_embedder import QuestionEmbedder\n"
        "from kg_reasoner.models.text_encoder import DEFAULT_ENCODER\n"
        "vectors = QuestionEmbedder(DEFAULT_ENCODER).embed(['Where was ENTITY born?'])\n"
        "assert vectors.shape == (1, 384), vectors.shape\n"
        "assert 'transformers' not in sys.modules, 'transformers was imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-500:]
