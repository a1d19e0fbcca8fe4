"""MetaQA KGQA benchmark: Hits@1 / F1 per hop, training time, ask and HTTP latency, memory.

Train first (`kgr train configs/metaqa.yaml`), then:

    .venv/bin/python scripts/bench_kgqa.py --run runs/metaqa

writes benchmarks/results/kgqa_metaqa.json and benchmarks/kgqa.md. Both runs measure the cold
start of `kgr ask` (a fresh process answering one question over the sample-corpus graph:
imports, graph and model loading, answering); ``--cold-start-only`` measures just that and
merges ``ask_cold_start_seconds`` into the existing JSON, without a trained run.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import torch
import uvicorn

from kg_reasoner.qa.loading import LoadedQA
from kg_reasoner.qa.trained_answerer import TrainedAnswerer
from kg_reasoner.retrieval.kb_graph import kb_graph
from kg_reasoner.serve.app import create_app
from kg_reasoner.tasks import kgqa

ANCHORS = {
    "EmbedKGQA": (97.5, 98.8, 94.8),
    "NSM": (97.1, 99.9, 98.9),
    "TransferNet": (97.5, 100.0, 100.0),
}


ZERO_SHOT_NOTES = """### Zero-shot answering on graphs from `kgr build` (no trained QA model)

`kgr ask --graph kg/ "Where was Marie Curie born?"` links the question entity, enumerates the
relation paths of up to two hops from it, verbalises each ("ENTITY born in"), and ranks them by
MiniLM cosine similarity to the question with the entity masked, plus a small bonus when the
answer's entity type fits the question word (who/where/when/which company...). It answers factoid
questions one or two extracted relations away from a named entity whose relation label says what
is asked (born_in, capital_of, headquartered_in, marry, found...); on the kg_data sample corpus it
answers e.g. where Marie Curie was born, what Warsaw is the capital of, whom Pierre Curie married,
where Microsoft is headquartered, when Einstein was born. It cannot count, compare, aggregate,
negate or answer yes/no, cannot use relations the extractor did not produce, and confuses
relations whose labels are close to the question wording (e.g. "Who founded Google?" ranks the
`ceo_of` path above `found`). A best answer scoring below the calibrated answer threshold is
withheld as "not found in the graph" (candidates listed); the threshold and its accuracy on
the labelled sample-corpus questions are in `results/answer_threshold.json`."""

ROOT = Path(__file__).resolve().parents[1]
COLD_QUESTION = "Where was Marie Curie born?"


def ask_cold_start(graph: Path | None, runs: int) -> dict[str, Any]:
    """Median wall-clock of ``runs`` fresh `kgr ask --graph` processes (one question each) over
    ``graph``, or over the sample corpus built into a temporary graph."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_qa_text import build

    kgr = Path(sys.executable).with_name("kgr")
    with tempfile.TemporaryDirectory() as tmp:
        if graph is None:
            graph = Path(tmp) / "graph"
            build(graph, ROOT / "kg_data" / "sample_corpus")
        command = [str(kgr), "ask", "--graph", str(graph), COLD_QUESTION]
        seconds = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
            seconds.append(round(time.perf_counter() - start, 3))
    return {
        "ask_cold_start_seconds": round(statistics.median(seconds), 2),
        "ask_cold_start": {
            "runs_seconds": seconds,
            "command": "kgr ask --graph <sample-corpus graph> " + shlex.quote(COLD_QUESTION),
            "note": "fresh process each run: Python start-up, imports, graph and model "
            "loading, one zero-shot answer; 2 CPU cores shared with other jobs",
        },
    }


def cold_start_line(results: dict[str, Any]) -> str:
    if "ask_cold_start_seconds" not in results:
        return ""
    runs = results["ask_cold_start"]["runs_seconds"]
    return (
        f"- `kgr ask` cold start (fresh process, sample-corpus graph, one question): median "
        f"{results['ask_cold_start_seconds']} s of {len(runs)} runs ({min(runs)}-{max(runs)} s); "
        "`python scripts/bench_kgqa.py --cold-start-only`"
    )


def percentiles(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(float(np.percentile(values, 50)), 2),
        "p95": round(float(np.percentile(values, 95)), 2),
    }


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def sample_questions(run: Path, n: int, seed: int) -> list[tuple[str, set[str], str]]:
    """``n`` validation questions (fixed seed) with their gold answers and hop group."""
    trained = kgqa.load_reasoner(run)
    records = kgqa.load_splits(trained.config)["validation"]
    chosen = random.Random(seed).sample(records, min(n, len(records)))
    return [(r.question, set(r.answers), r.group) for r in chosen]


def time_in_process(
    answerer: TrainedAnswerer, questions: list[tuple[str, set[str], str]], *, cached: bool
) -> dict:
    """Warm latency of ``answer``; without ``cached`` the question is re-encoded every time."""
    for question, _, _ in questions if cached else questions[:5]:
        answerer.answer(question)  # warm-up (and, when cached, every question embedded once)
    latencies, hits = [], 0
    for question, gold, _ in questions:
        if not cached:
            answerer.embedder.clear_memory()
        start = time.perf_counter()
        result = answerer.answer(question)
        latencies.append(1000 * (time.perf_counter() - start))
        hits += bool(result.answers) and result.answers[0].label in gold
    return {"latency": percentiles(latencies), "hits_at_1": round(100 * hits / len(questions), 2)}


