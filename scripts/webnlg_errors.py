"""Where the rule extractor's WebNLG errors go: missed facts and false pairs, bucketed.

Each text is processed as the build does (spaCy, the rules, the document's triples with
canonical entities), in memory, and scored like ``scripts/bench_webnlg.py`` (exact names after
``normalize_name``). Every gold subject-object pair that is missed falls into one bucket:

- ``name not in text``: an end's name (an entity, not a value) is not written in the text at
  all, word for word after ``normalize_name`` ("Prime Minister of Azerbaijan" for "the
  leader", "English language" for "English"): no extractor of text spans can find it, so
  these bound the pair recall any span extractor reaches;
- ``entity not found``: an end matches no node, not even in part;
- ``span cut`` / ``span extra words`` / ``span overlap``: an end is only found as a shorter
  name, a longer one, or one that shares some words ("Fenchurch Street" for "20 Fenchurch
  Street", "1955 Dodge company" for "1955 Dodge");
- ``both found, paired elsewhere``: both ends are nodes, and one of them is paired with a node
  that is not a gold name of the text;
- ``both found, no pair``: both ends are nodes and nothing links them.

Every predicted pair that is not a gold pair falls into one bucket: ``concept node`` (a common
noun at one end), ``pronoun/definite`` (an end labelled like a pronoun or "the company"),
``value not in gold``, ``partial name`` (an end shares words with a gold name but is not one),
``both gold names`` (two names of the text that no fact links: often a chain A-B-C read as A-C),
``other entity``.

Use the train split for development; dev is for the measurement (``bench_webnlg.py``).

    python scripts/webnlg_errors.py --limit 600                  # train, 600 texts spread over it
    python scripts/webnlg_errors.py --limit 600 --examples 8     # more examples per bucket
    python scripts/webnlg_errors.py --split dev --json out.json  # counts only for a report
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg_reasoner.data_paths import data_root  # noqa: E402
from kg_reasoner.tasks.extraction.webnlg.data import Entry, Lexicalisation, read_webnlg  # noqa: E402
from kg_reasoner.tasks.extraction.webnlg.metrics import (  # noqa: E402
    Predicted,
    is_written,
    normalize_name,
    text_key,
)

_LITERAL = re.compile(r'^"(.*)"(?:\^\^<[^>]*>|@[\w-]+)?$', re.DOTALL)
MISS_BUCKETS = (
    "name not in text",
    "entity not found",
    "span cut",
    "span extra words",
    "span overlap",
    "both found, paired elsewhere",
    "both found, no pair",
)
FALSE_BUCKETS = (
    "concept node",
    "pronoun/definite",
    "value not in gold",
    "partial name",
    "both gold names",
    "other entity",
)


def sample_texts(split: str, limit: int | None, seed: int) -> list[tuple[Entry, Lexicalisation]]:
    """The split's texts, or ``limit`` of them drawn at random (fixed seed) over all of it."""
    items = list(read_webnlg(data_root() / "webnlg" / split).texts())
    if limit and limit < len(items):
        items = random.Random(seed).sample(items, limit)
    return items


def _literal(term: str) -> str:
    match = _LITERAL.match(term)
    if match is None:
        return term
    body = match.group(1)
    if "\\" not in body:
        return body
    try:
        return json.loads(f'"{body}"')  # the N-Triples string escapes are JSON ones
    except ValueError:
        return body


