"""Where CLUTRR accuracy can be lost, measured on the data alone (no model is trained).

    python scripts/clutrr_diagnostics.py
    python scripts/clutrr_diagnostics.py --data /path/to/data   # default: see data_paths

For each test k it reports:

- ``unseen_name_share``: the share of people whose name never occurs in the training stories;
- ``chains_revisiting_a_person``: stories whose chain of facts passes a person twice;
- symbolic accuracy of composing the gold facts with the composition table read off the k=2
  training stories (``r1 then r2 -> target``, every bracketing tried, only defined compositions
  kept; a story counts when exactly the target comes out, half when the target ties with
  another answer), along three walks: the chain as the story states it (``chain``), the
  shortest head->tail path of the gold graph (``shortest``) and every longest trail over its
  facts (``trail``, answers pooled), the two walks the path-composition reasoner offers; and
  ``every_trail``:
  the union of the answers of every head->tail trail that uses each stated fact exactly as
  many times as the story states it (what a walk choice could reach without the stated order);
- ``reversed_statement_share``: stories with a sentence that states a gold fact the other way
  round ("[A] took his son [B]" where the gold fact makes A B's son; see
  ``kg_reasoner.tasks.clutrr.consistency``), which a reader of the text cannot get right
  (``train_reversed_statement_share``: the same for the training stories).

Writes benchmarks/results/clutrr_diagnostics.json.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

from kg_reasoner.data_paths import default_data_root
from kg_reasoner.models.walks import (
    longest_trails,
    shortest_confident_path,
)
from kg_reasoner.tasks.clutrr.config import K_VALUES
from kg_reasoner.tasks.clutrr.consistency import reversed_statements
from kg_reasoner.tasks.clutrr.data import ClutrrExample, read_clutrr
from kg_reasoner.tasks.clutrr.kinship import inverse_relation
from kg_reasoner.tasks.clutrr.story_graph import gold_graph

ROOT = Path(__file__).resolve().parents[1]
Walk = Callable[[list[int], list[int], list[float], int, int], list]


def composition_table(train: list[ClutrrExample]) -> dict[tuple[str, str], str]:
    """``(r1, r2) -> target`` from the two-fact training stories (raises on a conflict)."""
    table: dict[tuple[str, str], str] = {}
    for example in train:
        if len(example.edges) == 2 and example.target:
            key = (example.edges[0][1], example.edges[1][1])
            if table.setdefault(key, example.target) != example.target:
                raise ValueError(f"two targets for {key}: the table is not a function")
    return table


def make_composer(table: dict[tuple[str, str], str]) -> Callable[[tuple[str, ...]], frozenset]:
    @cache
    def outcomes(chain: tuple[str, ...]) -> frozenset[str]:
        """Every relation some bracketing of ``chain`` composes to."""
        if len(chain) == 1:
            return frozenset(chain)
        found: set[str] = set()
        for cut in range(1, len(chain)):
            for left in outcomes(chain[:cut]):
                for right in outcomes(chain[cut:]):
                    if (left, right) in table:
                        found.add(table[(left, right)])
        return frozenset(found)

    return outcomes


def score(outcomes: frozenset[str], target: str) -> float:
    if outcomes == {target}:
        return 1.0
    return 0.5 if target in outcomes else 0.0


def walk_relations(example: ClutrrExample, walk: Walk) -> list[tuple[str, ...]]:
    """The relation sequences of the walk(s) over the gold graph."""
    graph = gold_graph(example)
    src = [u for u, _ in graph.edges]
    dst = [v for _, v in graph.edges]
    found = walk(src, dst, [1.0] * len(src), graph.index(example.head), graph.index(example.tail))
    paths = found if found and isinstance(found[0], list) else [found]
    return [tuple(graph.relation_of(e) for e in path) for path in paths]


def stated_trails(example: ClutrrExample) -> set[tuple[str, ...]]:
    """Relation sequences of every head->tail trail using each stated fact once, either way."""
    steps: dict[str, list[tuple[int, str, str]]] = {}
    for index, (u, rel, v) in enumerate(example.edges):
        steps.setdefault(u, []).append((index, rel, v))
        back = inverse_relation(rel, example.genders.get(u, "unknown"))
        if back is not None:
            steps.setdefault(v, []).append((index, back, u))
    found: set[tuple[str, ...]] = set()

    def extend(node: str, used: frozenset[int], relations: tuple[str, ...]) -> None:
        if len(used) == len(example.edges):
            if node == example.tail:
                found.add(relations)
            return
        for index, rel, nxt in steps.get(node, []):
            if index not in used:
                extend(nxt, used | {index}, (*relations, rel))

    extend(example.head, frozenset(), ())
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="example: python scripts/clutrr_diagnostics.py",
    )
    parser.add_argument("--data", default=None, help="data root (holds clutrr/train_k23/)")
    args = parser.parse_args()
    folder = Path(args.data or default_data_root()) / "clutrr" / "train_k23"
    train = read_clutrr(folder / "1.2,1.3_train.csv")
    train_names = {name for e in train for name in e.genders}
    compose = make_composer(composition_table(train))
    walks: dict[str, Walk] = {"shortest": shortest_confident_path, "trail": longest_trails}
    rows: dict[str, dict[str, float]] = {}
    for k in K_VALUES:
        tests = read_clutrr(folder / f"1.{k}_test.csv")
        people = [n for e in tests for n in e.genders]
        revisits = sum(
            len({e.edges[0][0], *(v for _, _, v in e.edges)}) < len(e.edges) + 1 for e in tests
        )
        row = {
            "stories": len(tests),
            "unseen_name_share": sum(n not in train_names for n in people) / len(people),
            "chains_revisiting_a_person": revisits / len(tests),
            "symbolic_chain": sum(
                score(compose(tuple(r for _, r, _ in e.edges)), e.target or "") for e in tests
            ) / len(tests),
        }
        for name, walk in walks.items():
            row[f"symbolic_{name}"] = sum(
                score(frozenset().union(*(compose(p) for p in walk_relations(e, walk))),
                      e.target or "")
                for e in tests
            ) / len(tests)
        row["reversed_statement_share"] = sum(
            bool(reversed_statements(e)) for e in tests) / len(tests)
        row["symbolic_every_trail"] = sum(
            score(frozenset().union(*(compose(t) for t in stated_trails(e))), e.target or "")
            for e in tests
        ) / len(tests)
        rows[str(k)] = row
        print(k, {key: round(value, 3) for key, value in row.items()}, flush=True)
    out = ROOT / "benchmarks/results/clutrr_diagnostics.json"
    train_reversed = sum(bool(reversed_statements(e)) for e in train) / len(train)
    print(f"training stories with a reversed statement: {train_reversed:.3f}")
    out.write_text(json.dumps({"command": "python scripts/clutrr_diagnostics.py", "by_k": rows,
                               "train_reversed_statement_share": train_reversed},
                              indent=2), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
