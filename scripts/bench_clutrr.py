"""Benchmark the CLUTRR ablations: LM only, GNN on gold graphs, GNN on extracted graphs, fused.

    python scripts/bench_clutrr.py                       # train + test all four, sequentially
    python scripts/bench_clutrr.py --only gnn_gold       # one ablation
    python scripts/bench_clutrr.py --report-only         # re-render from existing runs

Trains on k=2,3 (validation split off the training file), tests on k=2..10. Writes
benchmarks/results/clutrr.json, benchmarks/clutrr.md and benchmarks/clutrr_accuracy_by_k.png.
The frozen LM features are cached (runs/.feature_cache), so later ablations reuse them; each
run's ``feature_seconds`` says how long its feature step took. The fused model reuses the
extractor trained by the gnn_extracted run when that run exists (its time is reported there).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import torch

from kg_reasoner.config import load_config
from kg_reasoner.tasks.clutrr import CONFIG_CLASS, train
from kg_reasoner.tasks.clutrr.config import K_VALUES

ROOT = Path(__file__).resolve().parents[1]
ABLATIONS = {
    "lm_only": "configs/clutrr_lm_only.yaml",
    "gnn_gold": "configs/clutrr_gnn_gold.yaml",
    "gnn_extracted": "configs/clutrr_gnn_extracted.yaml",
    "fused_extracted": "configs/clutrr_fused.yaml",
}


def run_ablation(name: str, overrides: list[str], run_root: Path) -> dict:
    config = load_config(CONFIG_CLASS, ROOT / ABLATIONS[name],
                         [f"output_dir={run_root / name}", *overrides])
    started = time.perf_counter()
    results = train(config, resume=False).metrics
    results["wall_seconds"] = time.perf_counter() - started
    return results


def summarise(name: str, results: dict) -> dict:
    by_k = results["test"]["accuracy_by_k"]
    row = {
        "accuracy_by_k": {str(k): by_k.get(str(k)) for k in K_VALUES},
        "test_accuracy": results["test"]["accuracy"],
        "test_macro_f1": results["test"]["macro_f1"],
        "validation_accuracy": results["validation"].get("accuracy"),
        "train_seconds": results["train_seconds"],
        "extractor_train_seconds": results.get("extractor_train_seconds"),
        "extractor": results.get("extractor"),
        "feature_seconds": results.get("feature_seconds"),
        "config": ABLATIONS[name],
    }
    if "extraction_edge_f1" in results:
        row["extraction_edge_f1"] = results["extraction_edge_f1"]
        row["test_extraction_edge"] = results["test"].get("extraction_edge")
    return row


def markdown(summary: dict, command: str) -> str:
    ks = [str(k) for k in K_VALUES]
    lines = [
        "## CLUTRR: relation classification from raw stories (train k=2,3; test k=2..10)",
        "",
        f"Command: `{command}`. Machine: {summary['machine']}.",
        "",
        "| model | " + " | ".join(f"k={k}" for k in ks) + " | train s |",
        "|---|" + "---|" * (len(ks) + 1),
    ]
    for name, row in summary["models"].items():
        accs = " | ".join(
            f"{row['accuracy_by_k'][k]:.3f}" if row["accuracy_by_k"][k] is not None else "-"
            for k in ks
        )
        lines.append(f"| {name} | {accs} | {row['train_seconds']:.0f} |")
    f1 = summary.get("extraction_edge_f1")
    if f1 is not None:
        lines += ["", f"Extraction edge F1 (typed, directed, gold edges + gendered inverses), "
                  f"held-out training stories: {f1:.3f}"]
    for name, row in summary["models"].items():
        test_edges = row.get("test_extraction_edge")
        if test_edges:
            lines.append(
                f"- {name}: edge P/R/F1 on the test stories (k=2..10) "
                f"{test_edges['precision']:.3f} / {test_edges['recall']:.3f} / "
                f"{test_edges['f1']:.3f}"
            )
        reused = isinstance(row.get("extractor"), dict) and "reused_from" in row["extractor"]
        if row.get("extractor_train_seconds") and not reused:
            lines.append(f"- {name}: extractor training {row['extractor_train_seconds']:.0f} s "
                         "(included in its train s)")
        if reused:
            lines.append(f"- {name}: reuses the extractor of {row['extractor']['reused_from']} "
                         "(its training time is not in this row's train s)")
    lines += ["", "train s: wall time of `train()` (features, extractor, reasoner, no test "
              "scoring); feature time depends on the shared cache (the first run to encode a "
              "split pays for it)."]
    return "\n".join(lines) + "\n"


def load_pyplot() -> Any:
    """``matplotlib.pyplot`` on the file-only Agg backend; matplotlib is the ``plots`` extra.

    Checked before any training, so a missing package costs seconds, not a finished benchmark.
    """
    try:
        import matplotlib
    except ImportError:
        print('the CLUTRR benchmark draws its figure with matplotlib: pip install '
              '"kg-reasoner[plots]" (make install includes it)', file=sys.stderr)
        raise SystemExit(2) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot(summary: dict, path: Path) -> None:
    plt = load_pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for name, row in summary["models"].items():
        ks = [k for k in K_VALUES if row["accuracy_by_k"][str(k)] is not None]
        ax.plot(ks, [row["accuracy_by_k"][str(k)] for k in ks], marker="o", label=name)
    ax.axvspan(1.7, 3.3, color="grey", alpha=0.15, label="trained on k")
    ax.axhline(0.95, color="black", linestyle=":", linewidth=1, label="goal 0.95")
    ax.set_xlabel("relation chain length k")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0, 1.02)
    ax.set_xticks(list(K_VALUES))
    ax.set_title("CLUTRR systematic generalisation")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(ABLATIONS))
    parser.add_argument("--set", action="append", default=[], help="dotted config override")
    parser.add_argument("--runs", default=str(ROOT / "runs/bench_clutrr"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--report-only", action="store_true", help="re-render from runs/")
    parser.add_argument("--command", help="how the runs were launched, shown in the table")
    args = parser.parse_args()
    load_pyplot()
    torch.set_num_threads(args.threads)
    run_root = Path(args.runs)
    out_json = ROOT / "benchmarks/results/clutrr.json"
    summary: dict = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, torch threads {args.threads}",
        "models": {},
    }
    for name in args.only or list(ABLATIONS):
        if args.report_only:
            results = json.loads((run_root / name / "results.json").read_text())
        else:
            overrides = [f"training.num_threads={args.threads}",
                         f"extractor.training.num_threads={args.threads}"]
            shared = run_root / "gnn_extracted"
            if name == "fused_extracted" and (shared / "extractor/model.safetensors").is_file():
                # the fused model reads the same extracted graphs: reuse that extractor
                overrides.append(f"extractor.checkpoint={shared}")
            results = run_ablation(name, [*overrides, *args.set], run_root)
        summary["models"][name] = summarise(name, results)
        print(f"{name}: {json.dumps(summary['models'][name]['accuracy_by_k'])}", flush=True)
    # re-read before writing: another invocation may have finished other ablations meanwhile
    latest = json.loads(out_json.read_text()) if out_json.is_file() else {}
    done = {n: summary["models"][n] for n in args.only or list(ABLATIONS)}
    merged = {**latest.get("models", {}), **done}
    summary["models"] = {n: merged[n] for n in ABLATIONS if n in merged}
    for row in summary["models"].values():
        if "extraction_edge_f1" in row:
            summary["extraction_edge_f1"] = row["extraction_edge_f1"]
    summary["keys"] = {
        name: {**row["accuracy_by_k"], "train_seconds": row["train_seconds"]}
        for name, row in summary["models"].items()
    }
    out_json.parent.mkdir(parents=True, exist_ok=True)
    out_json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    command = "python scripts/bench_clutrr.py " + " ".join(
        [*(f"--only {n}" for n in args.only or []), *(f"--set {s}" for s in args.set)])
    text = markdown(summary, args.command or command.strip())
    (ROOT / "benchmarks/clutrr.md").write_text(text, encoding="utf-8")
    plot(summary, ROOT / "benchmarks/clutrr_accuracy_by_k.png")
    print(text)


if __name__ == "__main__":
    main()