def predictions(
    items: list[tuple[Entry, Lexicalisation]], spacy_model: str | None = None
) -> list[tuple[list[Predicted], set[str], dict[str, str]]]:
    """Per text: the predicted triples (labels), node labels and each label's entity type."""
    from tqdm import tqdm

    from kg_reasoner.building.document_triples import (
        DOCUMENT_LABEL,
        ENTITY_TYPE,
        document_triples,
    )
    from kg_reasoner.building.entity_index import EntityIndex
    from kg_reasoner.corpus.document import Document
    from kg_reasoner.extraction.pipeline import ExtractionPipeline
    from kg_reasoner.extraction.spacy_loader import DEFAULT_SPACY_MODEL
    from kg_reasoner.graph.vocabulary import REL, relation_label

    pipeline = ExtractionPipeline(spacy_model or DEFAULT_SPACY_MODEL, "rules")
    rel_prefix = f"<{REL}"
    out = []
    batch = 64
    for start in tqdm(range(0, len(items), batch), desc="texts", unit="batch"):
        chunk = items[start : start + batch]
        docs = [Document(f"t{start + n}", lex.text) for n, (_, lex) in enumerate(chunk)]
        for processed in pipeline.process(docs):
            _, triples, _ = document_triples(
                processed, EntityIndex(), extractor="rules", fingerprint="x"
            )
            labels: dict[str, str] = {}
            types: dict[str, str] = {}
            for s, p, o in triples:
                if p == DOCUMENT_LABEL:
                    labels[s] = _literal(o)
                elif p == ENTITY_TYPE:
                    types[s] = _literal(o)
            predicted = []
            for s, p, o in triples:
                if not p.startswith(rel_prefix) or s not in labels:
                    continue
                concept = "CONCEPT" in (types.get(s), types.get(o))
                obj = labels.get(o) if o in labels else _literal(o)
                predicted.append(Predicted(labels[s], relation_label(p[1:-1]), obj, concept))
            label_types = {labels[i]: types.get(i, "") for i in labels}
            out.append((predicted, set(labels.values()), label_types))
    return out


def _words(key: str) -> set[str]:
    return set(key.split())


def _span_bucket(gold: str, nodes: set[str]) -> str | None:
    """How a gold name not among the nodes was found: cut, extra words, overlap, or None."""
    if gold in nodes:
        return None
    words = _words(gold)
    best = "entity not found"
    for node in nodes:
        if not node:
            continue
        if f" {node} " in f" {gold} ":
            return "span cut"
        if f" {gold} " in f" {node} ":
            best = "span extra words"
        elif best == "entity not found" and words & _words(node) - {"of", "and", "in"}:
            best = "span overlap"
    return best


