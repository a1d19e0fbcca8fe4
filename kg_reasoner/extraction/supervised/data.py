"""Reading labelled sentences in the CoNLL04 JSON format.

A file is a JSON array (or JSON lines) of records::

    {"tokens": ["John", "works", "for", "IBM", "."],
     "entities": [[0, 1, "Peop"], [3, 4, "Org"]],
     "relations": [[0, 1, 3, 4, "Work_For"]]}

Spans are token offsets, end exclusive; a relation names its head and tail by their spans, which
must be entities of the same record. Other keys are ignored. A malformed record raises
:class:`DataFormatError` naming the file, the record and the field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg_reasoner.errors import DataFormatError

Span = tuple[int, int]


@dataclass(frozen=True)
class Entity:
    """A typed token span ``[start, end)``; ``name`` is the entity it names, when known."""

    start: int
    end: int
    type: str
    name: str = ""  # e.g. the DBpedia id a WebNLG reference ties the span to

    @property
    def span(self) -> Span:
        return (self.start, self.end)


@dataclass(frozen=True)
class Relation:
    """A typed, directed relation between the entity spans ``head`` and ``tail``."""

    head: Span
    tail: Span
    type: str


@dataclass(frozen=True)
class Example:
    """One labelled sentence."""

    tokens: tuple[str, ...]
    entities: tuple[Entity, ...] = field(default_factory=tuple)
    relations: tuple[Relation, ...] = field(default_factory=tuple)

    def to_record(self) -> dict[str, Any]:
        """The JSON record this example was read from (in canonical form)."""
        return {
            "tokens": list(self.tokens),
            "entities": [
                [e.start, e.end, e.type, *([e.name] if e.name else [])] for e in self.entities
            ],
            "relations": [[*r.head, *r.tail, r.type] for r in self.relations],
        }


def read_examples(path: str | Path) -> list[Example]:
    """Read a ``.json`` array or ``.jsonl`` file of records; errors name record and field."""
    path = Path(path)
    if not path.is_file():
        raise DataFormatError(f"data file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFormatError(f"{path}: cannot read as UTF-8 text: {exc}") from exc
    records = _parse_json(path, text)
    return [parse_record(rec, where=f"{path}: record {i}") for i, rec in enumerate(records)]


def write_examples(path: str | Path, examples: Iterable[Example]) -> None:
    """Write examples as a JSON array (the format :func:`read_examples` reads)."""
    Path(path).write_text(json.dumps([e.to_record() for e in examples]), encoding="utf-8")


def _parse_json(path: Path, text: str) -> list[Any]:
    if path.suffix == ".jsonl":
        records = []
        for lineno, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise DataFormatError(f"{path}: line {lineno} is not valid JSON: {exc}") from None
        return records
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFormatError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, list):
        raise DataFormatError(
            f"{path} must hold a JSON array of records, not {type(data).__name__} "
            "(or use a .jsonl file with one record per line)"
        )
    return data


def parse_record(record: Any, *, where: str = "record") -> Example:
    """Validate one record and turn it into an :class:`Example`."""
    if not isinstance(record, dict):
        raise DataFormatError(f"{where}: must be an object with 'tokens', 'entities', 'relations'")
    tokens = record.get("tokens")
    if not isinstance(tokens, list) or not tokens:
        raise DataFormatError(f"{where}: field 'tokens' must be a non-empty list of strings")
    for i, tok in enumerate(tokens):
        if not isinstance(tok, str) or not tok:
            raise DataFormatError(f"{where}: field 'tokens[{i}]' must be a non-empty string")
    entities = [
        _parse_entity(item, len(tokens), f"{where}: field 'entities[{i}]'")
        for i, item in enumerate(_list_field(record, "entities", where))
    ]
    by_span: dict[Span, Entity] = {}
    for i, ent in enumerate(entities):
        if ent.span in by_span:
            raise DataFormatError(
                f"{where}: field 'entities[{i}]' repeats the span {list(ent.span)}; "
                "give each span one type"
            )
        by_span[ent.span] = ent
    relations = [
        _parse_relation(item, by_span, f"{where}: field 'relations[{i}]'")
        for i, item in enumerate(_list_field(record, "relations", where))
    ]
    return Example(tuple(tokens), tuple(entities), tuple(relations))


def _list_field(record: dict[str, Any], name: str, where: str) -> list[Any]:
    value = record.get(name, [])
    if not isinstance(value, list):
        raise DataFormatError(f"{where}: field '{name}' must be a list, not {type(value).__name__}")
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_entity(item: Any, n_tokens: int, where: str) -> Entity:
    if not isinstance(item, list) or len(item) not in (3, 4):
        raise DataFormatError(f"{where}: must be [start, end, type] or [start, end, type, name], "
                              f"got {item!r}")
    start, end, label = item[:3]
    name = item[3] if len(item) == 4 else ""
    if not isinstance(name, str):
        raise DataFormatError(f"{where}: name must be a string, got {name!r}")
    if not (_is_int(start) and _is_int(end)):
        raise DataFormatError(f"{where}: start and end must be integers, got {item!r}")
    if not isinstance(label, str) or not label:
        raise DataFormatError(f"{where}: type must be a non-empty string, got {label!r}")
    if not 0 <= start < end <= n_tokens:
        raise DataFormatError(
            f"{where}: span [{start}, {end}) must satisfy 0 <= start < end <= {n_tokens} "
            "(the number of tokens; end is exclusive)"
        )
    return Entity(start, end, label, name)


def _parse_relation(item: Any, entities: dict[Span, Entity], where: str) -> Relation:
    if not isinstance(item, list) or len(item) != 5:
        raise DataFormatError(
            f"{where}: must be [head_start, head_end, tail_start, tail_end, type], got {item!r}"
        )
    *offsets, label = item
    if not all(_is_int(x) for x in offsets):
        raise DataFormatError(f"{where}: the four offsets must be integers, got {item!r}")
    if not isinstance(label, str) or not label:
        raise DataFormatError(f"{where}: type must be a non-empty string, got {label!r}")
    head, tail = (offsets[0], offsets[1]), (offsets[2], offsets[3])
    for role, span in (("head", head), ("tail", tail)):
        if span not in entities:
            raise DataFormatError(
                f"{where}: the {role} span {list(span)} is not one of the record's entities; "
                "add it to 'entities' first"
            )
    return Relation(head, tail, label)
