"""Where a Ray build's time goes, beside a local build: actor start and spaCy load in each
actor, time to the first and last extracted batch, and the actors' summed per-batch call time.

    PYTHONPATH=. python scripts/profile_ray_build.py [--engines local,ray,local,ray]
        [--sentences 3000] [--workers 2]

Prints one line per build (seconds from the build's start; load average last). Used to look
for the Ray engine's overhead in issue 14 (benchmarks/README.md, "Ray engine vs local engine").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from kg_reasoner.building import builder, ray_engine  # noqa: E402

LOG = Path(tempfile.gettempdir()) / f"kgr-ray-profile-{os.getpid()}.jsonl"


class TimedActor(ray_engine.ExtractionActor):
    """The engine's actor, logging its construction and each call to LOG."""

    def __init__(self, **kwargs: Any) -> None:
        started = time.time()
        super().__init__(**kwargs)
        self._log({"init_start": started, "init_end": time.time()})

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        started = time.time()
        out = super().__call__(batch)
        self._log({"call": time.time() - started, "t": time.time()})
        return out

    @staticmethod
    def _log(record: dict[str, Any]) -> None:
        with LOG.open("a") as handle:
            handle.write(json.dumps(record) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engines", default="local,ray,local,ray")
    parser.add_argument("--sentences", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    import ray
    from bench_build import write_corpus

    from kg_reasoner.building import BuildConfig
    from kg_reasoner.pipelines import build_graph

    marks: dict[str, float] = {}
    extract = builder._extract

    def timed_extract(*a: Any, **k: Any) -> Iterator[Any]:
        marks["start"] = time.time()
        for n, item in enumerate(extract(*a, **k)):
            if n == 0:
                marks["first"] = time.time()
            yield item
        marks["last"] = time.time()

    ray_engine.ExtractionActor = TimedActor  # type: ignore[misc]
    builder._extract = timed_extract  # type: ignore[assignment]
    work = Path(tempfile.mkdtemp(prefix="kgr-ray-profile-"))
    try:
        write_corpus(work / "corpus", args.sentences)
        ray.init(num_cpus=args.workers, include_dashboard=False, log_to_driver=False)
        for i, engine in enumerate(args.engines.split(",")):
            LOG.write_text("")
            t0 = time.time()
            build_graph(work / "corpus", work / f"kg{i}",
                        config=BuildConfig(workers=args.workers, engine=engine))  # fmt: skip
            total = time.time() - t0
            start, first, last = (marks[k] - t0 for k in ("start", "first", "last"))
            line = (f"{engine}: total {total:.1f} s, extraction starts {start:.1f}, "
                    f"first batch {first:.1f}, last {last:.1f}")  # fmt: skip
            records = [json.loads(x) for x in LOG.read_text().splitlines()]
            inits = [(round(r["init_start"] - t0, 1), round(r["init_end"] - t0, 1))
                     for r in records if "init_start" in r]  # fmt: skip
            calls = [r["call"] for r in records if "call" in r]
            if inits:
                line += f"; actors (start, ready) {inits}; {len(calls)} calls, {sum(calls):.1f} s"
            print(f"{line}; load average {[round(x, 2) for x in os.getloadavg()]}", flush=True)
        ray.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)
        LOG.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