def analyse(
    items: list[tuple[Entry, Lexicalisation]],
    preds: list[tuple[list[Predicted], set[str], dict[str, str]]],
    examples: int,
) -> dict[str, Any]:
    misses: Counter[str] = Counter()
    falses: Counter[str] = Counter()
    miss_examples: dict[str, list[str]] = defaultdict(list)
    false_examples: dict[str, list[str]] = defaultdict(list)
    gold_total = pred_total = tp = 0
    for (entry, lex), (predicted, nodes, types) in zip(items, preds, strict=True):
        node_keys = {normalize_name(n) for n in nodes} | {
            normalize_name(x) for p in predicted for x in (p.subject, p.object)
        }
        pairs: dict[frozenset[str], Predicted] = {}
        for p in predicted:
            pairs.setdefault(frozenset((normalize_name(p.subject), normalize_name(p.object))), p)
        gold = {
            frozenset((normalize_name(f.subject), normalize_name(f.object))): f for f in entry.facts
        }
        gold_names = {n for pair in gold for n in pair}
        key = text_key(lex.text)
        neighbours: dict[str, set[str]] = defaultdict(set)
        for pair in pairs:
            a, *rest = sorted(pair)
            b = rest[0] if rest else a
            neighbours[a].add(b)
            neighbours[b].add(a)
        gold_total += len(gold)
        pred_total += len(pairs)
        for pair, fact in gold.items():
            if pair in pairs:
                tp += 1
                continue
            ends = [normalize_name(fact.subject), normalize_name(fact.object)]
            spans = [_span_bucket(e, node_keys) for e in ends]
            missing = [s for s in spans if s is not None]
            if missing and not all(is_written(e, key) for e in ends):
                bucket = "name not in text"
            elif missing:
                bucket = min(missing, key=MISS_BUCKETS.index)
            elif any(neighbours[e] - gold_names for e in ends):
                bucket = "both found, paired elsewhere"
            else:
                bucket = "both found, no pair"
            misses[bucket] += 1
            if len(miss_examples[bucket]) < examples:
                found = sorted(p for p in pairs if set(p) & set(ends))
                miss_examples[bucket].append(
                    f"{lex.text!r}\n      gold: {fact.subject} | {fact.property} | {fact.object}"
                    f"\n      pairs at its ends: {[sorted(p) for p in found][:4]}"
                )
        for pair, p in pairs.items():
            if pair in gold:
                continue
            ends = sorted(pair)
            subject_type = types.get(p.subject, "")
            object_type = types.get(p.object, "")
            if p.concept:
                bucket = "concept node"
            elif (
                subject_type.startswith(("PRON", "DEF"))
                or object_type.startswith(("PRON", "DEF"))
                or any(e in {"he", "she", "it", "they", "his", "her", "its", "their"} for e in ends)
            ):
                bucket = "pronoun/definite"
            elif any(e not in gold_names and any(c.isdigit() for c in e) for e in ends) and (
                p.object not in types
            ):
                bucket = "value not in gold"
            elif all(e in gold_names for e in ends):
                bucket = "both gold names"
            elif any(
                e not in gold_names and any(_words(e) & _words(g) for g in gold_names) for e in ends
            ):
                bucket = "partial name"
            else:
                bucket = "other entity"
            falses[bucket] += 1
            if len(false_examples[bucket]) < examples:
                false_examples[bucket].append(
                    f"{lex.text!r}\n      predicted: {p.subject} -{p.relation}-> {p.object}"
                    f"\n      gold: {[(f.subject, f.property, f.object) for f in entry.facts][:4]}"
                )
    return {
        "texts": len(items),
        "gold_pairs": gold_total,
        "predicted_pairs": pred_total,
        "true_pairs": tp,
        "pair_recall": round(tp / gold_total, 4) if gold_total else 0.0,
        "pair_precision": round(tp / pred_total, 4) if pred_total else 0.0,
        "missed": {b: misses[b] for b in MISS_BUCKETS},
        "false": {b: falses[b] for b in FALSE_BUCKETS},
        "missed_examples": dict(miss_examples),
        "false_examples": dict(false_examples),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", default="train", choices=["train", "dev"])
    parser.add_argument("--limit", type=int, default=600, help="texts drawn at random (0: all)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--examples", type=int, default=4, help="examples shown per bucket")
    parser.add_argument("--bucket", help="show only this bucket's examples (a word of its name)")
    parser.add_argument("--json", type=Path, help="also write the counts and examples here")
    parser.add_argument("--spacy-model", help="spaCy package or path (default: the packaged sm)")
    args = parser.parse_args(argv)
    items = sample_texts(args.split, args.limit or None, args.seed)
    started = time.perf_counter()
    result = analyse(items, predictions(items, args.spacy_model), args.examples)
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    result["command"] = "python scripts/webnlg_errors.py " + " ".join(argv or sys.argv[1:])
    print(
        f"{result['texts']} {args.split} texts: pair recall {result['pair_recall']:.3f}, "
        f"precision {result['pair_precision']:.3f} ({result['true_pairs']} / "
        f"{result['gold_pairs']} gold, {result['predicted_pairs']} predicted)"
    )
    for title, key in (("missed gold pairs", "missed"), ("false pairs", "false")):
        print(f"\n{title}:")
        for bucket, count in result[key].items():
            print(f"  {count:6d}  {bucket}")
    for key in ("missed_examples", "false_examples"):
        for bucket, shown in result[key].items():
            if args.bucket and args.bucket not in bucket:
                continue
            print(f"\n== {key.split('_')[0]}: {bucket}")
            for line in shown:
                print(f"  - {line}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
