"""Typed configurations loaded from YAML with dotted command-line overrides.

Every config class derives from :class:`StrictModel`, which rejects unknown keys; the error
message lists the valid keys so a typo is fixed at once.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from kg_reasoner.errors import ConfigError

ModelT = TypeVar("ModelT", bound=BaseModel)


class StrictModel(BaseModel):
    """A pydantic model that forbids unknown keys and validates assignments."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, protected_namespaces=())


def read_yaml(path: str | Path) -> dict[str, Any]:
    """Read a YAML mapping, raising :class:`ConfigError` with the file name on any problem."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path} must contain a mapping at the top level, not {type(data).__name__}"
        )
    return data


def apply_overrides(data: dict[str, Any], overrides: list[str] | None) -> dict[str, Any]:
    """Apply ``a.b.c=value`` overrides to a nested mapping (values parsed as YAML scalars)."""
    result = _deep_copy(data)
    for item in overrides or []:
        if "=" not in item:
            raise ConfigError(f"override {item!r} must look like key.subkey=value")
        dotted, raw = item.split("=", 1)
        keys = [k for k in dotted.strip().split(".") if k]
        if not keys:
            raise ConfigError(f"override {item!r} has an empty key")
        try:
            value = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError as exc:
            raise ConfigError(f"override {item!r}: cannot parse value: {exc}") from exc
        node = result
        for key in keys[:-1]:
            child = node.get(key)
            if child is None:
                child = node[key] = {}
            if not isinstance(child, dict):
                raise ConfigError(f"override {item!r}: {key!r} is not a section")
            node = child
        node[keys[-1]] = value
    return result


def _deep_copy(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _deep_copy(v) if isinstance(v, dict) else v for k, v in data.items()}


def validate_config(model: type[ModelT], data: dict[str, Any], source: str = "config") -> ModelT:
    """Validate ``data`` against ``model``; errors name the key, the problem and the valid keys."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(model, exc, source)) from None


def load_config(
    model: type[ModelT], path: str | Path, overrides: list[str] | None = None
) -> ModelT:
    """Load a YAML file into ``model``, applying dotted overrides first."""
    data = apply_overrides(read_yaml(path), overrides)
    return validate_config(model, data, source=str(path))


def format_validation_error(model: type[BaseModel], exc: ValidationError, source: str) -> str:
    """Turn pydantic's error list into lines a user can act on."""
    lines = [f"invalid {source}:"]
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        where = ".".join(loc) or "(top level)"
        if err["type"] == "extra_forbidden":
            valid = sorted(_fields_at(model, loc[:-1]))
            hint = closest_key(loc[-1], valid)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            lines.append(
                f"  unknown key {where!r}{suggestion}; valid keys here: {', '.join(valid)}"
            )
        else:
            lines.append(f"  {where}: {err['msg']}")
    return "\n".join(lines)


def closest_key(key: str, valid: list[str]) -> list[str]:
    """The valid key a misspelt or spelt-out ``key`` most likely means (``[]`` when none).

    Besides close spellings, an abbreviation matches its words' initials either way round
    (``learning_rate`` <-> ``lr``).
    """
    close = difflib.get_close_matches(key, valid, n=1)
    if close:
        return close

    def initials(name: str) -> str:
        return "".join(word[0] for word in name.lower().split("_") if word)

    def abbreviates(short: str, long: str) -> bool:
        return "_" in long and initials(long) == short.lower()

    return [v for v in valid if abbreviates(key, v) or abbreviates(v, key)][:1]


def _fields_at(model: type[BaseModel], path: list[str]) -> list[str]:
    current: Any = model
    for key in path:
        fields = getattr(current, "model_fields", None)
        if not fields or key not in fields:
            return []
        annotation = fields[key].annotation
        current = _model_in(annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}).keys())


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None
