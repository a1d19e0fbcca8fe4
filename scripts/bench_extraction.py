r"""Benchmark the supervised extractor on CoNLL04: train, score on dev, time inference.

    python scripts/bench_extraction.py                      # train + evaluate + time
    python scripts/bench_extraction.py --skip-train         # re-score an existing run
    python scripts/bench_extraction.py --config configs/conll04_markers.yaml \
        --output benchmarks/results/extraction_conll04_markers.json   # marker relation stage

Writes benchmarks/results/extraction_conll04.json for the default config (another config:
extraction_<config name>.json, unless --output says otherwise) and prints a markdown section.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch

from kg_reasoner.config import load_config
from kg_reasoner.data_paths import resolve_data_path
from kg_reasoner.errors import KGReasonerError
from kg_reasoner.extraction.supervised import SupervisedExtractor, read_examples
from kg_reasoner.extraction.supervised.scoring import format_table
from kg_reasoner.tasks import extraction

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = ROOT / "configs/conll04_extractor.yaml"
RESULT = "extraction_conll04.json"


def default_output(config_path: str) -> Path:
    """Where the results go without --output: the committed name for the default config."""
    if Path(config_path).resolve() == DEFAULT_CONFIG:
        return ROOT / "benchmarks/results" / RESULT
    return ROOT / "benchmarks/results" / f"extraction_{Path(config_path).stem}.json"


def main() -> None:
    lines = __doc__.splitlines()
    parser = argparse.ArgumentParser(
        description=lines[0],
        epilog="\n".join(lines[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", default=str(DEFAULT_CONFIG), help="task: extraction YAML")
    parser.add_argument("--set", action="append", default=[], help="dotted config override")
    parser.add_argument("--skip-train", action="store_true", help="score the existing run")
    parser.add_argument("--threads", type=int, default=2, help="torch threads for scoring")
    parser.add_argument("--output", default=None, help="result JSON (default: see below)")
    args = parser.parse_args()
    try:
        run(args)
    except KGReasonerError as exc:
        sys.exit(f"error: {exc}")


def run(args: argparse.Namespace) -> None:
    """Train (unless --skip-train), score on dev, time inference, write the result JSON."""
    config = load_config(extraction.CONFIG_CLASS, args.config, args.set)
    run_dir = Path(config.output_dir)
    if args.skip_train:
        train_metrics = saved_train_metrics(run_dir)
    else:
        train_metrics = extraction.train(config, resume=True).metrics

    torch.set_num_threads(args.threads)
    dev_path = resolve_data_path(config.data.dev)
    scores = extraction.evaluate(run_dir, dev_path)
    speed, encoder_speed, params = inference_speed(
        run_dir, [ex.tokens for ex in read_examples(dev_path)]
    )
    result = {
        "dev": {
            "entity_f1": scores["entity_f1"],
            "relation_f1_micro": scores["relation_f1_micro"],
            "relation_f1_macro": scores["relation_f1_macro"],
            "scores": {k: scores[k] for k in ("entity", "relation")},
        },
        "relation_model": config.model.relation_model,
        "train_seconds": train_metrics["train_seconds"],
        "best_epoch": train_metrics["best_epoch"],
        "epochs_run": train_metrics["epochs_run"],
        **{k: train_metrics[k] for k in ("span_stage", "relation_stage") if k in train_metrics},
        "infer_sentences_per_s": speed,
        "encoder_forward_sentences_per_s": encoder_speed,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "encoder": config.model.encoder,
        "params": params,
        "threads": args.threads,
        "command": " ".join(["python", *sys.argv]),
        "config": config.model_dump(),
        "machine": f"{platform.machine()}, torch {torch.__version__}, CPU shared with other jobs",
    }
    out = Path(args.output) if args.output else default_output(args.config)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(markdown(result, scores))


def saved_train_metrics(run_dir: Path) -> dict:
    """The training figures of a finished run (``train_result.json``, else ``fit_result.json``)."""
    for name in ("train_result.json", "fit_result.json"):
        path = run_dir / name
        if path.is_file():
            saved = json.loads(path.read_text(encoding="utf-8"))
            return {**saved, "train_seconds": round(saved["train_seconds"], 1)}
    sys.exit(f"error: {run_dir} has no train_result.json: train it first (drop --skip-train)")


def inference_speed(
    run_dir: Path, sentences: list[tuple[str, ...]], repeats: int = 2
) -> tuple[float, float, int]:
    """Sentences/s of full prediction and of the bare encoder forward (best of ``repeats``
    passes, batches of 32), and the parameter count (both stages of a markers run). The
    bare-encoder figure (the span model's encoder) is a yardstick for how busy the shared
    machine was."""
    extractor = SupervisedExtractor.from_directory(run_dir, batch_size=32)
    predictor = extractor.predictor
    params = sum(p.numel() for p in predictor.model.parameters())
    if predictor.relation_stage is not None:
        params += sum(p.numel() for p in predictor.relation_stage.model.parameters())
    ordered = sorted(sentences, key=len)
    batches = [
        predictor.aligner.collate(predictor.aligner.tokenize(ordered[i : i + 32]))
        for i in range(0, len(ordered), 32)
    ]

    def encoder_pass() -> None:
        with torch.no_grad():
            for inputs in batches:
                predictor.model.encoder(
                    input_ids=inputs.input_ids, attention_mask=inputs.attention_mask
                )

    return (
        _rate(lambda: extractor.predict_tokens(sentences), len(sentences), repeats),
        _rate(encoder_pass, len(sentences), repeats),
        params,
    )


def _rate(work: Callable[[], object], n_items: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return round(n_items / best, 1)


def markdown(result: dict, scores: dict) -> str:
    dev = result["dev"]
    head = (
        "| encoder | relations | params | dev entity F1 | dev relation F1 micro "
        "| dev relation F1 macro | train s | infer sent/s | bare encoder sent/s |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|\n"
        f"| {result['encoder']} | {result['relation_model']} | {result['params'] / 1e6:.1f}M "
        f"| {dev['entity_f1']:.2f} "
        f"| {dev['relation_f1_micro']:.2f} | {dev['relation_f1_macro']:.2f} "
        f"| {result['train_seconds']:.0f} | {result['infer_sentences_per_s']:.1f} "
        f"| {result['encoder_forward_sentences_per_s']:.1f} |"
    )
    return f"### CoNLL04 (dev, strict)\n\n{head}\n\n{format_table(scores)}\n"


if __name__ == "__main__":
    main()