def time_over_http(loaded: LoadedQA, questions: list[tuple[str, set[str], str]]) -> dict:
    """Warm latency of POST /ask on a local server (question embeddings not cleared)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(loaded), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    latencies = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
            for question, _, _ in questions:  # warm-up: every question embedded once
                http.post("/ask", json={"question": question}).raise_for_status()
            for question, _, _ in questions:
                start = time.perf_counter()
                http.post("/ask", json={"question": question}).raise_for_status()
                latencies.append(1000 * (time.perf_counter() - start))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return {"latency": percentiles(latencies)}


def markdown(results: dict[str, Any]) -> str:
    hits = {k: results["hits_at_1"].get(k, "-") for k in ("1", "2", "3")}
    f1 = {k: results["answer_f1"].get(k, "-") for k in ("1", "2", "3")}
    lines = [
        "## KGQA on MetaQA (vanilla)",
        "",
        "TransferNet-style reasoner (hop-wise relation attention over the whole KB with",
        "inverse relations, frozen MiniLM question embeddings with the topic masked), trained on",
        "the MetaQA dev questions minus a fixed 10% validation slice per hop; figures are on",
        "those slices.",
        "",
        "| model | training data | 1-hop | 2-hop | 3-hop |",
        "|---|---|---|---|---|",
        f"| kg_reasoner (Hits@1) | ~35k dev questions, CPU | {hits['1']} | {hits['2']} | "
        f"{hits['3']} |",
        f"| kg_reasoner (answer F1) | | {f1['1']} | {f1['2']} | {f1['3']} |",
    ]
    for name, (a, b, c) in ANCHORS.items():
        lines.append(
            f"| {name} (published Hits@1) | ~330k train questions, GPU | {a} | {b} | {c} |"
        )
    lat, http = results["ask_latency_ms"], results["http_latency_ms"]
    cached = results["ask_latency_ms_cached_question_embedding"]
    lines += [
        "",
        f"- validation questions per hop: {results['validation_questions']}",
        f"- training: {results['train_seconds']} s wall-clock ({results['train_note']})",
        f"- `kgr ask` latency, warm process, question re-encoded each time: p50 {lat['p50']} ms, "
        f"p95 {lat['p95']} ms; with the question embedding cached: p50 {cached['p50']} ms, "
        f"p95 {cached['p95']} ms; over HTTP (`/ask`, cached): p50 {http['p50']} ms, "
        f"p95 {http['p95']} ms ({results['latency_questions']} validation questions, answer "
        "with evidence paths)",
        f"- peak RSS: training {results['peak_rss_mb_train']} MB, benchmark process (model, KB, "
        f"server) {results['peak_rss_mb_serve']} MB",
        f"- command: `{results['command']}`",
    ]
    if cold_start_line(results):
        lines.append(cold_start_line(results))
    lines += ["", ZERO_SHOT_NOTES]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, default=Path("runs/metaqa"))
    parser.add_argument("--output", type=Path, default=Path("benchmarks/results/kgqa_metaqa.json"))
    parser.add_argument("--markdown", type=Path, default=Path("benchmarks/kgqa.md"))
    parser.add_argument("--latency-questions", type=int, default=300)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--cold-start-only",
        action="store_true",
        help="only time fresh `kgr ask` processes and merge the figure into --output",
    )
    parser.add_argument("--cold-start-runs", type=int, default=5)
    parser.add_argument("--graph", type=Path, help="graph for the cold start (default: build)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    cold = ask_cold_start(args.graph, args.cold_start_runs)
    if args.cold_start_only:
        results = json.loads(args.output.read_text(encoding="utf-8"))
        results.update(cold)
        args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        args.markdown.write_text(markdown(results), encoding="utf-8")
        print(cold_start_line(results))
        return

    train_metrics = json.loads((args.run / "metrics.json").read_text(encoding="utf-8"))
    evaluation = kgqa.evaluate(args.run, None, split="validation")
    answerer = TrainedAnswerer.from_run(args.run)
    answerer.graph = kb_graph(answerer.index)
    answerer.warm_up()
    questions = sample_questions(args.run, args.latency_questions, seed=0)
    in_process = time_in_process(answerer, questions, cached=False)
    in_process_cached = time_in_process(answerer, questions, cached=True)
    over_http = time_over_http(LoadedQA(answerer, answerer.graph), questions)
    results = {
        "hits_at_1": evaluation["hits_at_1"],
        "answer_f1": evaluation["answer_f1"],
        "hits_at_1_by_type": evaluation["hits_at_1_by_type"],
        "validation_questions": evaluation["questions"],
        "answer_threshold": evaluation["threshold"],
        "train_seconds": train_metrics["train_seconds"],
        "train_note": "wall-clock of `kgr train`, incl. KB loading and question embedding "
        f"({train_metrics.get('encode_seconds')} s; frozen MiniLM embeddings of the distinct "
        "masked questions are reused from the run directory's cache when present); 2 CPU cores "
        "shared with other jobs, 1 torch thread",
        "best_epoch": train_metrics.get("best_epoch"),
        "ask_latency_ms": in_process["latency"],
        "ask_latency_ms_cached_question_embedding": in_process_cached["latency"],
        "ask_path_hits_at_1_on_latency_sample": in_process["hits_at_1"],
        "http_latency_ms": over_http["latency"],
        "latency_questions": len(questions),
        "peak_rss_mb": max(train_metrics.get("peak_rss_mb", 0.0), peak_rss_mb()),
        "peak_rss_mb_train": train_metrics.get("peak_rss_mb"),
        "peak_rss_mb_serve": peak_rss_mb(),
        "anchors_hits_at_1": {
            k: dict(zip(("1", "2", "3"), v, strict=True)) for k, v in ANCHORS.items()
        },
        "command": "kgr train configs/metaqa.yaml && python scripts/bench_kgqa.py --run "
        f"{args.run}",
        "machine": f"{platform.machine()}, torch {torch.__version__}, "
        f"python {sys.version.split()[0]}",
        **cold,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    text = markdown(results)
    args.markdown.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
