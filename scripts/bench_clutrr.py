"""Benchmark the CLUTRR ablations: LM only, GNN on gold graphs, GNN on extracted graphs, fused.

    python scripts/bench_clutrr.py                       # train + test all four, sequentially
    python scripts/bench_clutrr.py --only gnn_gold       # one ablation
    python scripts/bench_clutrr.py --report-only         # re-render from existing runs
    # the fused run in a second process while the first trains gnn_extracted: it builds its
    # held-out-fold graphs meanwhile, then waits for gnn_extracted's extractor and reasoner
    python scripts/bench_clutrr.py --only fused_extracted --wait-for-graph-run 3600

Trains on k=2,3 (validation split off the training file), tests on k=2..10. Writes
benchmarks/results/clutrr.json, benchmarks/clutrr.md and benchmarks/clutrr_accuracy_by_k.png.
The frozen LM features are cached (runs/.feature_cache), so later ablations reuse them; each
run's ``feature_seconds`` says how long its feature step took. The fused model reuses the
extractor trained by the gnn_extracted run when that run exists (its time is reported there)
and starts from its trained graph reasoner, frozen (``model.graph_checkpoint``); it trains the
text classifier and the evidence gate on held-out-fold graphs of the training stories.

Validation is split off the training file by sentence template (``data.validation_split:
template``), so the validation figures are on unseen wording, as the test figures are; the
tables give both and their gap, and check the fusion rule fused >= max(gnn_extracted, lm_only)
- 0.01 at every k.
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
from kg_reasoner.tasks.clutrr.task import evaluate, prepare_heldout_graphs

ROOT = Path(__file__).resolve().parents[1]
ABLATIONS = {
    "lm_only": "configs/clutrr_lm_only.yaml",
    "gnn_gold": "configs/clutrr_gnn_gold.yaml",
    "gnn_extracted": "configs/clutrr_gnn_extracted.yaml",
    "fused_extracted": "configs/clutrr_fused.yaml",
}


FUSION_SLACK = 0.01


def run_ablation(name: str, overrides: list[str], run_root: Path, wait: float = 0.0) -> dict:
    config = load_config(CONFIG_CLASS, ROOT / ABLATIONS[name],
                         [f"output_dir={run_root / name}", *overrides])
    started = time.perf_counter()
    if config.graph.source == "extracted" and config.graph.train_graphs == "heldout_folds":
        prepare_heldout_graphs(config)  # cached; built before waiting for the graph run
    graph_run = config.model.graph_checkpoint or config.extractor.checkpoint
    if graph_run:
        wait_for_run(Path(graph_run), wait)
    results = train(config, resume=False).metrics
    results["wall_seconds"] = time.perf_counter() - started
    return results


def wait_for_run(run: Path, seconds: float) -> None:
    """Block until ``run`` has finished (its results.json exists), at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while not (run / "results.json").is_file():
        if time.monotonic() >= deadline:
            print(f"{run} has not finished (no results.json); run gnn_extracted first or pass "
                  "--wait-for-graph-run SECONDS", file=sys.stderr)
            raise SystemExit(2)
        time.sleep(20)


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
    if "accuracy_by_noise" in results["test"]:
        row["accuracy_by_noise"] = results["test"]["accuracy_by_noise"]
    if "accuracy_by_k_text_consistent" in results["test"]:
        row["accuracy_by_k_text_consistent"] = results["test"]["accuracy_by_k_text_consistent"]
        row["reversed_stories_by_k"] = results["test"]["reversed_stories_by_k"]
        row["stories_by_k"] = results["test"]["stories_by_k"]
    split = results.get("validation_split")
    if split:
        # validation holds k=2,3 stories: compare it with the test files of the same k
        same_k = [by_k[str(k)] for k in (2, 3) if by_k.get(str(k)) is not None]
        test_23 = (sum(same_k) / len(same_k)) if same_k else None
        val_acc = results["validation"].get("accuracy")
        row["validation_template_split"] = {
            **split, "accuracy": val_acc, "nll": results["validation"].get("nll"),
            "extraction_edge_f1": results.get("extraction_edge_f1"),
            "test_accuracy_k23": test_23,
            "gap_accuracy_k23": (val_acc - test_23) if None not in (val_acc, test_23) else None,
            "gap_accuracy_all_k": (val_acc - results["test"]["accuracy"]
                                   if val_acc is not None else None),
        }
    if "heldout_graphs" in results:
        report = results["heldout_graphs"]
        row["heldout_graphs"] = {"folds": report.get("folds"),
                                 "edge_f1": report.get("heldout_edge_f1"),
                                 "seconds": results.get("heldout_graphs_seconds"),
                                 "cached": bool(report.get("cached"))}
    return row


