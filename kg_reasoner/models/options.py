"""Typed options of a registered model: the extra constructor arguments a config may set.

A config names a model (``graph_encoder: gat``) and may pass it options as a plain mapping
(``graph_encoder_options: {heads: 2}``). Each model declares the options it accepts as a
:class:`ModelOptions` subclass, so a misspelt or mistyped key is a :class:`ConfigError` naming the
valid keys (not a ``TypeError`` from the constructor), and values get their declared types
(``heads: 2.0`` from a ``float | str`` mapping becomes the int 2).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kg_reasoner.config import StrictModel, validate_config
from kg_reasoner.errors import ConfigError


class ModelOptions(StrictModel):
    """Base of the per-model option classes (no options by default)."""

    @classmethod
    def parse(cls, options: Mapping[str, Any] | None, *, kind: str) -> dict[str, Any]:
        """Validate a config's option mapping; returns the constructor keyword arguments."""
        data = dict(options or {})
        if data and not cls.model_fields:
            raise ConfigError(f"the {kind} takes no options; remove {', '.join(sorted(data))}")
        return validate_config(cls, data, source=f"{kind} options").model_dump()
