from __future__ import annotations

from pathlib import Path

import pytest

from kg_reasoner.models.text_encoder import load_tokenizer_and_model
from tests.tiny_encoder import write_tiny_bert


def test_loading_an_encoder_prints_no_progress_bar(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from transformers.utils import logging as hf_logging

    encoder_dir = write_tiny_bert(tmp_path / "bert", ["marie", "curie"])
    capfd.readouterr()
    load_tokenizer_and_model(str(encoder_dir))
    _, err = capfd.readouterr()
    assert "Loading weights" not in err
    assert hf_logging.is_progress_bar_enabled()  # restored for whoever wants bars elsewhere