def fusion_rule(models: dict) -> dict | None:
    """Per k: fused - max(gnn_extracted, lm_only), and whether it is >= -FUSION_SLACK."""
    if not {"fused_extracted", "gnn_extracted", "lm_only"} <= set(models):
        return None
    rows = {}
    for k in map(str, K_VALUES):
        fused = models["fused_extracted"]["accuracy_by_k"][k]
        rivals = [models[n]["accuracy_by_k"][k] for n in ("gnn_extracted", "lm_only")]
        if fused is None or None in rivals:
            continue
        margin = fused - max(rivals)
        rows[k] = {"margin": margin, "holds": margin >= -FUSION_SLACK - 1e-12}
    return {"by_k": rows, "holds_at_every_k": all(r["holds"] for r in rows.values())}


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
    lines += _consistent_table(summary, ks)
    rule = summary.get("fusion_rule")
    if rule:
        lines += ["", f"Fusion rule fused_extracted >= max(gnn_extracted, lm_only) - "
                  f"{FUSION_SLACK} (margin per k): " + ", ".join(
                      f"k={k} {r['margin']:+.3f}{'' if r['holds'] else ' FAILS'}"
                      for k, r in rule["by_k"].items())
                  + f"; holds at every k: {'yes' if rule['holds_at_every_k'] else 'no'}."]
    vals = {n: r["validation_template_split"] for n, r in summary["models"].items()
            if r.get("validation_template_split")}
    if vals:
        lines += ["", "Validation split by sentence template (validation stories use templates no "
                  "training story uses; model selection is on it) against test:", "",
                  "| model | split | val stories | unseen-template sentences | val acc | "
                  "test acc k=2,3 | gap k=2,3 | test acc all k | gap all k |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for name, v in vals.items():
            test_all = summary["models"][name]["test_accuracy"]
            lines.append(
                f"| {name} | {v['how']} | {v['validation_stories']} | "
                f"{v['unseen_template_sentences']:.2f} | {_f(v['accuracy'])} | "
                f"{_f(v['test_accuracy_k23'])} | {_f(v['gap_accuracy_k23'], '+.3f')} | "
                f"{test_all:.3f} | {_f(v['gap_accuracy_all_k'], '+.3f')} |")
    for name, row in summary["models"].items():
        held = row.get("heldout_graphs")
        if held and held.get("edge_f1"):
            lines.append(f"- {name}: trained on {held['folds']}-fold held-out extracted graphs "
                         f"of the training stories, edge F1 {held['edge_f1']['f1']:.3f}")
        noise = row.get("accuracy_by_noise")
        if noise:
            lines.append(f"- {name}: accuracy by noise kind " + ", ".join(
                f"{kind} {acc:.3f}" for kind, acc in noise.items()))
    lines += ["", "train s: wall time of `train()` (features, extractor, reasoner, no test "
              "scoring); feature time depends on the shared cache (the first run to encode a "
              "split pays for it)."]
    return "\n".join(lines) + "\n"


def _consistent_table(summary: dict, ks: list[str]) -> list[str]:
    """Accuracy on the test stories whose text does not state a gold fact the other way round."""
    rows = {n: r for n, r in summary["models"].items() if r.get("accuracy_by_k_text_consistent")}
    if not rows:
        return []
    first = next(iter(rows.values()))
    reversed_by_k, stories = first["reversed_stories_by_k"], first["stories_by_k"]
    lines = ["", "Test stories whose text states a gold fact the other way round ("
             "`tasks/clutrr/consistency.py`: \"[A] took his son [B]\" where the gold fact makes A "
             "B's son; one sentence pattern, so a lower bound), and the accuracy on the others:",
             "", "| | " + " | ".join(f"k={k}" for k in ks) + " |", "|---|" + "---|" * len(ks),
             "| stories with a reversed statement | " + " | ".join(
                 f"{reversed_by_k.get(k, 0)} of {stories.get(k, 0)}" for k in ks) + " |"]
    for name, row in rows.items():
        acc = row["accuracy_by_k_text_consistent"]
        lines.append(f"| {name}, other stories | "
                     + " | ".join(_f(acc.get(k)) for k in ks) + " |")
    return lines


def _f(value: float | None, spec: str = ".3f") -> str:
    return "-" if value is None else format(value, spec)


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", choices=sorted(ABLATIONS))
    parser.add_argument("--set", action="append", default=[], help="dotted config override")
    parser.add_argument("--runs", default=str(ROOT / "runs/bench_clutrr"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--report-only", action="store_true", help="re-render from runs/")
    parser.add_argument("--rescore", action="store_true",
                        help="with --report-only: score each trained run on the test files "
                        "again with the current evaluation code (updates its results.json)")
    parser.add_argument("--command", help="how the runs were launched, shown in the table")
    parser.add_argument("--wait-for-graph-run", type=float, default=0.0, metavar="SECONDS",
                        help="fused_extracted: wait this long for the gnn_extracted run it "
                        "reuses to finish (when another invocation is training it)")
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
            if args.rescore:
                results["test"] = evaluate(run_root / name)
                (run_root / name / "results.json").write_text(json.dumps(results, indent=2))
        else:
            overrides = [f"training.num_threads={args.threads}",
                         f"extractor.training.num_threads={args.threads}"]
            shared = run_root / "gnn_extracted"
            if name == "fused_extracted" and (
                (shared / "results.json").is_file() or args.wait_for_graph_run > 0
            ):
                # the fused model reads the same extracted graphs (reuse that extractor) and
                # starts from that graph reasoner, frozen: it falls back to it
                overrides += [f"extractor.checkpoint={shared}",
                              f"model.graph_checkpoint={shared}"]
            results = run_ablation(name, [*overrides, *args.set], run_root,
                                   wait=args.wait_for_graph_run)
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
    summary["fusion_rule"] = fusion_rule(summary["models"])
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
