"""Bulk load and anchored 2-hop query latency: embedded Oxigraph vs SPARQL servers on loopback.

    PYTHONPATH=. python scripts/bench_sparql_store.py --triples 100000

Loads ``--triples`` synthetic triples (100 per document graph, 100 documents per write, as a
build writes them) into the embedded store, ``oxigraph serve`` and Virtuoso (each started on
a free loopback port with a temporary database, then stopped), and times an anchored 2-hop
query (``<e> ?p ?b . ?b ?q ?c``) from 50 different anchors. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from kg_reasoner.graph.stores import GraphStore, open_store
from tests.graph.sparql_servers import oxigraph_server, virtuoso_available, virtuoso_server

ENT = "http://example.org/e/"
REL = "http://example.org/r/"
PER_DOC, DOCS_PER_WRITE, ANCHORS = 100, 100, 50


def batches(triples: int, entities: int) -> Iterator[list[tuple[str, list[tuple[str, str, str]]]]]:
    rng = random.Random(0)
    batch: list[tuple[str, list[tuple[str, str, str]]]] = []
    for doc in range(triples // PER_DOC):
        rows = [
            (f"<{ENT}{rng.randrange(entities)}>", f"<{REL}{rng.randrange(20)}>",
             f"<{ENT}{rng.randrange(entities)}>")
            for _ in range(PER_DOC)
        ]  # fmt: skip
        batch.append((f"http://example.org/doc/{doc}", rows))
        if len(batch) == DOCS_PER_WRITE:
            yield batch
            batch = []
    if batch:
        yield batch


def bulk_load(store: GraphStore, triples: int) -> tuple[float, int]:
    """Write ``triples`` synthetic triples in the builder's batches; (seconds, entities)."""
    entities = max(triples // 10, 10)
    started = time.perf_counter()
    for batch in batches(triples, entities):
        store.write_prepared(store.prepare_write(batch))
    store.flush()
    return time.perf_counter() - started, entities


def measure(store: GraphStore, triples: int) -> dict[str, Any]:
    load_s, _ = bulk_load(store, triples)
    count = len(store)
    latencies, rows = [], 0
    for anchor in range(ANCHORS):
        query = f"SELECT ?b ?c WHERE {{ <{ENT}{anchor}> ?p ?b . ?b ?q ?c }}"
        t0 = time.perf_counter()
        rows += len(store.query(query))  # type: ignore[arg-type]
        latencies.append(time.perf_counter() - t0)
    return {
        "triples_stored": count,
        "load_s": round(load_s, 2),
        "triples_per_s": round(triples / load_s),
        "two_hop_median_ms": round(1000 * statistics.median(latencies), 2),
        "two_hop_p90_ms": round(1000 * statistics.quantiles(latencies, n=10)[-1], 2),
        "two_hop_mean_rows": rows / ANCHORS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    args = parser.parse_args()
    results: dict[str, Any] = {"triples": args.triples}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        backends: dict[str, Callable[[Path], AbstractContextManager[Any]]] = {
            "embedded": lambda d: nullcontext(d / "store"),
            "oxigraph_server": oxigraph_server,
        }
        if virtuoso_available():
            backends["virtuoso"] = virtuoso_server
        for name, start in backends.items():
            directory = root / name
            directory.mkdir()
            with start(directory) as location:
                store = open_store(location)
                try:
                    results[name] = measure(store, args.triples)
                finally:
                    store.close()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
