"""Benchmark `kgr build` on real sentences (CoNLL04 train+dev and CLUTRR stories).

Writes benchmarks/results/build.json and benchmarks/build.md. Measures, on this machine:
extraction throughput with 1 and 2 workers against raw spaCy `nlp.pipe` on the same chunks,
a cold first build and an unchanged re-run through the real CLI, memory and store size, and the
zero-training NER's entity F1 on CoNLL04 dev (spaCy types mapped to CoNLL04's).

The 1-worker ratio to spaCy is the median of ``--pairs`` alternating pairs (spaCy only, then the
build, repeated), each pair's ratio taken from runs seconds apart, so that the drift of a shared
machine cancels instead of landing on one side.

    python scripts/bench_build.py [--sentences 3000] [--pairs 5] [--out results/build.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg_reasoner.data_paths import data_root  # noqa: E402

NOTES = (
    "The ratio vs spaCy is the median over alternating pairs: raw `nlp.pipe` over the builder's "
    "chunks, then a 1-worker build of the same corpus into a new graph, repeated; each pair's "
    "ratio is spaCy seconds / build seconds, and min/max give the spread. Sentences/s are from "
    "the median seconds of each side. "
    "1/2-worker builds are in-process with the spaCy model already loaded (as is the spaCy-only "
    "run); with 1 worker, extraction runs in the build process and a writer thread commits "
    "each batch to the store while the next is parsed. first_build/rerun are cold `kgr build` "
    "processes including Python start-up and model loading. The store size is measured after "
    "the store was reopened once, which folds RocksDB's write-ahead log into its tables."
)
CONLL_TYPES = {"PERSON": "Peop", "ORG": "Org", "GPE": "Loc", "LOC": "Loc"}


def detokenize(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([,.;:!?%)\]'])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    return (
        text.replace(" n't", "n't").replace(" 's", "'s").replace("-LRB-", "(").replace("-RRB-", ")")
    )


def write_corpus(root: Path, max_sentences: int) -> int:
    """CoNLL04 sentences (10 per document) and CLUTRR stories (one per document)."""
    data = data_root()
    sentences = 0
    conll = []
    for split in ("train", "dev"):
        conll += json.loads((data / "conll04" / f"{split}.json").read_text())
    for i in range(0, len(conll), 10):
        block = [detokenize(r["tokens"]) for r in conll[i : i + 10]]
        (root / "conll04").mkdir(parents=True, exist_ok=True)
        (root / "conll04" / f"doc{i // 10:04d}.txt").write_text(" ".join(block) + "\n")
        sentences += len(block)
    path = data / "clutrr" / "train_k23" / "1.2,1.3_train.csv"
    with path.open(newline="") as handle:
        for n, row in enumerate(csv.DictReader(handle)):
            if sentences >= max_sentences:
                break
            story = row["story"].replace("[", "").replace("]", "")
            (root / "clutrr").mkdir(exist_ok=True)
            (root / "clutrr" / f"story{n:05d}.txt").write_text(story + "\n")
            sentences += max(1, story.count(". ") + 1)
    return sentences


def corpus_chunks(corpus: Path) -> list[str]:
    """The paragraph chunks the builder parses, read once (outside the spaCy-only timing)."""
    from kg_reasoner.corpus import Document, read_corpus
    from kg_reasoner.extraction.chunking import chunk_text

    return [
        c.text for d in read_corpus(corpus) if isinstance(d, Document) for c in chunk_text(d.text)
    ]


def spacy_only(texts: list[str]) -> tuple[float, int]:
    """Raw `nlp.pipe` over the same paragraph chunks the builder parses."""
    from kg_reasoner.extraction.spacy_loader import load_spacy

    nlp = load_spacy()
    started = time.perf_counter()
    n_sents = sum(len(list(doc.sents)) for doc in nlp.pipe(texts, batch_size=64))
    return time.perf_counter() - started, n_sents


def alternating_pairs(corpus: Path, work: Path, pairs: int) -> dict:
    """spaCy only, then a 1-worker build, ``pairs`` times; the ratio of each pair and the median.

    Machine drift (another job starting or stopping) moves both runs of a pair alike, so the
    per-pair ratios vary far less than two separate single runs would.
    """
    texts = corpus_chunks(corpus)
    spacy_seconds, build_seconds, ratios = [], [], []
    spacy_cpu, build_cpu, build_main_cpu = [], [], []
    report: dict = {}
    n_sents = 0
    for i in range(pairs):
        print(f"pair {i + 1}/{pairs}: spaCy only ...", flush=True)
        cpu = time.process_time()
        seconds, n_sents = spacy_only(texts)
        spacy_cpu.append(time.process_time() - cpu)
        spacy_seconds.append(seconds)
        print(f"pair {i + 1}/{pairs}: 1-worker build ...", flush=True)
        graph = work / ("kg1" if i == 0 else f"kg1_{i}")  # the first is kept for the stats
        cpu, main_cpu = time.process_time(), time.thread_time()
        seconds, report = build_in_process(corpus, graph, 1)
        build_cpu.append(time.process_time() - cpu)
        build_main_cpu.append(time.thread_time() - main_cpu)
        build_seconds.append(seconds)
        if i:
            shutil.rmtree(graph, ignore_errors=True)
        ratios.append(spacy_seconds[-1] / build_seconds[-1])
        print(f"pair {i + 1}/{pairs}: ratio {ratios[-1]:.3f}", flush=True)
    return {
        "sentences": n_sents,
        "report": report,
        "spacy_seconds": statistics.median(spacy_seconds),
        "build_seconds": statistics.median(build_seconds),
        "ratio": {
            "median": round(statistics.median(ratios), 3),
            "min": round(min(ratios), 3),
            "max": round(max(ratios), 3),
            "pairs": pairs,
            "per_pair": [round(r, 3) for r in ratios],
            "spacy_seconds": [round(x, 2) for x in spacy_seconds],
            "build_seconds": [round(x, 2) for x in build_seconds],
        },
        # CPU seconds drift less than wall seconds on a shared machine. spaCy-only runs on one
        # thread; the build's process CPU adds the store writer and RocksDB's own threads,
        # which run beside the main (parsing) thread when a core is free.
        "cpu": {
            "spacy_cpu_seconds": [round(x, 2) for x in spacy_cpu],
            "build_cpu_seconds": [round(x, 2) for x in build_cpu],
            "build_main_thread_cpu_seconds": [round(x, 2) for x in build_main_cpu],
            "ratio_vs_build_main_thread": _median_ratio(spacy_cpu, build_main_cpu),
            "ratio_vs_build_process": _median_ratio(spacy_cpu, build_cpu),
        },
    }


def _median_ratio(top: list[float], bottom: list[float]) -> float:
    return round(statistics.median(a / b for a, b in zip(top, bottom, strict=True)), 3)


def build_in_process(corpus: Path, graph: Path, workers: int) -> tuple[float, dict]:
    from kg_reasoner.building import BuildConfig
    from kg_reasoner.pipelines import build_graph

    started = time.perf_counter()
    report = build_graph(corpus, graph, config=BuildConfig(workers=workers))
    return time.perf_counter() - started, report.to_dict()


def cli_build(corpus: Path, graph: Path) -> float:
    kgr = Path(sys.executable).with_name("kgr")
    started = time.perf_counter()
    subprocess.run([str(kgr), "build", str(corpus), "--graph", str(graph), "-q"], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - started


def ner_vs_conll04_dev() -> dict:
    from spacy.tokens import Doc

    from kg_reasoner.extraction.spacy_loader import load_spacy

    nlp = load_spacy()
    records = json.loads((data_root() / "conll04" / "dev.json").read_text())
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    for record in records:
        doc = Doc(nlp.vocab, words=record["tokens"])
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        pred = {(e.start, e.end, CONLL_TYPES.get(e.label_, "Other")) for e in doc.ents}
        gold = {(s, e, t) for s, e, t in record["entities"]}
        for _, _, t in pred:
            n_pred[t] += 1
        for _, _, t in gold:
            n_gold[t] += 1
        for _, _, t in pred & gold:
            tp[t] += 1

    def prf(t: int, p: int, g: int) -> dict:
        precision = t / p if p else 0.0
        recall = t / g if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(100 * precision, 2), "recall": round(100 * recall, 2),
                "f1": round(100 * f1, 2)}  # fmt: skip

    per_type = {t: prf(tp[t], n_pred[t], n_gold[t]) for t in sorted(n_gold)}
    micro = prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    note = "strict span+type match; spaCy PERSON->Peop, ORG->Org, GPE/LOC->Loc, rest->Other"
    return {**micro, "per_type": per_type, "sentences": len(records), "note": note}


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sentences", type=int, default=3000, help="corpus size (sentences)")
    parser.add_argument(
        "--pairs", type=int, default=5, help="alternating spaCy-only/build pairs (at least 1)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "build.json")
    args = parser.parse_args()
    if args.pairs < 1:
        parser.error("--pairs must be at least 1")

    import torch

    torch.set_num_threads(2)
    work = Path(tempfile.mkdtemp(prefix="kgr-bench-"))
    try:
        corpus = work / "corpus"
        write_corpus(corpus, args.sentences)
        print("cold CLI build ...", flush=True)
        first = cli_build(corpus, work / "kg_cli")
        rerun = cli_build(corpus, work / "kg_cli")
        paired = alternating_pairs(corpus, work, args.pairs)
        n_sents, report = paired["sentences"], paired["report"]
        spacy_seconds, one_seconds = paired["spacy_seconds"], paired["build_seconds"]
        print("2 workers ...", flush=True)
        two_seconds, _ = build_in_process(corpus, work / "kg2", 2)
        from kg_reasoner.graph import KnowledgeGraph

        # RocksDB folds its write-ahead log into the tables when the store is next opened for
        # writing (as the next `kgr build` does): measure the size a graph settles at.
        KnowledgeGraph.open(work / "kg1").close()
        with KnowledgeGraph.open(work / "kg1", read_only=True) as kg:
            stats = kg.stats()
        print("NER on CoNLL04 dev ...", flush=True)
        ner = ner_vs_conll04_dev()
        result = {
            "corpus": {"sentences": n_sents, "documents": report["counts"]["added"],
                       "source": "CoNLL04 train+dev (10 sentences/doc) + CLUTRR k=2,3 stories"},
            "sentences_per_s_1worker": round(n_sents / one_seconds, 1),
            "sentences_per_s_2workers": round(n_sents / two_seconds, 1),
            "spacy_only_sentences_per_s": round(n_sents / spacy_seconds, 1),
            "ratio_vs_spacy": paired["ratio"]["median"],
            "ratio_vs_spacy_spread": paired["ratio"],
            "cpu_ratio_vs_spacy": paired["cpu"],
            "first_build_seconds": round(first, 2),
            "rerun_unchanged_seconds": round(rerun, 2),
            "rerun_fraction_of_first": round(rerun / first, 4),
            "peak_rss_mb": peak_rss_mb(),
            "store_bytes": stats["store_bytes"],
            "triples": stats["triples"],
            "entities": stats["entities"],
            "statements": stats["statements"],
            "ner_vs_conll04_dev": ner,
            "notes": NOTES,
            "machine": {"cpus": 2, "python": platform.python_version(), "torch_threads": 2},
            "command": f"python scripts/bench_build.py --sentences {args.sentences} "
                       f"--pairs {args.pairs}",
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    (ROOT / "benchmarks" / "build.md").write_text(markdown(result))
    print(json.dumps(result, indent=2))


def markdown(r: dict) -> str:
    """The table section of benchmarks/README.md for this result."""
    ner = r["ner_vs_conll04_dev"]
    spread = r["ratio_vs_spacy_spread"]
    cpu = r["cpu_ratio_vs_spacy"]
    ratio = f"{r['ratio_vs_spacy']} (min {spread['min']}, max {spread['max']})"
    rows = [
        ("corpus", f"{r['corpus']['sentences']} sentences, {r['corpus']['documents']} documents"),
        ("sentences/s, 1 worker", r["sentences_per_s_1worker"]),
        ("sentences/s, 2 workers", r["sentences_per_s_2workers"]),
        ("sentences/s, raw spaCy `nlp.pipe`", r["spacy_only_sentences_per_s"]),
        (f"ratio vs spaCy, 1 worker, median of {spread['pairs']} pairs (target >= 0.8)", ratio),
        ("first build, cold `kgr build` (s)", r["first_build_seconds"]),
        ("re-run, nothing changed (s)", r["rerun_unchanged_seconds"]),
        ("re-run / first build (target < 0.05)", r["rerun_fraction_of_first"]),
        ("peak RSS (MB)", r["peak_rss_mb"]),
        ("store size on disk, settled (bytes)", f"{r['store_bytes']:,}"),
        (
            "triples / entities / statements",
            f"{r['triples']} / {r['entities']} / {r['statements']}",
        ),
        (
            "NER entity F1 vs CoNLL04 dev (P / R)",
            f"{ner['f1']} ({ner['precision']} / {ner['recall']})",
        ),
    ]
    per_type = ", ".join(f"{t} {v['f1']}" for t, v in ner["per_type"].items())
    lines = [
        "## Building graphs (`scripts/bench_build.py`)",
        "",
        f"Command: `{r['command']}`; results in `benchmarks/results/build.json`.",
        f"Load average when run: {r.get('load_average', 'n/a')}.",
        "",
        "| measure | value |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in rows],
        "",
        f"NER F1 per CoNLL04 type (zero training, a sanity figure): {per_type}.",
        "",
        f"Ratio vs spaCy: {spread['pairs']} alternating pairs (spaCy-only `nlp.pipe`, then the "
        f"1-worker build, repeated); per-pair ratios {', '.join(map(str, spread['per_pair']))}; "
        f"spaCy seconds {', '.join(map(str, spread['spacy_seconds']))}; build seconds "
        f"{', '.join(map(str, spread['build_seconds']))}.",
        "",
        f"In CPU seconds (less sensitive to other jobs): spaCy-only CPU / the build's main-thread "
        f"CPU {cpu['ratio_vs_build_main_thread']} (the ratio when a core is free for the store "
        f"writer), / the build's whole-process CPU {cpu['ratio_vs_build_process']} (the ratio "
        f"when every core is busy); medians over the same pairs.",
        "",
        r["notes"],
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
