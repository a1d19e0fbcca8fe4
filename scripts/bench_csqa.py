"""CommonsenseQA benchmark: LM-only vs LM + GNN fusions over WordNet, at one training budget.

    .venv/bin/python scripts/bench_csqa.py --budget train_size=1000,epochs=1,max_length=48
    .venv/bin/python scripts/bench_csqa.py --models lm_only_fgm,qagnn_context_node_fgm --merge
    .venv/bin/python scripts/bench_csqa.py --models lm_only,qagnn_context_node \\
        --budget train_size=8500,epochs=3,max_length=64 --set encoder.freeze.policy=none

Trains each model of ``--models`` (default: all five) in turn from configs/csqa_wordnet.yaml
(the same LM, the same budget: train subset, epochs, max length, dev subset), on
train_inhouse.jsonl, choosing and scoring on dev_inhouse.jsonl, and writes
benchmarks/results/csqa.json (after every model, so a partial run keeps what it measured) and
benchmarks/csqa.md. Keys: ``accuracy.<model>`` (percent on dev), ``train_seconds.<model>``,
``retrieval_seconds``, ``nodes_per_subgraph``, ``grounded_fraction`` (questions with at least
one linked node), the budget, the load average. Fused models need
kg_reasoner.retrieval.grounding; without it they are recorded as not run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sys
import time
from pathlib import Path
from typing import Any

import torch

from kg_reasoner.pipelines.training import train

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "configs" / "csqa_wordnet.yaml"


def results_path(name: str = "csqa") -> Path:
    return ROOT / "benchmarks" / "results" / f"{name}.json"


def section_path(name: str = "csqa") -> Path:
    return ROOT / "benchmarks" / f"{name}.md"


MODELS: dict[str, list[str]] = {
    "lm_only": ["graph=null"],
    "fused_concat": ["model.fusion=concat"],
    "fused_gated": ["model.fusion=gated"],
    "qagnn_context_node": ["model.fusion=qagnn_context_node"],
    "greaselm_interaction": ["model.fusion=greaselm_interaction"],
    # FGM adversarial training on the word embeddings, without and with the graph
    "lm_only_fgm": ["graph=null", "training.adversarial.epsilon=1.0"],
    "qagnn_context_node_fgm": ["model.fusion=qagnn_context_node",
                               "training.adversarial.epsilon=1.0"],
}
FIVE = ("lm_only", "fused_concat", "fused_gated", "qagnn_context_node", "greaselm_interaction")
NO_GROUNDING = ("not run: kg_reasoner.retrieval.grounding (WordNet grounding and retrieval) "
                "is not on this branch")
DEFAULT_BUDGET = {"train_size": 8500, "dev_size": 1221, "epochs": 3, "max_length": 64}


def parse_budget(text: str) -> dict[str, int]:
    budget = dict(DEFAULT_BUDGET)
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, _, value = part.partition("=")
        if key not in budget or not value.isdigit():
            raise SystemExit(f"--budget: {part!r}; use {', '.join(budget)}=<int>, comma-separated")
        budget[key] = int(value)
    return budget


def has_grounding() -> bool:
    try:
        import kg_reasoner.retrieval.grounding  # noqa: F401
    except ImportError:
        return False
    return True


def run_model(name: str, budget: dict[str, int], extra: list[str], run_root: Path
              ) -> dict[str, Any]:
    overrides = [
        f"output_dir={run_root / name}",
        f"data.max_train_examples={budget['train_size']}",
        f"data.max_eval_examples={budget['dev_size']}",
        f"training.epochs={budget['epochs']}",
        f"encoder.max_length={budget['max_length']}",
        *MODELS[name], *extra,
    ]
    started = time.perf_counter()
    result = train(CONFIG, overrides, resume=False, device="cpu")
    metrics = result.metrics
    return {"accuracy": metrics["dev"]["accuracy"], "train_seconds": round(result.train_seconds, 1),
            "wall_seconds": round(time.perf_counter() - started, 1),
            "best_epoch": result.best_epoch, "epochs_run": result.epochs_run,
            "retrieval_seconds": metrics.get("retrieval_seconds"),
            "nodes_per_subgraph": metrics.get("nodes_per_subgraph"),
            "grounded_fraction": metrics.get("grounded_fraction"),
            "overrides": overrides}


def markdown(summary: dict[str, Any]) -> str:
    b = summary["budget"]
    lines = [
        "## CommonsenseQA: LM-only vs LM + GNN over WordNet (multiple choice)"
        + ("" if summary.get("name", "csqa") == "csqa" else
           f", {b['train_size']} training questions, {b['epochs']} epoch(s)"), "",
        f"Command: `{summary['command']}`", "",
        f"Budget (reduced: 2 shared CPU cores): {b['train_size']} training questions of 8,500, "
        f"{b['epochs']} epoch(s), max length {b['max_length']} tokens, "
        f"{b['dev_size']} dev_inhouse questions of 1,221; encoder {summary['encoder']}; "
        f"load average {summary['loadavg_start']} at the start, {summary['loadavg_end']} at "
        "the end (timings are upper bounds).", "",
        "| model | dev accuracy (%) | train seconds | status |", "|---|---|---|---|",
    ]
    for name in MODELS:
        if name not in summary["accuracy"] and name not in FIVE:
            continue
        acc = summary["accuracy"].get(name)
        secs = summary["train_seconds"].get(name)
        status = summary["status"].get(name, "not run")
        lines.append(f"| {name} | {'' if acc is None else acc} | {'' if secs is None else secs} "
                     f"| {status} |")
    if summary["retrieval_seconds"] is None:
        lines += ["", "Retrieval: not measured (no fused model ran).", ""]
    else:
        lines += ["", f"Retrieval: {summary['retrieval_seconds']} s, "
                  f"{summary['nodes_per_subgraph']} nodes per subgraph, grounded fraction "
                  f"{summary['grounded_fraction']} (dev questions with a linked node).", ""]
    if summary.get("notes"):
        lines += [summary["notes"], ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--budget", default="", help="train_size=N,dev_size=N,epochs=N,"
                        f"max_length=N (defaults {DEFAULT_BUDGET})")
    parser.add_argument("--models", default=",".join(FIVE),
                        help=f"comma-separated, from {', '.join(MODELS)} (default: the first five)")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        help="extra config override for every model, repeatable")
    parser.add_argument("--runs", type=Path, default=ROOT / "runs" / "bench_csqa")
    parser.add_argument("--notes", default="", help="a paragraph added to the section")
    parser.add_argument("--merge", action="store_true",
                        help="keep the models of an earlier csqa.json not run now")
    parser.add_argument("--render-only", action="store_true",
                        help="rewrite benchmarks/csqa.md from csqa.json (with --notes), no runs")
    parser.add_argument("--name", default="csqa",
                        help="results/<name>.json and <name>.md, so a run at another budget "
                        "is kept beside the default one (e.g. csqa_full_train)")
    args = parser.parse_args()
    results = results_path(args.name)
    if args.render_only:
        summary = json.loads(results.read_text(encoding="utf-8"))
        summary["notes"] = args.notes or summary.get("notes", "")
        grounding = has_grounding()
        for name in FIVE:  # every key present: null with the reason for a model not run
            if summary["accuracy"].get(name) is None:
                summary["accuracy"][name] = None
                summary["status"].setdefault(name, "not run" if grounding else NO_GROUNDING)
        write(summary)
        return
    budget = parse_budget(args.budget)
    names = [n.strip() for n in args.models.split(",") if n.strip()]
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        raise SystemExit(f"unknown model(s) {unknown}; choose from {', '.join(MODELS)}")
    torch.set_num_threads(2)
    summary: dict[str, Any] = {
        "command": "python scripts/bench_csqa.py " + shlex.join(sys.argv[1:]),
        "budget": budget, "reduced_budget": budget != DEFAULT_BUDGET, "overrides": args.overrides,
        "encoder": "all-MiniLM-L6-v2", "graph": "wordnet",
        "accuracy": {}, "train_seconds": {}, "status": {}, "runs": {},
        "retrieval_seconds": None, "nodes_per_subgraph": None, "grounded_fraction": None,
        "loadavg_start": [round(x, 2) for x in os.getloadavg()], "machine": platform.platform(),
        "cpu_count": os.cpu_count(), "notes": args.notes, "name": args.name,
    }
    if args.merge and results.is_file():
        old = json.loads(results.read_text(encoding="utf-8"))
        for key in ("accuracy", "train_seconds", "status", "runs"):
            summary[key].update(old.get(key, {}))
        for key in ("retrieval_seconds", "nodes_per_subgraph", "grounded_fraction"):
            summary[key] = old.get(key)
    grounding = has_grounding()
    for name in names:
        if name != "lm_only" and not grounding:
            summary["status"][name] = NO_GROUNDING
            summary["accuracy"].setdefault(name, None)
            continue
        print(f"== {name}", flush=True)
        run = run_model(name, budget, args.overrides, args.runs)
        summary["runs"][name] = run
        summary["accuracy"][name] = run["accuracy"]
        summary["train_seconds"][name] = run["train_seconds"]
        summary["status"][name] = "ran"
        if run["retrieval_seconds"] is not None:
            summary["retrieval_seconds"] = run["retrieval_seconds"]
            summary["nodes_per_subgraph"] = run["nodes_per_subgraph"]
            fractions = run["grounded_fraction"] or {}
            summary["grounded_fraction"] = fractions.get("dev", fractions.get("train"))
        summary["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
        write(summary)
    summary["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    write(summary)


def write(summary: dict[str, Any]) -> None:
    name = summary.get("name", "csqa")
    results, section = results_path(name), section_path(name)
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    section.write_text(markdown(summary), encoding="utf-8")
    print(f"wrote {results} and {section}", flush=True)


if __name__ == "__main__":
    main()
