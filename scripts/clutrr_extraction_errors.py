"""Where a CLUTRR run on extracted graphs loses its test stories, by what the extractor read.

    python scripts/clutrr_extraction_errors.py       # the run runs/bench_clutrr/gnn_extracted
    python scripts/clutrr_extraction_errors.py --run runs/clutrr_fused --out /tmp/errors.json

Each test story falls in the first group that fits: ``reversed`` (a gold fact read the other way
round: the extracted relation of a pair is the gold relation of the reverse pair, as when "[A]
took his son [B]" is read as B being A's son), ``other_relation`` (a gold fact read as another
relation), ``missed`` (a gold fact with no extracted edge) or ``clean`` (every gold fact read
as the gold graph states it; extra edges are allowed). For each group and k: stories and the
run's accuracy on them; for ``reversed`` also how many of those stories the text itself states
the other way round (``kg_reasoner.tasks.clutrr.consistency``: the sentence says what the
extractor read, so the gold label, not the reader, disagrees with the text).
Writes benchmarks/results/clutrr_extraction_errors.json.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

import torch

from kg_reasoner.tasks.clutrr.consistency import reversed_statements
from kg_reasoner.tasks.clutrr.data import read_clutrr
from kg_reasoner.tasks.clutrr.extractor_training import _typed_edges
from kg_reasoner.tasks.clutrr.kinship import RELATIONS
from kg_reasoner.tasks.clutrr.story_graph import StoryGraph
from kg_reasoner.tasks.clutrr.task import _graphs, _prepare, load_run, predict_split

ROOT = Path(__file__).resolve().parents[1]
GROUPS = ("clean", "reversed", "other_relation", "missed")


def typed_pairs(graph: StoryGraph) -> dict[tuple[str, str], str]:
    """Ordered pair of names -> relation, from the typed edges edge F1 scores."""
    return {(a, b): rel for a, rel, b in _typed_edges(graph)}


def group_of(gold: dict[tuple[str, str], str], read: dict[tuple[str, str], str]) -> str:
    """The first group of :data:`GROUPS` (after ``clean``) the story's reading falls in."""
    wrong = {pair: read[pair] for pair, rel in gold.items() if pair in read and read[pair] != rel}
    if any(gold.get((b, a)) == rel for (a, b), rel in wrong.items()):
        return "reversed"
    if wrong:
        return "other_relation"
    return "missed" if any(pair not in read for pair in gold) else "clean"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, default=ROOT / "runs/bench_clutrr/gnn_extracted",
                        help="a trained clutrr run on extracted graphs")
    parser.add_argument("--out", type=Path,
                        default=ROOT / "benchmarks/results/clutrr_extraction_errors.json")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    config, model, extractor, encoder = load_run(args.run)
    if extractor is None:
        parser.error(f"{args.run} reads gold graphs: give a run on extracted graphs")
    examples = [e for f in config.data.test_files for e in read_clutrr(config.data.resolve(f))]
    split = _prepare(config, encoder, examples, "evaluation")
    graphs = _graphs(config, extractor, split)
    assert graphs is not None
    predicted = predict_split(model, split, graphs, use_text=config.model.use_text)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    confusions: Counter[str] = Counter()
    for example, gold, read, answer in zip(examples, split.gold, graphs, predicted, strict=True):
        gold_pairs, read_pairs = typed_pairs(gold), typed_pairs(read)
        group = group_of(gold_pairs, read_pairs)
        right = int(answer) == RELATIONS.index(example.target or "")
        c = counts[str(example.k)]
        c["stories"] += 1
        c["right"] += right
        c[group] += 1
        c[f"{group}_right"] += right
        if group == "reversed" and reversed_statements(example):
            c["reversed_in_text"] += 1
        for pair, rel in gold_pairs.items():
            if pair in read_pairs and read_pairs[pair] != rel:
                confusions[f"{rel} read as {read_pairs[pair]}"] += 1
    by_k = {}
    for k, c in sorted(counts.items(), key=lambda kv: int(kv[0])):
        by_k[k] = {"stories": c["stories"], "accuracy": c["right"] / c["stories"],
                   **{g: {"stories": c[g], "accuracy": c[f"{g}_right"] / c[g] if c[g] else None}
                      for g in GROUPS},
                   "reversed_in_text": c["reversed_in_text"]}  # fmt: skip
    result = {"run": str(args.run), "by_k": by_k,
              "fact_confusions": dict(confusions.most_common(20)),
              "command": "python scripts/clutrr_extraction_errors.py"}  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print("| k | stories | accuracy | " + " | ".join(f"{g}: stories (acc)" for g in GROUPS)
          + " | reversed, stated so in the text |")
    print("|---|---|---|" + "---|" * (len(GROUPS) + 1))
    for k, row in by_k.items():
        cells = [f"{row[g]['stories']} ({row[g]['accuracy']:.2f})" if row[g]["stories"] else "0"
                 for g in GROUPS]
        print(f"| {k} | {row['stories']} | {row['accuracy']:.3f} | " + " | ".join(cells)
              + f" | {row['reversed_in_text']} |")
    print("fact confusions:", ", ".join(f"{k} {v}" for k, v in confusions.most_common(8)))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
