"""The one resolver: names, classes and instances of any registry; unknown names list choices."""

from __future__ import annotations

import pytest

from kg_reasoner.errors import ConfigError
from kg_reasoner.resolver import lookup, resolve


class Shape:
    def __init__(self, *, size: int = 1) -> None:
        self.size = size


class Square(Shape):
    pass


class Circle(Shape):
    pass


REGISTRY: dict[str, type[Shape]] = {"square": Square, "circle": Circle}


def test_name_class_and_instance_resolve_to_an_instance() -> None:
    by_name = resolve("Square", REGISTRY, base=Shape, kind="shape", size=3)
    assert type(by_name) is Square and by_name.size == 3
    assert type(resolve(Circle, REGISTRY, base=Shape, kind="shape")) is Circle
    ready = Circle(size=5)
    assert resolve(ready, REGISTRY, base=Shape, kind="shape", size=9) is ready


def test_unknown_names_raise_config_error_listing_the_choices() -> None:
    with pytest.raises(ConfigError, match="unknown shape 'hexagon'; choose one of: circle, square"):
        resolve("hexagon", REGISTRY, base=Shape, kind="shape")
    with pytest.raises(ConfigError, match="choose one of"):
        lookup(int, REGISTRY, base=Shape, kind="shape")  # a class, but not a Shape
    assert lookup("circle", REGISTRY, base=Shape, kind="shape") is Circle
