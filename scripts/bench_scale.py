"""Scaling measurements (issue 14): the Ray engine, DDP, server stores, growth, a projection.

Writes its part into benchmarks/results/scale.json (merged with the parts already there) and
rewrites benchmarks/scale.md, the section `scripts/benchmarks_readme.py` puts into
benchmarks/README.md. Every timing is recorded with the load average it ran under: this
machine's two cores are shared with other jobs, so timings are upper bounds.

    PYTHONPATH=. python scripts/bench_scale.py ray [--sentences 3000] [--pairs 3] [--workers 2]
    PYTHONPATH=. python scripts/bench_scale.py ddp [--questions 1500] [--epochs 1]
    PYTHONPATH=. python scripts/bench_scale.py store [--triples 1000000] [--anchors 100]
    PYTHONPATH=. python scripts/bench_scale.py store --backends virtuoso --keep   # add one store
    PYTHONPATH=. python scripts/bench_scale.py growth [--sizes 10000 100000] [--workers 2]
    PYTHONPATH=. python scripts/bench_scale.py growth --sizes 1000000 --graphs G --build-only
    PYTHONPATH=. python scripts/bench_scale.py growth --sizes 1000000 --graphs G --keep  # measure
    PYTHONPATH=. python scripts/bench_scale.py growth --graphs G --keep --ask-only   # kgr ask again
    PYTHONPATH=. python scripts/bench_scale.py replicate --source G/kg100000 --dest G/kg1000000
    PYTHONPATH=. python scripts/bench_scale.py projection   # computed from the parts above
    PYTHONPATH=. python scripts/bench_scale.py markdown     # benchmarks/scale.md from the JSON

Parts:
  ray         Ray engine throughput / local engine throughput, same workers, on
              scripts/bench_build.py's corpus; median of --pairs alternating (local, Ray) pairs,
              in one process with ray.init(num_cpus=workers) done once.
  ddp         `kgr train` on a MetaQA subset (--questions per hop file, 1- and 2-hop) under
              torchrun --nproc_per_node=2 vs one process at the same global batch.
  store       bulk load and anchored 2-hop latency (p50/p95 over --anchors random entities) for
              --triples synthetic triples in the embedded store, `oxigraph serve` and Virtuoso
              (started on loopback as the tests do), and `kgr build` sentences/s into each.
  growth      cold local builds at each --sizes sentences (the benchmark corpus repeated with
              fresh document ids): seconds, peak RSS of the build's process tree, store bytes;
              then `kgr ask` and anchored SPARQL latency on each graph.
  projection  10M documents on a 32-node cluster with a server store, from the parts above.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

RESULTS = ROOT / "benchmarks" / "results" / "scale.json"
SECTION = ROOT / "benchmarks" / "scale.md"
SHARED_NOTE = (
    "The machine (2 CPU cores, no GPU) was shared with other jobs while these ran; each "
    "figure carries the 1/5/15-minute load average read when it was taken, and every timing "
    "is an upper bound."
)
# published bulk-load rates the projection compares with (issue 14)
VIRTUOSO_PUBLISHED_TRIPLES_PER_S = 330_000  # on 24 cores
QLEVER_PUBLISHED_TRIPLES_PER_S = 1e9 / 3600  # ~1 h per 1B triples


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def latency_summary(seconds: list[float]) -> dict[str, Any]:
    return {
        "p50_ms": round(1000 * percentile(seconds, 0.5), 2),
        "p95_ms": round(1000 * percentile(seconds, 0.95), 2),
        "n": len(seconds),
    }


def read_results() -> dict[str, Any]:
    return json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}


HEADLINES = {"ray_vs_local": "ray_vs_local_ratio", "ddp": "ddp_2proc_vs_1proc_samples_per_s"}
"""The issue's headline figures, also kept at the top level of scale.json (part -> key)."""


def save_part(name: str, part: dict[str, Any]) -> None:
    """Merge ``part`` under ``name`` into scale.json and rewrite the markdown section."""
    results = read_results()
    results[name] = part
    write_results(results)
    print(json.dumps(part, indent=2))


def write_results(results: dict[str, Any]) -> None:
    """scale.json, with each headline figure copied to the top level, and its section."""
    for part, key in HEADLINES.items():
        if part in results:
            results[key] = results[part][key]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    SECTION.write_text(markdown(results))


def command_line() -> str:
    return "PYTHONPATH=. python scripts/bench_scale.py " + " ".join(sys.argv[1:])


# -- corpora ---------------------------------------------------------------------------------
def base_corpus(directory: Path, sentences: int) -> Path:
    from bench_build import write_corpus

    write_corpus(directory, sentences)
    return directory


