"""Normalised forms of entity names, used to match question text against labels and aliases."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
_ARTICLE = re.compile(r"^(the|a|an) ")


def normalise_label(text: str) -> str:
    """Case-, accent-, punctuation- and leading-article-insensitive form: 'The Café!' -> 'cafe'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = _NON_WORD.sub(" ", stripped.casefold()).strip()
    return _ARTICLE.sub("", words)


def trigrams(text: str) -> set[str]:
    """Character trigrams of a normalised string padded with spaces."""
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}
