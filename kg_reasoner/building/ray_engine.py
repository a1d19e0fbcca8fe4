"""Extraction on Ray Data: the builder's batches run in long-lived actors, results return in order.

Only *where extraction runs* changes: the builder plans the build (unchanged documents never
reach Ray), and commits what comes back, per document and in document order, exactly as with
the local engine. Each row of the Ray dataset is one of the builder's batches (so spaCy and the
extractor see the same batches as locally and extract the same triples); ``map_batches`` with a
callable class keeps the spaCy pipeline and any trained extractor loaded once per actor, and
actors killed mid-batch are restarted and their batch retried. Results are yielded by position,
so a retried batch can neither be lost nor yielded twice.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from kg_reasoner.corpus.document import Document
from kg_reasoner.errors import ConfigError, KGReasonerError
from kg_reasoner.extraction.pipeline import ExtractionPipeline, ProcessedDocument

_MAX_BLOCKS = 10_000
RAY_MISSING = 'the Ray engine needs Ray: pip install "kg-reasoner[ray]"'


class ExtractionActor:
    """A Ray Data actor holding one :class:`ExtractionPipeline` for its whole life.

    Called with a batch of rows ``{"position", "documents"}`` (each ``documents`` a pickled
    list of :class:`Document`); returns ``{"position", "processed"}`` (pickled results).
    """

    def __init__(
        self, *, spacy_model: str, extractor: str, batch_size: int, max_chunk_chars: int
    ) -> None:
        self.pipeline = ExtractionPipeline(
            spacy_model, extractor, batch_size=batch_size, max_chunk_chars=max_chunk_chars
        )
        torch = sys.modules.get("torch")  # loaded by a trained extractor; rules never need it
        if torch is not None:
            torch.set_num_threads(1)  # the actors share the cores, as local worker processes do

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        processed = [
            pickle.dumps(self.pipeline.process(pickle.loads(blob))) for blob in batch["documents"]
        ]
        return {"position": list(batch["position"]), "processed": processed}


def import_ray() -> Any:
    """The ``ray`` module with Ray Data, or a :class:`ConfigError` naming the pip command."""
    try:
        import ray
        import ray.data  # the "data" part of the extra (pyarrow)
    except ImportError as exc:
        raise ConfigError(RAY_MISSING) from exc
    return ray


def process_on_ray(
    pipeline: ExtractionPipeline,
    batches: Iterable[list[Document]],
    *,
    workers: int = 1,
    address: str | None = None,
) -> Iterator[list[ProcessedDocument]]:
    """Process document batches on Ray with ``workers`` actors, yielding them in order.

    Joins the Ray instance already initialised in this process, else the cluster at
    ``address`` (``auto``, ``ray://host:port``), else starts a local one with ``workers``
    CPUs, which is shut down when the iteration ends.
    """
    ray = import_ray()
    rows = [
        {"position": i, "documents": pickle.dumps(batch)} for i, batch in enumerate(batches)
    ]
    if not rows:
        return
    started = not ray.is_initialized()
    if started:
        try:
            ray.init(
                address=address,
                num_cpus=workers if address is None else None,
                include_dashboard=False,
                log_to_driver=False,
                configure_logging=False,
            )
        except (ConnectionError, ValueError, RuntimeError) as exc:
            raise ConfigError(f"could not connect to Ray at {address!r}: {exc}") from exc
    try:
        yield from _run(ray, pipeline, rows, workers=workers)
    finally:
        if started:
            ray.shutdown()


def _run(
    ray: Any, pipeline: ExtractionPipeline, rows: list[dict[str, Any]], *, workers: int
) -> Iterator[list[ProcessedDocument]]:
    # A block (the unit of a Ray task) per builder batch, up to a cap: results stream back as
    # each batch is done, and a killed actor's retried tasks are single batches.
    dataset = ray.data.from_items(rows, override_num_blocks=min(len(rows), _MAX_BLOCKS))
    dataset.context.execution_options.preserve_order = True
    dataset.context.enable_progress_bars = False
    results = dataset.map_batches(
        ExtractionActor,
        batch_size=1,  # one row is one builder batch: the same batches as the local engine
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=1,
        fn_constructor_kwargs={
            "spacy_model": pipeline.spacy_model,
            "extractor": pipeline.extractor_spec,
            "batch_size": pipeline.batch_size,
            "max_chunk_chars": pipeline.max_chunk_chars,
        },
    )  # Ray Data's actor pools restart a dead actor and retry its batch (max_restarts and
    # max_task_retries default to -1 there; tests/building/test_ray_engine.py kills one)
    waiting: dict[int, bytes] = {}
    next_position = 0
    for row in results.iter_rows():
        position = int(row["position"])
        if position >= next_position:
            waiting[position] = row["processed"]
        while next_position in waiting:
            yield pickle.loads(waiting.pop(next_position))
            next_position += 1
    if next_position != len(rows):
        raise KGReasonerError(
            f"Ray returned {next_position} of {len(rows)} extraction batches: rerun the build "
            "(it resumes after the last committed document)"
        )
