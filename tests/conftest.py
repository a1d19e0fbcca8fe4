"""Shared fixtures: small corpora written by the tests themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

DOCS = {
    "people/curie.txt": (
        "Marie Curie was born in Warsaw. She worked for the University of Paris.\n\n"
        "Curie discovered polonium. Pierre Curie married Marie Curie in 1895."
    ),
    "people/turing.md": (
        "# Alan Turing\n\nAlan Turing was born in London. Turing worked for Bletchley Park."
    ),
    "companies/google.txt": (
        "Google was founded by Larry Page and Sergey Brin. Google's founder Larry Page "
        "lives in California. Sundar Pichai, the CEO of Google, was born in Madurai."
    ),
    "places/warsaw.txt": "Warsaw is the capital of Poland. Marie Curie was born in Warsaw.",
}


def write_corpus(root: Path, docs: dict[str, str] | None = None) -> Path:
    for rel, text in (docs or DOCS).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    from kg_reasoner.extraction.spacy_loader import load_spacy

    return load_spacy()
