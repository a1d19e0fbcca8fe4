"""Where a trained extractor's WebNLG errors go: missed facts and false triples, bucketed.

Each text is tokenized, extracted and scored as ``kgr eval`` and ``scripts/bench_webnlg.py``
score it (typed triples, exact names after ``normalize_name``). The gold spans come from the
text's ``references`` (the alignment the training examples use). Every missed gold fact falls
into the first bucket that applies:

- ``not in text``: an end cannot be aligned to the text (no span extractor can find it);
- ``entity missed`` / ``entity boundary``: no predicted span overlaps an end's gold span, or
  only one with other bounds;
- ``name``: both spans are found but an end's name is not the gold name (the learnt name
  table did not link it, or linked it to another name);
- ``relation type`` / ``direction``: the two are related, by another property or reversed;
- ``relation missed``: both ends are right and nothing relates them.

Every false triple: ``wrong name`` (an end is no gold name of the text), ``other property``
(the gold pair with another property), ``reversed``, ``pair not stated`` (two gold names that
no fact relates).

    python scripts/webnlg_extractor_errors.py runs/webnlg                 # dev, all texts
    python scripts/webnlg_extractor_errors.py runs/webnlg --limit 500 --examples 5
    python scripts/webnlg_extractor_errors.py runs/webnlg --json errors.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg_reasoner.data_paths import data_root  # noqa: E402
from kg_reasoner.tasks.extraction.webnlg.metrics import normalize_name  # noqa: E402

MISS_BUCKETS = (
    "not in text",
    "entity missed",
    "entity boundary",
    "name",
    "relation type",
    "direction",
    "relation missed",
)
FALSE_BUCKETS = ("wrong name", "other property", "reversed", "pair not stated")


def analyse(run: Path, split: str, limit: int | None, examples: int) -> dict[str, Any]:
    from tqdm import tqdm

    from kg_reasoner.extraction.supervised.extractor import SupervisedExtractor
    from kg_reasoner.tasks.extraction.webnlg.data import read_webnlg
    from kg_reasoner.tasks.extraction.webnlg.examples import (
        AlignmentReport,
        blank_tokenizer,
        text_example,
    )
    from kg_reasoner.tasks.extraction.webnlg.extractor_scores import mention_name

    extractor = SupervisedExtractor.from_directory(run)
    tokenizer = blank_tokenizer()
    items = list(read_webnlg(data_root() / "webnlg" / split).texts())[:limit]
    docs = [tokenizer(lex.text) for _, lex in items]
    misses: Counter[str] = Counter()
    falses: Counter[str] = Counter()
    shown: dict[str, list[str]] = defaultdict(list)
    report = AlignmentReport()
    tp = gold_total = predicted_total = 0
    batch = 64
    for start in tqdm(range(0, len(items), batch), desc="texts", unit="batch"):
        chunk_docs = docs[start : start + batch]
        for (entry, lex), doc, extraction in zip(
            items[start : start + batch], chunk_docs, extractor.extract(chunk_docs), strict=True
        ):
            example = text_example(entry, lex, tokenizer, report)
            tokens = [t for t in doc if not t.is_space]
            # gold name -> character spans of its aligned occurrences
            gold_spans: dict[str, set[tuple[int, int]]] = defaultdict(set)
            for ent in example.entities if example else ():
                chars = (tokens[ent.start].idx, tokens[ent.end - 1].idx + len(tokens[ent.end - 1]))
                gold_spans[normalize_name(ent.name)].add(chars)
            mentions = extraction.mentions
            by_span = {(m.start, m.end): m for m in mentions}
            names = [normalize_name(mention_name(m)) for m in mentions]
            predicted = {
                (names[r.head], r.label, names[r.tail])
                for r in extraction.relations
                if not mentions[r.head].is_value
            }
            gold = {
                (normalize_name(f.subject), f.property, normalize_name(f.object))
                for f in entry.facts
            }
            gold_names = {n for s, _, o in gold for n in (s, o)}
            pairs = {(s, o): p for s, p, o in predicted}
            tp += len(gold & predicted)
            gold_total += len(gold)
            predicted_total += len(predicted)
            for fact in sorted(gold - predicted):
                s, prop, o = fact
                bucket = _miss_bucket(s, o, gold_spans, by_span, mentions, pairs)
                misses[bucket] += 1
                if len(shown[bucket]) < examples:
                    shown[bucket].append(f"{lex.text!r}\n      gold: {s} | {prop} | {o}")
            for triple in sorted(predicted - gold):
                s, prop, o = triple
                if s not in gold_names or o not in gold_names:
                    bucket = "wrong name"
                elif any((s, o) == (gs, go) for gs, _, go in gold):
                    bucket = "other property"
                elif any((s, o) == (go, gs) for gs, _, go in gold):
                    bucket = "reversed"
                else:
                    bucket = "pair not stated"
                falses[bucket] += 1
                if len(shown["false: " + bucket]) < examples:
                    shown["false: " + bucket].append(
                        f"{lex.text!r}\n      predicted: {s} | {prop} | {o}\n      gold: "
                        f"{sorted(gold)}"
                    )
    precision = tp / predicted_total if predicted_total else 0.0
    recall = tp / gold_total if gold_total else 0.0
    return {
        "run": str(run),
        "split": split,
        "texts": len(items),
        "triple_precision": round(precision, 4),
        "triple_recall": round(recall, 4),
        "triple_f1": round(2 * precision * recall / (precision + recall), 4) if tp else 0.0,
        "missed": {b: misses[b] for b in MISS_BUCKETS},
        "false": {b: falses[b] for b in FALSE_BUCKETS},
        "examples": dict(shown),
    }


def _miss_bucket(
    subject: str,
    obj: str,
    gold_spans: dict[str, set[tuple[int, int]]],
    by_span: dict[tuple[int, int], Any],
    mentions: list[Any],
    pairs: dict[tuple[str, str], str],
) -> str:
    from kg_reasoner.tasks.extraction.webnlg.extractor_scores import mention_name

    for end in (subject, obj):
        spans = gold_spans.get(end)
        if not spans:
            return "not in text"
        if not any(span in by_span for span in spans):
            overlapping = any(m.start < e and s < m.end for s, e in spans for m in mentions)
            return "entity boundary" if overlapping else "entity missed"
    for end in (subject, obj):
        found = [by_span[span] for span in gold_spans[end] if span in by_span]
        if not any(normalize_name(mention_name(m)) == end for m in found):
            return "name"
    if (subject, obj) in pairs:
        return "relation type"
    if (obj, subject) in pairs:
        return "direction"
    return "relation missed"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="\n\n".join(__doc__.split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("run", type=Path, help="a trained extractor run directory")
    parser.add_argument("--split", default="dev", help="train or dev (default: dev)")
    parser.add_argument("--limit", type=int, default=None, help="the first N texts only")
    parser.add_argument("--examples", type=int, default=3, help="examples shown per bucket")
    parser.add_argument("--json", type=Path, default=None, help="also write the counts here")
    args = parser.parse_args(argv)
    if not (args.run / "config.json").is_file():
        parser.error(f"{args.run} is not a trained run directory (no config.json)")
    result = analyse(args.run, args.split, args.limit, args.examples)
    print(
        f"{result['texts']} {args.split} texts: triple P {result['triple_precision']:.4f} "
        f"R {result['triple_recall']:.4f} F1 {result['triple_f1']:.4f}\n"
    )
    print("missed gold facts:")
    for bucket, n in result["missed"].items():
        print(f"  {n:6d}  {bucket}")
    print("\nfalse triples:")
    for bucket, n in result["false"].items():
        print(f"  {n:6d}  {bucket}")
    for bucket, lines in result["examples"].items():
        print(f"\n== {bucket}")
        for line in lines:
            print(f"  - {line}")
    if args.json:
        counts = {k: v for k, v in result.items() if k != "examples"}
        args.json.write_text(json.dumps(counts, indent=2) + "\n")


if __name__ == "__main__":
    main()
