"""Grounding and subgraph retrieval on CommonsenseQA with WordNet 3.0: how fast, how big, how
much of the text links to the graph (the graph side of issue 12's `bench_csqa.py`).

Loads WordNet (converted into a fresh cache, then read from it), grounds every question and
choice of ../shared/data/commonsenseqa/{train,dev}_inhouse.jsonl and retrieves one subgraph per
(question, choice) pair with `SubgraphRetriever.retrieve_many`, first cold (a new cache
directory), then again from the cache. Each `--config` is one retriever setting; the first one
gives the top-level keys (`retrieval_seconds`, `nodes_per_subgraph`, `grounded_fraction`) that
bench_csqa.py merges. Writes benchmarks/results/csqa_retrieval.json and
benchmarks/csqa_retrieval.md (then run scripts/benchmarks_readme.py).

Examples:
    python scripts/csqa_retrieval_stats.py
    python scripts/csqa_retrieval_stats.py --config hops=2 --config hops=2,expand=neighbourhood
    python scripts/csqa_retrieval_stats.py --limit 200 --out /tmp/csqa_retrieval.json --no-markdown
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg_reasoner.data_paths import default_data_root  # noqa: E402
from kg_reasoner.errors import KGReasonerError  # noqa: E402

SPLITS = ("train_inhouse", "dev_inhouse")
DEFAULT_CONFIG = "hops=2,max_nodes=64,prune=ppr,expand=paths"
INT_OPTIONS = ("hops", "max_nodes")


def parse_config(text: str) -> dict[str, Any]:
    """``hops=2,max_nodes=64,prune=ppr,expand=paths`` (missing keys: the defaults)."""
    config: dict[str, Any] = dict(item.split("=", 1) for item in DEFAULT_CONFIG.split(","))
    for item in filter(None, text.split(",")):
        key, sep, value = item.partition("=")
        if not sep or key not in config:
            raise SystemExit(f"bad --config item {item!r}: use keys {', '.join(config)}")
        config[key] = value
    for key in INT_OPTIONS:
        config[key] = int(config[key])
    return config


def read_items(path: Path, limit: int | None) -> list[tuple[str, list[str]]]:
    items = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)["question"]
                items.append((row["stem"], [c["text"] for c in row["choices"]]))
            if limit is not None and len(items) >= limit:
                break
    return items


def summary(values: list[int]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "mean": round(statistics.fmean(values), 2),
        "median": float(statistics.median(values)),
        "p90": float(ordered[int(0.9 * (len(ordered) - 1))]),
        "max": float(ordered[-1]),
    }


def measure(
    graph: Any, grounder: Any, data: dict[str, list], config: dict[str, Any], cache: Path
) -> dict[str, Any]:
    from kg_reasoner.retrieval import SubgraphRetriever

    def retriever() -> SubgraphRetriever:
        return SubgraphRetriever(graph, cache_dir=cache, grounder=grounder, **config)

    cold = retriever()
    start = time.perf_counter()
    grounded = {split: cold.ground_items(items, key=split) for split, items in data.items()}
    grounding_seconds = time.perf_counter() - start
    start = time.perf_counter()
    subgraphs = {split: cold.retrieve_many(items, key=split) for split, items in data.items()}
    subgraph_seconds = time.perf_counter() - start
    start = time.perf_counter()
    cached = {split: retriever().retrieve_many(items, key=split) for split, items in data.items()}
    cached_seconds = time.perf_counter() - start
    assert all(
        len(a) == len(b) and all(len(x) == len(y) for x, y in zip(a, b, strict=True))
        for a, b in zip(subgraphs.values(), cached.values(), strict=True)
    )
    flat = [s for split in subgraphs.values() for item in split for s in item]
    questions = [q for split in grounded.values() for q, _ in split]
    choices = [c for split in grounded.values() for _, cs in split for c in cs]
    others = [int((s.node_role == 2).sum()) for s in flat]
    return {
        "config": config,
        "pairs": len(flat),
        "grounding_seconds": round(grounding_seconds, 1),
        "subgraph_seconds": round(subgraph_seconds, 1),
        "retrieval_seconds": {
            "cold": round(grounding_seconds + subgraph_seconds, 1),
            "cached": round(cached_seconds, 2),
        },
        "nodes_per_subgraph": summary([s.num_nodes for s in flat]),
        "edges_per_subgraph": summary([s.num_edges for s in flat]),
        "other_nodes_per_subgraph": summary(others),
        "pairs_with_connecting_nodes": round(sum(o > 0 for o in others) / len(flat), 4),
        "pairs_at_max_nodes": round(
            sum(s.num_nodes >= config["max_nodes"] for s in flat) / len(flat), 4
        ),
        "grounded_fraction": {
            "questions": round(sum(bool(q) for q in questions) / len(questions), 4),
            "choices": round(sum(bool(c) for c in choices) / len(choices), 4),
        },
        "grounded_nodes": {
            "per_question": round(statistics.fmean(len(q) for q in questions), 2),
            "per_choice": round(statistics.fmean(len(c) for c in choices), 2),
        },
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def markdown(result: dict[str, Any]) -> str:
    wn = result["wordnet"]
    lines = [
        "## Grounding and subgraph retrieval: CommonsenseQA on WordNet 3.0",
        "",
        f"WordNet 3.0 (Debian `wordnet-base`, `make wordnet`) as a `ConceptGraph`: "
        f"{wn['nodes']:,} nodes ({wn['synsets']:,} synsets, {wn['lemmas']:,} lemmas), "
        f"{wn['edges']:,} edges, {wn['relations']} relations; converted in "
        f"{wn['convert_seconds']:.1f} s, read from its cache in {wn['cached_load_seconds']:.1f} s. "
        f"Every question and choice of {', '.join(result['splits'])} "
        f"({result['questions']:,} questions, {result['choices']:,} choices) grounded "
        "(longest n-gram of spaCy lemmas, at most 4 nodes per span: the lemma and its most "
        "frequent senses) and one subgraph retrieved per (question, choice) pair "
        "(`SubgraphRetriever.retrieve_many`), cold in a new cache and then from the cache.",
        "",
        f"Command: `{result['command']}`",
        "",
        "| config | cold s (grounding + subgraphs) | cached s | nodes/subgraph mean (p90) "
        "| connecting nodes mean | pairs with a connecting node | questions grounded "
        "| choices grounded |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in result["configs"]:
        c = run["config"]
        name = f"hops={c['hops']}, max_nodes={c['max_nodes']}, {c['prune']}, {c['expand']}"
        nodes = run["nodes_per_subgraph"]
        lines.append(
            f"| {name} | {run['retrieval_seconds']['cold']:.0f} ({run['grounding_seconds']:.0f} "
            f"+ {run['subgraph_seconds']:.0f}) | {run['retrieval_seconds']['cached']:.1f} "
            f"| {nodes['mean']:.1f} ({nodes['p90']:.0f}) "
            f"| {run['other_nodes_per_subgraph']['mean']:.1f} "
            f"| {run['pairs_with_connecting_nodes']:.3f} "
            f"| {run['grounded_fraction']['questions']:.3f} "
            f"| {run['grounded_fraction']['choices']:.3f} |"
        )
    lines += [
        "",
        "Grounding is cached apart from retrieval, so only the first config's cold time "
        "includes spaCy (later rows read the grounding from the cache: their grounding "
        "seconds are the cache read). A connecting node is a subgraph node that is neither a "
        "question nor a choice node; with `expand=paths` it lies on a path of at most `hops` "
        "edges between the two, with `expand=neighbourhood` within `hops` of either. "
        f"Load average (1, 5, 15 min) at the start: {result['load_average_before']}; the "
        "machine was shared with other jobs, so the seconds are upper bounds. Raw numbers: "
        "`results/csqa_retrieval.json`.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--config",
        action="append",
        help=f"retriever options, repeatable (default: {DEFAULT_CONFIG})",
    )
    parser.add_argument("--data", type=Path, default=default_data_root() / "commonsenseqa")
    parser.add_argument("--limit", type=int, default=None, help="first N questions per split")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/csqa_retrieval.json")
    parser.add_argument("--no-markdown", action="store_true", help="do not write the .md section")
    args = parser.parse_args(argv)
    configs = [parse_config(c) for c in (args.config or [DEFAULT_CONFIG])]

    import torch

    torch.set_num_threads(1)
    from kg_reasoner.graph.wordnet import DEFAULT_WORDNET_DIR
    from kg_reasoner.retrieval import Grounder, load_concept_graph

    load_before = [round(x, 2) for x in os.getloadavg()]
    data = {}
    for split in SPLITS:
        path = args.data / f"{split}.jsonl"
        if not path.is_file():
            print(f"CommonsenseQA file not found: {path} (set KG_REASONER_DATA)", file=sys.stderr)
            return 2
        data[split] = read_items(path, args.limit)
    try:
        with tempfile.TemporaryDirectory(prefix="csqa_retrieval_") as tmp:
            cache = Path(tmp)
            start = time.perf_counter()
            graph = load_concept_graph("wordnet", cache_dir=cache)
            convert_seconds = time.perf_counter() - start
            start = time.perf_counter()
            graph = load_concept_graph("wordnet", cache_dir=cache)
            cached_load_seconds = time.perf_counter() - start
            start = time.perf_counter()
            grounder = Grounder(graph)
            grounder.ground("warm up the spaCy pipeline")
            spacy_seconds = time.perf_counter() - start
            runs = [measure(graph, grounder, data, config, cache) for config in configs]
    except KGReasonerError as exc:
        print(exc, file=sys.stderr)
        return 2
    synsets = sum(n.startswith("wn:") for n in graph.node_ids)
    command = "python scripts/csqa_retrieval_stats.py" + "".join(
        f" {shlex.quote(a)}" for a in (argv if argv is not None else sys.argv[1:])
    )
    first = runs[0]
    result = {
        "command": command,
        "splits": [f"{s}.jsonl" for s in SPLITS],
        "questions": sum(len(v) for v in data.values()),
        "choices": sum(len(c) for v in data.values() for _, c in v),
        "wordnet": {
            "source": str(DEFAULT_WORDNET_DIR),
            "nodes": graph.num_nodes,
            "synsets": synsets,
            "lemmas": graph.num_nodes - synsets,
            "edges": graph.num_edges,
            "relations": graph.num_relations,
            "fingerprint": graph.fingerprint,
            "convert_seconds": round(convert_seconds, 1),
            "cached_load_seconds": round(cached_load_seconds, 1),
        },
        "spacy_load_seconds": round(spacy_seconds, 1),
        "retrieval_seconds": first["retrieval_seconds"],
        "nodes_per_subgraph": first["nodes_per_subgraph"]["mean"],
        "grounded_fraction": first["grounded_fraction"],
        "configs": runs,
        "load_average_before": load_before,
        "torch_threads": 1,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    if not args.no_markdown:
        md = ROOT / "benchmarks" / "csqa_retrieval.md"
        md.write_text(markdown(result), encoding="utf-8")
        print(f"wrote {md}")
    print(json.dumps({k: result[k] for k in ("retrieval_seconds", "nodes_per_subgraph",
                                              "grounded_fraction")}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
