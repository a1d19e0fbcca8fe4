"""Reading CLUTRR CSV files into typed examples, with errors that name the row and field.

Two releases are read:

- the EMNLP 2019 CSVs (``../shared/data/clutrr``): ``target`` is the relation name;
- the Hugging Face ``CLUTRR/v1`` CSVs: ``target`` is an integer id and ``target_text`` the
  relation name (the name is what is read; the id must be an integer).

In the robustness splits (``task_2.k`` supporting, ``task_3.k`` irrelevant, ``task_4.k``
disconnected facts) ``story_edges`` lists the untyped noise edges after the typed chain edges
that ``edge_types`` types; the gold graph keeps the typed edges and the example counts the rest
in ``noise_edges``. Anything else (fewer pairs than types, an unknown relation, a person not in
``genders``) is a one-line :class:`DataFormatError` naming the file and row.

Validation is split off the training file by *template* (a sentence with its names masked):
CLUTRR's test stories are written with templates training never shows, and a validation set of
seen templates overstates test accuracy (see :func:`split_by_template`).
"""

from __future__ import annotations

import ast
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kg_reasoner.errors import DataFormatError
from kg_reasoner.tasks.clutrr.kinship import GENDERS, RELATIONS

REQUIRED_COLUMNS = ("story", "query", "target", "story_edges", "edge_types", "genders")
_TASK_K = re.compile(r"task_(\d+)\.(\d+)")
#: The noise kind each CLUTRR task family adds (``task_<family>.<k>``).
NOISE_KINDS = {1: "clean", 2: "supporting", 3: "irrelevant", 4: "disconnected"}
_NAME = re.compile(r"\[[^\]]*\]")


@dataclass(frozen=True)
class ClutrrExample:
    """One story with its query pair, the answer and (when given) the gold graph."""

    id: str
    story: str
    head: str
    tail: str
    target: str | None = None
    edges: tuple[tuple[str, str, str], ...] = ()
    genders: dict[str, str] = field(default_factory=dict)
    k: int = 0
    noise: str | None = None
    noise_edges: int = 0


def read_clutrr(path: str | Path, *, limit: int | None = None) -> list[ClutrrExample]:
    """Read a CLUTRR CSV (columns story, query, target, story_edges, edge_types, genders),
    EMNLP or Hugging Face ``CLUTRR/v1`` (with ``target_text``)."""
    path = Path(path)
    if not path.is_file():
        raise DataFormatError(f"CLUTRR file not found: {path}")
    try:
        frame = pd.read_csv(path, nrows=limit)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataFormatError(f"{path} is not a readable CSV: {str(exc).splitlines()[0]}") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise DataFormatError(
            f"{path} lacks the column(s) {', '.join(missing)}; a CLUTRR CSV needs "
            f"{', '.join(REQUIRED_COLUMNS)}"
        )
    return [_parse_row(path, i, row) for i, row in enumerate(frame.to_dict("records"))]


def _parse_row(path: Path, index: int, row: dict) -> ClutrrExample:
    where = f"{path.name} row {index + 1}"
    try:
        head, tail = ast.literal_eval(str(row["query"]))
        pairs = ast.literal_eval(str(row["story_edges"]))
        types = ast.literal_eval(str(row["edge_types"]))
    except (ValueError, SyntaxError, TypeError) as exc:
        raise DataFormatError(
            f"{where}: query/story_edges/edge_types are not literals: {exc}"
        ) from None
    if not isinstance(pairs, list | tuple) or not isinstance(types, list | tuple):
        raise DataFormatError(f"{where}: story_edges and edge_types must be lists")
    genders = parse_genders(str(row["genders"]), where)
    names = list(genders)
    if len(pairs) < len(types):
        raise DataFormatError(f"{where}: {len(pairs)} story_edges but {len(types)} edge_types "
                              "(every edge type needs its story edge)")
    edges = []
    for pair in pairs:  # the typed chain edges and the untyped noise edges after them
        if not (isinstance(pair, list | tuple) and len(pair) == 2
                and all(isinstance(x, int) and x >= 0 for x in pair)):
            raise DataFormatError(f"{where}: story edge {pair!r} is not a pair of person indices")
        if max(pair) >= len(names):
            raise DataFormatError(f"{where}: edge {tuple(pair)} names a person not in genders")
    for (u, v), rel in zip(pairs, types, strict=False):
        if rel not in RELATIONS:
            raise DataFormatError(f"{where}: unknown edge type {rel!r}")
        edges.append((names[u], rel, names[v]))
    target = _target(row, where)
    match = _TASK_K.search(str(row.get("task_name", "")))
    return ClutrrExample(
        id=str(row.get("id", index)),
        story=str(row["story"]),
        head=str(head),
        tail=str(tail),
        target=target,
        edges=tuple(edges),
        genders=genders,
        k=int(match.group(2)) if match else len(edges),
        noise=NOISE_KINDS.get(int(match.group(1))) if match else None,
        noise_edges=len(pairs) - len(types),
    )