def repeated_corpus(base: Path, directory: Path, sentences: int, base_sentences: int) -> int:
    """``base`` copied ``ceil(sentences / base_sentences)`` times under ``rep0000/`` ...: the same
    texts under fresh document ids. Returns the number of copies."""
    copies = max(1, -(-sentences // base_sentences))
    for i in range(copies):
        target = directory / f"rep{i:04d}"
        shutil.copytree(base, target)
    return copies


def build_seconds(corpus: Path, graph: str | Path, *, workers: int, engine: str = "local"
                  ) -> tuple[float, dict[str, Any]]:  # fmt: skip
    from kg_reasoner.building import BuildConfig
    from kg_reasoner.pipelines import build_graph

    started = time.perf_counter()
    report = build_graph(corpus, graph, config=BuildConfig(workers=workers, engine=engine))
    seconds = time.perf_counter() - started
    out = report.to_dict()
    out.pop("documents", None)
    return seconds, out


# -- part 1: Ray vs local ----------------------------------------------------------------------
def part_ray(args: argparse.Namespace) -> None:
    import ray
    import torch

    torch.set_num_threads(1)
    work = Path(tempfile.mkdtemp(prefix="kgr-scale-ray-"))
    try:
        corpus = base_corpus(work / "corpus", args.sentences)
        ray.init(num_cpus=args.workers, include_dashboard=False, log_to_driver=False)
        runs: list[dict[str, Any]] = []
        for i in range(args.pairs):
            pair: dict[str, Any] = {}
            for engine in ("local", "ray"):
                print(f"pair {i + 1}/{args.pairs}: {engine} ...", flush=True)
                seconds, report = build_seconds(
                    corpus, work / f"kg_{engine}_{i}", workers=args.workers, engine=engine
                )
                shutil.rmtree(work / f"kg_{engine}_{i}", ignore_errors=True)
                pair[engine] = {
                    "seconds": round(seconds, 2),
                    "sentences_per_s": round(report["sentences_processed"] / seconds, 1),
                    "load_average": load(),
                }
                pair["sentences"] = report["sentences_processed"]
            ray_rate, local_rate = pair["ray"]["sentences_per_s"], pair["local"]["sentences_per_s"]
            pair["ratio"] = round(ray_rate / local_rate, 3)
            print(f"pair {i + 1}: ratio {pair['ratio']}", flush=True)
            runs.append(pair)
        ray.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratios = [r["ratio"] for r in runs]
    save_part("ray_vs_local", {
        "ray_vs_local_ratio": round(statistics.median(ratios), 3),
        "min": min(ratios), "max": max(ratios), "pairs": runs, "workers": args.workers,
        "sentences": runs[0]["sentences"],
        "local_sentences_per_s": statistics.median(r["local"]["sentences_per_s"] for r in runs),
        "ray_sentences_per_s": statistics.median(r["ray"]["sentences_per_s"] for r in runs),
        "target": 0.8,
        "notes": "in one process: ray.init(num_cpus=workers) once, then alternating local and "
                 "Ray builds of the same corpus into new graphs; each build's seconds include "
                 "starting its workers (local processes or Ray actors) and loading spaCy in them",
        "command": command_line(),
        "load_average": load(),
    })  # fmt: skip


# -- part 2: DDP -------------------------------------------------------------------------------
def ddp_config(work: Path, questions: int, epochs: int, world: int, batch: int) -> Path:
    import yaml

    from kg_reasoner.data_paths import data_root

    src = data_root() / "metaqa"
    data = work / "data"
    if not data.is_dir():
        data.mkdir(parents=True)
        (data / "kb.txt").symlink_to(src / "kb.txt")
        for hop in ("1", "2"):
            lines = (src / f"{hop}-hop" / "qa_dev.txt").read_text().splitlines()[:questions]
            (data / f"{hop}-hop.txt").write_text("\n".join(lines) + "\n")
    config = yaml.safe_load((ROOT / "configs" / "metaqa.yaml").read_text())
    config["output_dir"] = str(work / f"run{world}")
    config["data"].update(
        root=str(data), kb="kb.txt",
        questions=[{"name": h, "path": f"{h}-hop.txt"} for h in ("1", "2")],
    )  # fmt: skip
    config["model"]["num_hops"] = 2
    config["training"].update(epochs=epochs, batch_size=batch // world, patience=0)
    path = work / f"metaqa_{world}.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def train_samples(questions: int) -> int:
    from kg_reasoner.tasks.kgqa.data import split_validation

    train, _ = split_validation(list(range(questions)), fraction=0.1, seed=0)  # type: ignore[arg-type]
    return 2 * len(train)


def part_ddp(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="kgr-scale-ddp-"))
    torchrun = Path(sys.executable).with_name("torchrun")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    samples = train_samples(args.questions) * args.epochs
    runs: dict[str, Any] = {}
    worlds = (1,) if args.control else (1, 2, 1, 2)[: 2 * args.pairs]
    batch = args.global_batch // 2 if args.control else args.global_batch
    try:
        for world in worlds:
            config = ddp_config(work, args.questions, args.epochs, world, batch)
            shutil.rmtree(work / f"run{world}", ignore_errors=True)
            if world == 1:
                cmd = [sys.executable, "-m", "kg_reasoner", "train", str(config)]
            else:
                cmd = [str(torchrun), "--standalone", f"--nproc_per_node={world}", "-m",
                       "kg_reasoner", "train", str(config)]  # fmt: skip
            print(f"{world} process(es) ...", flush=True)
            started = time.perf_counter()
            subprocess.run(cmd, check=True, env=env, cwd=work, stdout=subprocess.DEVNULL)
            wall = time.perf_counter() - started
            fit = json.loads((work / f"run{world}" / "fit_result.json").read_text())
            runs.setdefault(str(world), []).append({
                "train_seconds": round(fit["train_seconds"], 2),
                "samples_per_s": round(samples / fit["train_seconds"], 1),
                "wall_seconds_with_prepare": round(wall, 1),
                "load_average": load(),
            })  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.control:
        save_part("ddp_control", {
            "batch": batch, "runs": runs["1"], "command": command_line(),
            "notes": "one process at the per-process batch two ranks use",
        })  # fmt: skip
        return
    one = statistics.median(r["samples_per_s"] for r in runs["1"])
    two = statistics.median(r["samples_per_s"] for r in runs["2"])
    save_part("ddp", {
        "ddp_2proc_vs_1proc_samples_per_s": round(two / one, 3),
        "samples_per_s_1proc": one, "samples_per_s_2proc": two, "runs": runs,
        "config": f"configs/metaqa.yaml on the first {args.questions} questions of MetaQA 1- and "
                  f"2-hop dev (num_hops 2), {args.epochs} epoch(s), global batch "
                  f"{args.global_batch} (per process {args.global_batch} / N), MiniLM frozen",
        "train_samples_per_epoch": samples // args.epochs,
        "notes": "samples/s = training questions / the loop's train seconds (prepare, question "
                 "encoding and validation excluded); torchrun --standalone, gloo on CPU, one "
                 "thread per process. Two processes on two shared cores measure DDP's overhead "
                 "(gradient all-reduce, two Python processes), not a speed-up.",
        "command": command_line(),
        "load_average": load(),
    })  # fmt: skip


# -- part 3: stores ----------------------------------------------------------------------------
def store_backends() -> dict[str, Callable[[Path], AbstractContextManager[Any]]]:
    from tests.graph.sparql_servers import oxigraph_server, virtuoso_available, virtuoso_server

    backends: dict[str, Callable[[Path], AbstractContextManager[Any]]] = {
        "embedded": lambda d: nullcontext(d / "store"),
        "oxigraph_server": oxigraph_server,
    }
    if virtuoso_available():
        backends["virtuoso"] = virtuoso_server
    return backends


def anchored_latency(run: Callable[[str], Any], entities: list[str], *, distinct: bool = False
                     ) -> dict[str, Any]:  # fmt: skip
    """``<e> ?p ?b . ?b ?q ?c`` from each of ``entities``: p50/p95 and mean rows. ``distinct``
    asks for distinct ``(?b, ?c)``: a fact stated in many documents is one row, not one per
    document graph the union of graphs holds it in."""
    seconds, rows = [], 0
    select = "SELECT DISTINCT" if distinct else "SELECT"
    for iri in entities:
        query = f"{select} ?b ?c WHERE {{ <{iri}> ?p ?b . ?b ?q ?c }}"
        t0 = time.perf_counter()
        rows += len(run(query))
        seconds.append(time.perf_counter() - t0)
    return {**latency_summary(seconds), "mean_rows": round(rows / max(len(entities), 1), 1)}


def load_synthetic(store: Any, triples: int, anchors: int) -> dict[str, Any]:
    from bench_sparql_store import ENT, bulk_load

    load_s, entities = bulk_load(store, triples)
    load_avg = load()
    chosen = random.Random(1).sample(range(entities), min(anchors, entities))
    return {
        "triples_stored": len(store),
        "load_s": round(load_s, 2),
        "triples_per_s": round(triples / load_s),
        "load_average_after_load": load_avg,
        "two_hop": anchored_latency(store.query, [f"{ENT}{e}" for e in chosen]),
        "load_average": load(),
    }


def part_store(args: argparse.Namespace) -> None:
    from kg_reasoner.graph.stores import open_store

    kept = read_results().get("store_1m", {}) if args.keep else {}
    if kept and kept.get("triples") != args.triples:
        raise SystemExit(
            f"--keep: scale.json holds {kept.get('triples')} triples, not {args.triples}"
        )
    results: dict[str, Any] = dict(kept.get("backends", {}))
    available = store_backends()
    wanted = args.backends or ["embedded", "oxigraph_server", "virtuoso"]
    for name in wanted:
        if name not in available:
            print(f"{name}: not installed (`make virtuoso`), skipped", flush=True)
    work = Path(tempfile.mkdtemp(prefix="kgr-scale-store-"))
    try:
        corpus = base_corpus(work / "corpus", args.sentences)
        for name, start in available.items():
            if name not in wanted:
                continue
            print(f"{name}: {args.triples} triples ...", flush=True)
            (work / name).mkdir()
            with start(work / name) as location:
                store = open_store(location)
                try:
                    part = load_synthetic(store, args.triples, args.anchors)
                finally:
                    store.close()
            print(f"{name}: kgr build ...", flush=True)
            (work / f"{name}_build").mkdir()
            with start(work / f"{name}_build") as location:
                graph = work / f"{name}_build" / "kg" if name == "embedded" else location
                seconds, report = build_seconds(corpus, graph, workers=1)
            part["kgr_build"] = {
                "sentences": report["sentences_processed"],
                "seconds": round(seconds, 2),
                "sentences_per_s": round(report["sentences_processed"] / seconds, 1),
                "workers": 1,
                "load_average": load(),
            }
            part["command"] = command_line()  # --keep merges runs of different commands
            results[name] = part
            shutil.rmtree(work / name, ignore_errors=True)
            shutil.rmtree(work / f"{name}_build", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    save_part("store_1m", {
        "triples": args.triples, "anchors": args.anchors, "backends": results,
        "notes": "synthetic triples as scripts/bench_sparql_store.py writes them (100 per "
                 "document graph, 100 documents per write, through the store's write path; "
                 "entities = triples / 10, 20 relations); the 2-hop query is "
                 "`<e> ?p ?b . ?b ?q ?c` from random entities, each query timed end to end "
                 "(HTTP and result parsing included for servers). Servers run on loopback with "
                 "a temporary database, started as tests/graph/sparql_servers.py does; "
                 "`kgr build` is a 1-worker in-process build of the benchmark corpus into a "
                 "fresh store of each kind.",
        "command": command_line(),
    })  # fmt: skip


# -- part 4: growth ----------------------------------------------------------------------------
def tree_rss(pid: int) -> int:
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += p.memory_info().rss
    return total


def cold_build(corpus: Path, graph: Path, workers: int) -> dict[str, Any]:
    """A `kgr build` process (cold: start-up and model loading included); its process tree's
    peak RSS sampled every 0.2 s."""
    cmd = [sys.executable, "-m", "kg_reasoner", "build", str(corpus), "--graph", str(graph),
           "--workers", str(workers), "-q"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(f"kgr build failed ({proc.returncode})")
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(peak / 2**20, 1),
            "load_average": load()}  # fmt: skip


QUESTIONS = (
    "Where was John Wilkes Booth born?",
    "Who killed Abraham Lincoln?",
    "Where is the headquarters of the United Nations?",
    "Who is the president of France?",
    "Where does Mary's son live?",
    "Who is Robert's father?",
)


def graph_queries(graph: Path, anchors: int) -> dict[str, Any]:
    from kg_reasoner.graph import KnowledgeGraph

    KnowledgeGraph.open(graph).close()  # settle RocksDB's write-ahead log, as a next build does
    with KnowledgeGraph.open(graph, read_only=True) as kg:
        t0 = time.perf_counter()
        stats = kg.stats()
        stats_s = time.perf_counter() - t0
        rows = kg.sparql("SELECT DISTINCT ?e WHERE { ?e a kgr:Entity }")
        entities = sorted(r["e"] for r in rows)  # type: ignore[union-attr, index]
        chosen = random.Random(1).sample(entities, min(anchors, len(entities)))
        sparql = anchored_latency(kg.store.query, chosen, distinct=True)
    return {
        "store_bytes": stats["store_bytes"], "triples": stats["triples"],
        "entities": stats["entities"], "statements": stats["statements"],
        "sentences": stats["sentences"], "quads": stats["quads"],
        "stats_seconds": round(stats_s, 2),
        "anchored_two_hop": sparql,
        **ask_latency(graph),
    }  # fmt: skip


def ask_latency(graph: Path) -> dict[str, Any]:
    """`kgr ask` on ``graph``: the first question (indexing the graph), the rest warm, then
    the first question of a fresh answerer again (the index read from its cache)."""
    from kg_reasoner.pipelines.ask import ask, close_answerers
    from kg_reasoner.retrieval.index_cache import CACHE_DIR

    shutil.rmtree(graph / CACHE_DIR, ignore_errors=True)  # the first load indexes the graph
    t0 = time.perf_counter()
    ask(QUESTIONS[0], graph=str(graph))
    answerer_load_s = time.perf_counter() - t0
    seconds = []
    for question in QUESTIONS[1:]:
        t0 = time.perf_counter()
        ask(question, graph=str(graph))
        seconds.append(time.perf_counter() - t0)
    close_answerers()
    t0 = time.perf_counter()  # as the next process does: the index is read from its cache
    ask(QUESTIONS[0], graph=str(graph))
    cached_load_s = time.perf_counter() - t0
    close_answerers()
    return {
        "ask_first_seconds_incl_loading": round(answerer_load_s, 2),
        "ask_first_seconds_index_cached": round(cached_load_s, 2),
        "ask": latency_summary(seconds),
        "load_average": load(),
    }  # fmt: skip


def part_growth(args: argparse.Namespace) -> None:
    results = read_results().get("growth", {}).get("sizes", {}) if args.keep else {}
    work = Path(tempfile.mkdtemp(prefix="kgr-scale-growth-", dir=args.tmp))
    kept = Path(args.graphs) if args.graphs else None
    try:
        base = base_corpus(work / "base", 3000)
        base_sentences = sum(
            max(1, p.read_text().count(". ") + 1) if "clutrr" in p.parts else 10
            for p in base.rglob("*.txt")
        )
        for size in args.sizes:
            graph = (kept or work) / f"kg{size}"
            record = graph.with_name(graph.name + ".build.json")
            if kept and record.exists():
                copies, build = json.loads(record.read_text())
                if "replicated_from" in build:
                    print(f"{size}: measuring the replicated graph ({build['note']})", flush=True)
                else:
                    print(f"{size}: reusing the graph built in {build['seconds']} s", flush=True)
            else:
                corpus = work / f"corpus{size}"
                copies = repeated_corpus(base, corpus, size, base_sentences)
                shutil.rmtree(graph, ignore_errors=True)
                print(f"{size} sentences ({copies} copies): build ...", flush=True)
                build = cold_build(corpus, graph, args.workers)
                shutil.rmtree(corpus)
                if kept:
                    record.write_text(json.dumps([copies, build]))
            if args.build_only:
                continue
            if args.ask_only:
                if str(size) not in results:
                    raise SystemExit("--ask-only measures again sizes in scale.json: add --keep")
                print(f"{size}: kgr ask ...", flush=True)
                results[str(size)] = {
                    **results[str(size)], **ask_latency(graph), "ask_measured_by": command_line()
                }
                save_part("growth", growth_part(results, args))
                continue
            print(f"{size}: queries ...", flush=True)
            queries = graph_queries(graph, args.anchors)
            if "replicated_from" in build:
                results[str(size)] = replicated_entry(results.get(str(size)), build, queries)
            else:
                build["sentences_per_s"] = round(queries["sentences"] / build["seconds"], 1)
                results[str(size)] = {"copies": copies, "build": build, **queries}
            if not kept:
                shutil.rmtree(graph)
            save_part("growth", growth_part(results, args))
    finally:
        shutil.rmtree(work, ignore_errors=True)


_QUERY_FIELDS = (
    "stats_seconds", "anchored_two_hop", "ask_first_seconds_incl_loading",
    "ask_first_seconds_index_cached", "ask",
)  # fmt: skip


def replicated_entry(
    built: dict[str, Any] | None, record: dict[str, Any], queries: dict[str, Any]
) -> dict[str, Any]:
    """A size whose `kgr build` was measured before (``built``: its build and graph figures
    stay) and whose query figures are taken anew on a replicated stand-in graph."""
    if built is None or "build" not in built:
        raise SystemExit(
            "a replicated graph gives query figures only: run with --keep over a size whose "
            "build is already in scale.json"
        )
    entry = {k: v for k, v in built.items() if k not in ("queries_on", "query_graph")}
    entry.update({k: queries[k] for k in _QUERY_FIELDS})
    entry["load_average"] = queries["load_average"]
    entry["queries_on"] = f"{record['note']}; measured by `{command_line()}`"
    entry["query_graph"] = {
        k: queries[k] for k in ("sentences", "statements", "quads", "store_bytes", "triples")
    }
    return entry


def replicate_graph(source: Path, dest: Path, times: int) -> dict[str, Any]:
    """``dest``: the document graphs of the graph ``source`` ``times`` times, block ``b``
    under fresh document ids (``b<b>rep...``) and fresh statement and sentence nodes, the
    shared label graph once, bulk-loaded. The same entities recur in every block, as they do
    across the copies a growth build makes: a stand-in for a ``times`` times larger build on
    which latency is measured without building it again (hours at 1M sentences here)."""
    import pyoxigraph as ox

    t0 = time.perf_counter()
    if dest.exists():
        raise SystemExit(f"{dest} exists: remove it first")
    dest.mkdir(parents=True)
    for name in ("kg.json", "generation.json"):
        shutil.copy(source / name, dest / name)
    text = ox.Store.read_only(str(source / "store")).dump(format=ox.RdfFormat.N_QUADS)
    shared_graph = b"<https://kg-reasoner.org/graph/"  # the label graph: loaded once
    lines = (line for line in text.split(b"\n") if line and shared_graph not in line)
    documents = b"\n".join(lines) + b"\n"
    shared = text.count(b"\n") - documents.count(b"\n")
    store = ox.Store(str(dest / "store"))
    store.bulk_load(text, format=ox.RdfFormat.N_QUADS)
    for b in range(1, times):
        block = (
            documents.replace(b"/doc/rep00", b"/doc/b%drep00" % b)
            .replace(b'"rep00', b'"b%drep00' % b)  # the document id literal
            .replace(b"/statement/", b"/statement/b%d" % b)
            .replace(b"/sentence/", b"/sentence/b%d" % b)
        )
        store.bulk_load(block, format=ox.RdfFormat.N_QUADS)
        print(f"block {b + 1}/{times} loaded ({time.perf_counter() - t0:.0f} s)", flush=True)
    store.flush()
    del store
    return {
        "replicated_from": str(source),
        "times": times,
        "seconds": round(time.perf_counter() - t0, 1),
        "shared_quads": shared,
        "note": (
            f"queries on the {source.name} graph's document graphs replicated {times} times "
            "under fresh document ids and bulk-loaded (the build figures are the `kgr build` "
            "run's above)"
        ),
    }


def part_replicate(args: argparse.Namespace) -> None:
    source, dest = Path(args.source), Path(args.dest)
    copies, _ = json.loads(source.with_name(source.name + ".build.json").read_text())
    record = replicate_graph(source, dest, args.times)
    dest.with_name(dest.name + ".build.json").write_text(json.dumps([copies * args.times, record]))
    print(json.dumps(record, indent=2))


def growth_part(results: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    sizes = sorted(results, key=int)
    part: dict[str, Any] = {"sizes": results, "workers": args.workers}
    if len(sizes) >= 2:
        small, big = results[sizes[0]], results[sizes[-1]]
        factor = big["sentences"] / small["sentences"]
        part["scaling"] = {
            "from": sizes[0], "to": sizes[-1], "sentences_factor": round(factor, 2),
            "build_seconds_factor": round(big["build"]["seconds"] / small["build"]["seconds"], 2),
            "store_bytes_factor": round(big["store_bytes"] / small["store_bytes"], 2),
            "peak_rss_factor": round(big["build"]["peak_rss_mb"]
                                     / small["build"]["peak_rss_mb"], 2),
            "two_hop_p50_factor": round(big["anchored_two_hop"]["p50_ms"]
                                        / small["anchored_two_hop"]["p50_ms"], 2),
            "ask_p50_factor": round(big["ask"]["p50_ms"] / small["ask"]["p50_ms"], 2),
        }  # fmt: skip
    part["notes"] = (
        "Cold `kgr build` processes (--workers as given) on scripts/bench_build.py's 3000-sentence "
        "corpus copied under fresh document ids until the size is reached: the same texts, so "
        "entities recur across copies and the entity count grows less than the statements. "
        "Peak RSS is the build's whole process tree (build process and workers), sampled every "
        "0.2 s. Store bytes after the store was reopened once (RocksDB folds its write-ahead log). "
        "The anchored 2-hop query (`SELECT DISTINCT ?b ?c WHERE { <e> ?p ?b . ?b ?q ?c }` over the "
        "union of document graphs) starts at random entities; `kgr ask` is the zero-shot "
        "answerer on the built graph: the first question includes loading it (graph index and "
        "language model), the rest are timed warm."
    )
    previous = read_results().get("growth", {}).get("command")
    # --ask-only re-times one column: the table's other figures keep their command
    part["command"] = previous if args.ask_only and previous else command_line()
    return part


def growth_verdict(s: dict[str, Any], small: dict[str, Any], big: dict[str, Any]) -> str:
    """What the two ends of the growth table say, judged from the figures (within 15%)."""
    factor = s["sentences_factor"]
    per_sentence = s["build_seconds_factor"] / factor
    loads = (f"load average {small['build']['load_average']} at {s['from']}, "
             f"{big['build']['load_average']} at {s['to']}")  # fmt: skip
    parts = [
        f"Build seconds per sentence x{per_sentence:.2f} ("
        + ("near-linear" if 0.85 <= per_sentence <= 1.15 else "not linear")
        + f"; {loads});",
        f"store bytes per sentence x{s['store_bytes_factor'] / factor:.2f}.",
    ]
    rows = big["anchored_two_hop"]["mean_rows"] / small["anchored_two_hop"]["mean_rows"]
    flat = s["two_hop_p50_factor"] <= 1.5
    parts.append(
        f"Anchored 2-hop (distinct rows) p50 x{s['two_hop_p50_factor']}"
        + (" (flat)" if flat else " - NOT flat")
        + f" while its distinct result rows grew x{rows:.2f} (p50 per row "
        f"x{s['two_hop_p50_factor'] / rows:.2f})"
        + ("." if flat else
           ": the copies repeat the same texts, so every entity is mentioned once per copy and "
           "its neighbourhood (the sentences it is mentioned in, its statements) grows with the "
           "corpus; a corpus of new texts spreads its mentions over new entities instead.")
    )
    statements = big["statements"] / small["statements"]
    first = big["ask_first_seconds_incl_loading"] / small["ask_first_seconds_incl_loading"]
    parts.append(
        f"`kgr ask`: the first question (loading) x{first:.2f} for x{statements:.2f} statements"
        + (" - NOT flat: indexing reads every document graph;" if first > 1.5 else " (flat);")
        + cached_factor(small, big)
        + f" warm p50 x{s['ask_p50_factor']}"
        + (" (not flat)." if s["ask_p50_factor"] > 1.5 else " (flat).")
    )
    return "Where it is and is not as expected: " + " ".join(parts)


def cached_factor(small: dict[str, Any], big: dict[str, Any]) -> str:
    """How the first question grows when the index is read from its cache (when measured)."""
    key = "ask_first_seconds_index_cached"
    if key not in small or key not in big:
        return ""
    factor = big[key] / small[key]
    return (
        f" with the index cached (every later process) x{factor:.2f}"
        + (" (flat);" if factor <= 1.5 else " (not flat);")
    )


# -- part 5: projection ------------------------------------------------------------------------
def projection(results: dict[str, Any], documents: float = 10e6, nodes: int = 32,
               cores_per_node: int = 2) -> dict[str, Any]:  # fmt: skip
    """Time to build ``documents`` on ``nodes`` machines from the measured per-core rates."""
    growth = results.get("growth", {}).get("sizes", {})
    store = results.get("store_1m", {}).get("backends", {})
    if not growth or not store:
        raise SystemExit("run the growth and store parts first")
    biggest = growth[max(growth, key=int)]
    copies = biggest["copies"]
    build = biggest["build"]
    sentences_per_doc = biggest["sentences"] / (990 * copies)  # the corpus has 990 documents
    quads_per_sentence = biggest["quads"] / biggest["sentences"]
    # extraction throughput of one core: the measured build rate divided by the workers used
    per_core = build["sentences_per_s"] / results["growth"]["workers"]
    # above 1 is this machine (see the Ray section), not a cluster's gain: capped at 1
    ray_ratio = min(results.get("ray_vs_local", {}).get("ray_vs_local_ratio", 1.0), 1.0)
    sentences = documents * sentences_per_doc
    quads = sentences * quads_per_sentence
    cores = nodes * cores_per_node
    extraction_s = sentences / (per_core * cores * ray_ratio)
    servers = {
        name: store[name]["triples_per_s"]
        for name in ("oxigraph_server", "virtuoso")
        if name in store
    }
    write_s = {name: quads / rate for name, rate in servers.items()}
    published = {
        "virtuoso_bulk_24_cores": quads / VIRTUOSO_PUBLISHED_TRIPLES_PER_S,
        "qlever_bulk": quads / QLEVER_PUBLISHED_TRIPLES_PER_S,
    }
    best_write = min(write_s.values()) if write_s else float("inf")
    fastest_write = min([*write_s.values(), *published.values()])
    needed_cores = sentences / (per_core * ray_ratio * best_write) if write_s else None
    measured = max(int(k) for k in growth)
    extrapolated = None
    if 1_000_000 not in {int(k) for k in growth}:
        scale = 1_000_000 / biggest["sentences"]
        extrapolated = {
            "label": f"NOT MEASURED: linear extrapolation from the {measured:,}-sentence run",
            "build_seconds": round(build["seconds"] * scale),
            "store_bytes": round(biggest["store_bytes"] * scale),
            "quads": round(biggest["quads"] * scale),
        }
    # the same projection at the 1-worker rate scripts/bench_build.py measured on a quieter machine
    build_json = ROOT / "benchmarks" / "results" / "build.json"
    quiet = json.loads(build_json.read_text()) if build_json.is_file() else {}
    quiet_rate = quiet.get("sentences_per_s_1worker")
    quiet_hours = (
        round(sentences / (quiet_rate * cores * ray_ratio) / 3600, 2) if quiet_rate else None
    )
    # judged at the quieter machine's rate when there is one: the growth run's is mostly load
    compared = quiet_hours * 3600 if quiet_hours else extraction_s
    bottleneck = (
        f"store writes (one server's bulk load, {fastest_write / 3600:.1f} h at best, vs "
        f"extraction {compared / 3600:.1f} h)"
        if fastest_write > compared
        else f"extraction ({compared / 3600:.1f} h vs {fastest_write / 3600:.1f} h of writes)"
    )
    return {
        "growth_1m_extrapolated": extrapolated,
        "extraction_hours_at_bench_build_rate": quiet_hours,
        "bench_build_rate": {
            "sentences_per_s_1worker": quiet_rate,
            "load_average": quiet.get("load_average"),
        },
        "documents": documents,
        "nodes": nodes,
        "cores_per_node": cores_per_node,
        "assumed": {
            "sentences_per_document": round(sentences_per_doc, 2),
            "quads_per_sentence": round(quads_per_sentence, 1),
            "extraction_sentences_per_s_per_core": round(per_core, 1),
            "ray_efficiency": ray_ratio,
            "from": f"growth at {max(growth, key=int)} sentences, store_1m, ray_vs_local",
        },
        "sentences": round(sentences),
        "quads": round(quads),
        "extraction_hours": round(extraction_s / 3600, 2),
        "store_write_hours_measured_rate": {k: round(v / 3600, 1) for k, v in write_s.items()},
        "store_write_hours_published_rate": {k: round(v / 3600, 2) for k, v in published.items()},
        "bottleneck": bottleneck,
        "cores_that_saturate_the_fastest_measured_server": (
            round(needed_cores) if needed_cores else None
        ),
        "notes": "A computed projection, not a measurement: extraction scales with cores at "
        "the measured per-core rate times the Ray efficiency; every quad goes through "
        "one SPARQL server at the rate measured here on loopback (one client, 2 shared "
        "cores) or at the published bulk-load rates. Extraction figures assume "
        f"{cores_per_node} cores per node like this machine.",
    }


def part_projection(args: argparse.Namespace) -> None:
    part = projection(read_results(), documents=args.documents, nodes=args.nodes,
                      cores_per_node=args.cores_per_node)  # fmt: skip
    part["command"] = command_line()
    save_part("projection", part)


# -- markdown ----------------------------------------------------------------------------------
def markdown(r: dict[str, Any]) -> str:
    lines = ["## Scaling out (`scripts/bench_scale.py`)", "",
             "Results in `benchmarks/results/scale.json`. " + SHARED_NOTE, ""]  # fmt: skip
    if "ray_vs_local" in r:
        p = r["ray_vs_local"]
        lines += [
            "### Ray engine vs local engine", "",
            f"Command: `{p['command']}`.", "",
            f"`ray_vs_local_ratio` = **{p['ray_vs_local_ratio']}** (Ray sentences/s / local "
            f"sentences/s, {p['workers']} workers each, median of {len(p['pairs'])} alternating "
            f"pairs, min {p['min']}, max {p['max']}; target >= {p['target']}); "
            f"{p['sentences']} sentences.", "",
            "| pair | local s (sent/s) | Ray s (sent/s) | ratio | load average (local / Ray) |",
            "|---|---|---|---|---|",
            *[f"| {i + 1} | {x['local']['seconds']} ({x['local']['sentences_per_s']}) | "
              f"{x['ray']['seconds']} ({x['ray']['sentences_per_s']}) | {x['ratio']} | "
              f"{x['local']['load_average']} / {x['ray']['load_average']} |"
              for i, x in enumerate(p["pairs"])],
            "", p["notes"] + ".", "",
            "An earlier run of the same command (commit 5d7b5db's scale.json) gave a median "
            "of 0.617 with pairs from 0.372 to 1.325 while other jobs started and stopped "
            "(load 1.6-5.7); this run's pairs agree with each other. Ray can come out ahead "
            "because its actors run with OMP_NUM_THREADS=1 while the local engine's spawned "
            "workers do not, and Ray's worker processes are already started after the first "
            "build of the session (not verified separately). A timed build "
            "(scripts/profile_ray_build.py) showed the Ray side's time in the same places as "
            "the local engine's: starting two workers and loading spaCy in each, then parsing; "
            "Ray's per-batch transport was not a visible share, so `building/ray_engine.py` "
            "was not changed.", "",
        ]  # fmt: skip
    if "ddp" in r:
        p = r["ddp"]
        rows = [f"| {n} | {x['train_seconds']} | {x['samples_per_s']} | "
                f"{x['wall_seconds_with_prepare']} | {x['load_average']} |"
                for n, runs in p["runs"].items() for x in runs]  # fmt: skip
        lines += [
            "### DDP: 2 processes vs 1",
            "",
            f"Command: `{p['command']}`. {p['config']}.",
            "",
            f"`ddp_2proc_vs_1proc_samples_per_s` = **{p['ddp_2proc_vs_1proc_samples_per_s']}** "
            f"({p['samples_per_s_2proc']} vs {p['samples_per_s_1proc']} samples/s).",
            "",
            "| processes | train s | samples/s | wall s (incl. prepare) | load average |",
            "|---|---|---|---|---|",
            *rows,
            "",
            p["notes"],
            "",
        ]
        if "ddp_control" in r:
            c = r["ddp_control"]
            x = c["runs"][0]
            lines += [
                f"Control (`{c['command']}`): one process at batch {c['batch']} (the per-rank "
                f"batch of the 2-process run): {x['samples_per_s']} samples/s, train "
                f"{x['train_seconds']} s, load average {x['load_average']}. Per-sample cost "
                "grows with the batch (a batch's subgraph is the union of its questions'), so "
                "part of the 2-process figure is its halved per-rank batch, and each process "
                "runs one thread, so two processes also use two cores where one uses one. "
                "Compare the 2-process run with this control for what DDP itself costs or "
                "gains at the same per-rank batch; on a loaded machine the scheduler's share "
                "of the CPU decides all three figures.", "",
            ]  # fmt: skip
    if "store_1m" in r:
        p = r["store_1m"]
        rows = []
        for name, b in p["backends"].items():
            k = b["kgr_build"]
            rows.append(
                f"| {name} | {b['load_s']} | {b['triples_per_s']:,} | {b['two_hop']['p50_ms']} | "
                f"{b['two_hop']['p95_ms']} | {b['two_hop']['mean_rows']} | "
                f"{k['sentences_per_s']} | {b['load_average_after_load']} / {k['load_average']} |"
            )
        lines += [
            f"### Stores: {p['triples']:,} triples (`store_1m`)", "",
            f"Command: `{p['command']}`.", "",
            "| backend | bulk load s | triples/s | 2-hop p50 ms | 2-hop p95 ms | rows | "
            "`kgr build` sentences/s | load average (load / build) |",
            "|---|---|---|---|---|---|---|---|", *rows, "",
            p["notes"] + f" Latency over {p['anchors']} anchors.", "",
        ]  # fmt: skip
    if "growth" in r:
        p = r["growth"]
        rows = []
        for size in sorted(p["sizes"], key=int):
            g = p["sizes"][size]
            b = g["build"]
            rows.append(
                f"| {int(size):,} | {g['sentences']:,} | {b['seconds']} | {b['sentences_per_s']} | "
                f"{b['peak_rss_mb']} | {g['store_bytes']:,} | {g['quads']:,} | "
                f"{g['anchored_two_hop']['p50_ms']} / {g['anchored_two_hop']['p95_ms']} "
                f"({g['anchored_two_hop']['mean_rows']:,}) | "
                f"{g['ask']['p50_ms']} / {g['ask']['p95_ms']} | "
                f"{g['ask_first_seconds_incl_loading']} / "
                f"{g.get('ask_first_seconds_index_cached', '-')} | {b['load_average']} |"
            )
        lines += [
            "### Growth with the amount of text (`growth`)", "",
            f"Command: `{p['command']}`; {p['workers']} workers.", "",
            "| target sentences | sentences | build s | sentences/s | peak RSS MB | store bytes | "
            "quads | distinct 2-hop p50 / p95 ms (rows) | `kgr ask` p50 / p95 ms | "
            "first ask s (loading: indexing / index cached) | load average |",
            "|---|---|---|---|---|---|---|---|---|---|---|", *rows, "",
        ]  # fmt: skip
        if "scaling" in p:
            s = p["scaling"]
            lines += [
                f"From {s['from']} to {s['to']} target sentences (x{s['sentences_factor']} "
                f"sentences): build seconds x{s['build_seconds_factor']}, store bytes "
                f"x{s['store_bytes_factor']}, peak RSS x{s['peak_rss_factor']}, anchored 2-hop "
                f"p50 x{s['two_hop_p50_factor']}, `kgr ask` p50 x{s['ask_p50_factor']}.", "",
            ]  # fmt: skip
            small, big = p["sizes"][s["from"]], p["sizes"][s["to"]]
            lines += [growth_verdict(s, small, big), ""]
        for size in sorted(p["sizes"], key=int):
            g = p["sizes"][size]
            if g.get("queries_on"):
                lines += [f"{int(size):,} target sentences: {g['queries_on']}.", ""]
            if g.get("ask_measured_by"):
                lines += [f"{int(size):,}: `kgr ask` timed again by `{g['ask_measured_by']}`.", ""]
        if p.get("runs_note"):
            lines += [p["runs_note"] + ".", ""]
        if p.get("verdict"):
            lines += [p["verdict"], ""]
        lines += [p["notes"], ""]
    if "projection" in r:
        p = r["projection"]
        a = p["assumed"]
        lines += [
            f"### Projection: {p['documents']:,.0f} documents on {p['nodes']} nodes", "",
            f"Command: `{p['command']}` (computed, not measured). Assumed from the runs above: "
            f"{a['sentences_per_document']} sentences/document, {a['quads_per_sentence']} "
            f"quads/sentence, {a['extraction_sentences_per_s_per_core']} sentences/s per core, "
            f"Ray efficiency {a['ray_efficiency']}, {p['cores_per_node']} cores/node.", "",
            f"- {p['sentences']:,} sentences, {p['quads']:,} quads.",
            f"- Extraction on {p['nodes'] * p['cores_per_node']} cores: "
            f"**{p['extraction_hours']} h** at the growth run's per-core rate (its build "
            "process shares the 2 cores with its workers and the store writes); "
            f"{p.get('extraction_hours_at_bench_build_rate')} h at "
            f"scripts/bench_build.py's 1-worker rate "
            f"({p.get('bench_build_rate', {}).get('sentences_per_s_1worker')} sentences/s, load "
            f"{p.get('bench_build_rate', {}).get('load_average')}).",
            "- Writing the quads into one server at the rate measured here: "
            + ", ".join(f"{k} {v} h" for k, v in p["store_write_hours_measured_rate"].items())
            + "; at published bulk-load rates: "
            + ", ".join(f"{k} {v} h" for k, v in p["store_write_hours_published_rate"].items())
            + ".",
            f"- Bottleneck: **{p['bottleneck']}**"
            + (f" (about {p['cores_that_saturate_the_fastest_measured_server']} extraction cores "
               "already write as fast as the fastest server measured here takes quads)"
               if p.get("cores_that_saturate_the_fastest_measured_server") else "") + ".",
            "", p["notes"], "",
        ]  # fmt: skip
        if p.get("growth_1m_extrapolated"):
            x = p["growth_1m_extrapolated"]
            lines += [
                f"1M sentences, {x['label']}: about {x['build_seconds']:,} s to build, "
                f"{x['store_bytes']:,} store bytes, {x['quads']:,} quads.", "",
            ]  # fmt: skip
    return "\n".join(lines)


def part_markdown(args: argparse.Namespace) -> None:
    SECTION.write_text(markdown(read_results()))
    print(f"wrote {SECTION}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="part", required=True)
    p = sub.add_parser("ray", help="Ray engine / local engine throughput")
    p.add_argument("--sentences", type=int, default=3000)
    p.add_argument("--pairs", type=int, default=3)
    p.add_argument("--workers", type=int, default=2)
    p.set_defaults(run=part_ray)
    p = sub.add_parser("ddp", help="torchrun 2 processes vs 1, same global batch")
    p.add_argument("--questions", type=int, default=1500, help="per hop file (1- and 2-hop)")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--global-batch", type=int, default=64)
    p.add_argument("--pairs", type=int, default=1, choices=(1, 2))
    p.add_argument(
        "--control", action="store_true",
        help="instead: one process at the per-process batch of 2 ranks (global batch / 2), "
             "saved as ddp_control: how much of the difference is the smaller batch",
    )  # fmt: skip
    p.set_defaults(run=part_ddp)
    p = sub.add_parser("store", help="1M triples in each store; kgr build into each")
    p.add_argument("--triples", type=int, default=1_000_000)
    p.add_argument("--anchors", type=int, default=100)
    p.add_argument("--sentences", type=int, default=3000)
    p.add_argument(
        "--backends",
        nargs="+",
        choices=["embedded", "oxigraph_server", "virtuoso"],
        help="only these stores (default: all that are installed)",
    )
    p.add_argument(
        "--keep", action="store_true", help="keep the other backends' figures already in scale.json"
    )
    p.set_defaults(run=part_store)
    p = sub.add_parser("growth", help="build cost and query latency at growing sizes")
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--anchors", type=int, default=100)
    p.add_argument("--keep", action="store_true", help="keep sizes already in scale.json")
    p.add_argument("--tmp", default=None, help="where the corpora and graphs are made")
    p.add_argument(
        "--graphs", default=None,
        help="keep the built graphs here (kg<size>/ and its build record) and reuse them",
    )  # fmt: skip
    p.add_argument("--build-only", action="store_true", help="build (into --graphs), no queries")
    p.add_argument(
        "--ask-only", action="store_true",
        help="with --keep and --graphs: time `kgr ask` again on kept graphs (the rest stays)",
    )  # fmt: skip
    p.set_defaults(run=part_growth)
    p = sub.add_parser(
        "replicate",
        help="a stand-in graph for growth queries: a built graph's documents N times",
        epilog="example: bench_scale.py replicate --source G/kg100000 --dest G/kg1000000 "
        "--times 10, then growth --sizes 1000000 --graphs G --keep",
    )
    p.add_argument("--source", required=True, help="a growth graph kept by --graphs")
    p.add_argument("--dest", required=True, help="the new graph directory (kg<size> in G)")
    p.add_argument("--times", type=int, default=10)
    p.set_defaults(run=part_replicate)
    p = sub.add_parser("projection", help="computed from the growth, store and ray parts")
    p.add_argument("--documents", type=float, default=10e6)
    p.add_argument("--nodes", type=int, default=32)
    p.add_argument("--cores-per-node", type=int, default=2)
    p.set_defaults(run=part_projection)
    p = sub.add_parser("markdown", help="rewrite benchmarks/scale.md from scale.json")
    p.set_defaults(run=part_markdown)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
