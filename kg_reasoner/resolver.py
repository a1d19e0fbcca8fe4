"""One resolver for every registry: a name, a class or an instance -> an instance.

Like PyG's ``class_resolver``: configs name a component (``graph_encoder: rgcn``), code may pass
the class or a ready instance, and an unknown name raises :class:`ConfigError` listing the choices.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from kg_reasoner.errors import ConfigError

T = TypeVar("T")


def lookup(query: str | type[T], registry: Mapping[str, type[T]], *, base: type[T],
           kind: str) -> type[T]:
    """The class named by ``query`` (case-insensitive), or ``query`` itself when it is a
    subclass of ``base``; anything else raises :class:`ConfigError` with the choices."""
    if isinstance(query, type) and issubclass(query, base):
        return query
    cls = registry.get(str(query).lower()) if isinstance(query, str) else None
    if cls is None:
        raise ConfigError(f"unknown {kind} {query!r}; choose one of: {', '.join(sorted(registry))}")
    return cls


def resolve(query: str | type[T] | T, registry: Mapping[str, type[T]], *, base: type[T],
            kind: str, **kwargs: Any) -> T:
    """An instance of ``base``: ``query`` itself if it is one, else the class it names (or is)
    built with ``kwargs``."""
    if isinstance(query, base):
        return query
    return lookup(query, registry, base=base, kind=kind)(**kwargs)  # type: ignore[arg-type]