def _target(row: dict, where: str) -> str:
    """The relation name: ``target`` (EMNLP) or ``target_text`` next to an integer ``target``
    id (Hugging Face ``CLUTRR/v1``)."""
    text = row.get("target_text")
    if isinstance(text, str) and text.strip():
        raw = row["target"]
        if not _is_integer(raw):
            raise DataFormatError(f"{where}: target_text is given, so target must be the integer "
                                  f"relation id, not {raw!r}")
        target = text.strip()
    else:
        target = str(row["target"]).strip()
    if target not in RELATIONS:
        raise DataFormatError(f"{where}: unknown target {target!r}")
    return target


def _is_integer(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, str) and value.strip().lstrip("-").isdigit()


def parse_genders(text: str, where: str = "genders") -> dict[str, str]:
    """``"Donald:male,Dorothy:female"`` -> ``{"Donald": "male", "Dorothy": "female"}``."""
    genders: dict[str, str] = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        name, _, gender = item.rpartition(":")
        if not name or gender not in GENDERS:
            raise DataFormatError(f"{where}: bad gender entry {item!r} (expected Name:male|female)")
        genders[name] = gender
    return genders


def split_train_validation(
    examples: list[ClutrrExample], fraction: float, seed: int
) -> tuple[list[ClutrrExample], list[ClutrrExample]]:
    """A fixed, seeded validation slice of the training file."""
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    cut = max(1, round(len(examples) * fraction))
    return [examples[i] for i in order[cut:]], [examples[i] for i in order[:cut]]


def sentence_template(sentence: str) -> str:
    """A sentence with its names masked: ``"[Ann] met her son [Bob]."`` -> ``"[P] met her son
    [P]."`` (lower-cased, spaces collapsed)."""
    return " ".join(_NAME.sub("[P]", sentence).lower().split())


def story_templates(story: str) -> frozenset[str]:
    """The templates of a story's sentences."""
    from kg_reasoner.tasks.clutrr.story_graph import split_sentences

    return frozenset(sentence_template(s) for s in split_sentences(story))


def split_by_template(
    examples: list[ClutrrExample], fraction: float, seed: int
) -> tuple[list[ClutrrExample], list[ClutrrExample]]:
    """Hold out sentence templates, not stories: templates are drawn in a seeded order until
    the stories using any drawn template make up ``fraction`` of the file; those stories are the
    validation set, and no training story uses a held-out template.

    So every validation story has at least one sentence written in a way training never shows
    (as CLUTRR's test stories do), and the extractor is scored on unseen wording.
    """
    templates = [story_templates(e.story) for e in examples]
    users: dict[str, list[int]] = {}
    for i, found in enumerate(templates):
        for template in found:
            users.setdefault(template, []).append(i)
    order = sorted(users)
    random.Random(seed).shuffle(order)
    target = max(1, round(len(examples) * fraction))
    held: set[int] = set()
    for template in order:
        if len(held) >= target:
            break
        held.update(users[template])
    if len(held) == len(examples):
        raise DataFormatError(
            f"holding out templates for a {fraction:.0%} validation split leaves no training "
            f"story ({len(users)} templates in {len(examples)} stories); use "
            "data.validation_split: story"
        )
    return ([e for i, e in enumerate(examples) if i not in held],
            [e for i, e in enumerate(examples) if i in held])


def unseen_template_fraction(
    train: list[ClutrrExample], other: list[ClutrrExample]
) -> float:
    """The share of ``other``'s sentences whose template no ``train`` story uses."""
    from kg_reasoner.tasks.clutrr.story_graph import split_sentences

    seen = set().union(*(story_templates(e.story) for e in train)) if train else set()
    sentences = [sentence_template(s) for e in other for s in split_sentences(e.story)]
    return sum(t not in seen for t in sentences) / len(sentences) if sentences else 0.0


def split_validation(
    examples: list[ClutrrExample], fraction: float, seed: int, how: str = "template"
) -> tuple[list[ClutrrExample], list[ClutrrExample]]:
    """The (train, validation) split of ``data.validation_split``: by template or by story."""
    if how == "template":
        return split_by_template(examples, fraction, seed)
    if how == "story":
        return split_train_validation(examples, fraction, seed)
    raise DataFormatError(f"unknown validation split {how!r}; choose template or story")


def sample_stories(
    examples: list[ClutrrExample], size: int | None, seed: int
) -> list[ClutrrExample]:
    """A seeded random sample of ``size`` stories in file order (all of them when ``size`` is
    None or not smaller)."""
    if size is None or size >= len(examples):
        return examples
    keep = sorted(random.Random(seed).sample(range(len(examples)), size))
    return [examples[i] for i in keep]
