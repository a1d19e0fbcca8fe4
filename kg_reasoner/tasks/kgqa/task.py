"""The ``kgqa`` task: train and evaluate a multi-hop question-answering reasoner on a KB.

A dataset is a KB (``subject|relation|object`` file or `kgr build` graph directory) and one or
more questions files (``question TAB answer|answer``, topic in [brackets]); each file gets a
fixed validation slice. Questions are embedded once by the frozen language model (cached); the
reasoner is trained on the whole KB with sparse score propagation by the shared loop
(:func:`kg_reasoner.training.task.run_task`), early-stopping on validation Hits@1; after
training, the answer threshold maximising validation F1 is chosen (:meth:`KGQATask.post_fit`).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import torch
from torch import nn

from kg_reasoner.errors import DataFormatError
from kg_reasoner.models.kgqa.question_embedder import QuestionEmbedder
from kg_reasoner.models.kgqa.relation_reasoner import HopwiseRelationReasoner
from kg_reasoner.qa.kgqa_checkpoint import (
    build_model,
    check_relations,
    load_reasoner,
    save_reasoner,
)
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.retrieval.kb_readers import load_kb_index
from kg_reasoner.tasks.kgqa.collate import indicator_rows, training_batches
from kg_reasoner.tasks.kgqa.config import KGQAConfig
from kg_reasoner.tasks.kgqa.data import QuestionRecord, load_splits, read_questions
from kg_reasoner.tasks.kgqa.encoding import EncodedQuestions, encode_records
from kg_reasoner.tasks.kgqa.metrics import best_threshold, score_encoded, summarise
from kg_reasoner.training.checkpoint import LAST_DIR, has_training_state, write_json
from kg_reasoner.training.device import model_device, move_to_device
from kg_reasoner.training.distributed import is_main_process
from kg_reasoner.training.loop import FitResult
from kg_reasoner.training.result import TrainResult
from kg_reasoner.training.task import FitPlan, prepared, run_task

CONFIG_CLASS = KGQAConfig
CACHE_FILE = "question_embeddings.safetensors"
SELECT = "hits_at_1"  # validation Hits@1 in percent, logged as val_hits_at_1

__all__ = [
    "CONFIG_CLASS", "TASK", "KGQATask", "evaluate", "load", "load_reasoner", "load_splits",
    "train",
]


def _embedder(config: KGQAConfig) -> QuestionEmbedder:
    embedder = QuestionEmbedder(config.encoder.name, max_length=config.encoder.max_length)
    if config.encoder.cache:
        embedder.load_cache(Path(config.output_dir) / CACHE_FILE)
    return embedder


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def upgrade_legacy_state(out_dir: Path, *, patience: int) -> bool:
    """Rewrite a ``last/`` state left by the pre-``fit`` kgqa loop (0-based ``epoch``, ``step``,
    ``elapsed_seconds``) into :func:`fit`'s layout, so such runs still resume; True if changed."""
    path = out_dir / LAST_DIR / "trainer_state.json"
    state = json.loads(path.read_text(encoding="utf-8"))
    loop = state.get("loop", {})
    if "history" in loop or "step" not in loop:
        return False
    stopping = dict(loop["early_stopping"])
    stopping["best_epoch"] = int(stopping["best_epoch"]) + 1
    state["loop"] = {
        "epoch": int(loop["epoch"]) + 1,
        "history": [],
        "best_metrics": {},
        "seconds": float(loop.get("elapsed_seconds", 0.0)),
        "stopped_early": patience > 0 and int(stopping["bad_epochs"]) >= patience,
        "early_stopping": stopping,
    }
    write_json(path, state)
    return True


def _earlier_fit_seconds(out_dir: Path) -> float:
    """Training seconds of the interrupted run being resumed (0 for a fresh run)."""
    state = out_dir / LAST_DIR / "trainer_state.json"
    loop = json.loads(state.read_text(encoding="utf-8")).get("loop", {})
    return float(loop.get("seconds", 0.0))


class KGQATask:
    """``task: kgqa`` under the :class:`~kg_reasoner.training.task.Task` protocol."""

    name = "kgqa"
    config_class = KGQAConfig

    def __init__(self) -> None:
        self._config: KGQAConfig | None = None
        self._index: KBIndex | None = None
        self._train: EncodedQuestions | None = None
        self._val: EncodedQuestions | None = None
        self._started = 0.0
        self._earlier_seconds = 0.0
        self._encode_seconds = 0.0

    @property
    def config(self) -> KGQAConfig:
        return prepared(self._config, "KGQATask.prepare(config)")

    @property
    def index(self) -> KBIndex:
        return prepared(self._index, "KGQATask.prepare(config)")

    @property
    def train_split(self) -> EncodedQuestions:
        return prepared(self._train, "KGQATask.prepare(config)")

    @property
    def validation_split(self) -> EncodedQuestions:
        return prepared(self._val, "KGQATask.prepare(config)")

    def prepare(self, config: KGQAConfig, *, resume: bool) -> None:
        """Load the KB, split the questions and embed them (cached in ``output_dir``)."""
        self._config = config
        out_dir = Path(config.output_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        self._started = time.perf_counter()
        resuming = resume and has_training_state(out_dir)
        if resuming and is_main_process():
            upgrade_legacy_state(out_dir, patience=config.training.patience)
        self._earlier_seconds = _earlier_fit_seconds(out_dir) if resuming else 0.0
        self._index = load_kb_index(config.data.resolve(config.data.kb))
        splits = load_splits(config)
        if not splits["train"]:
            raise DataFormatError("no training questions: check data.questions in the config")
        embedder = _embedder(config)
        placeholder = config.encoder.topic_placeholder
        self._train = encode_records(
            splits["train"], self._index, embedder, placeholder=placeholder, progress=True
        )
        self._val = encode_records(
            splits["validation"], self._index, embedder, placeholder=placeholder, progress=True
        )
        if config.encoder.cache and is_main_process():  # under torchrun: rank 0 writes
            embedder.save_cache(out_dir / CACHE_FILE)
        if len(self._train) == 0:
            raise DataFormatError(
                "no training question has its [topic] and an answer in the KB: do the names match?"
            )
        self._encode_seconds = time.perf_counter() - self._started

    @property
    def question_dim(self) -> int:
        return int(self.train_split.embeddings.shape[1])

    def build_model(self) -> HopwiseRelationReasoner:
        return build_model(
            self.config, question_dim=self.question_dim, num_relations=self.index.num_relations
        )

    def train_data(self) -> Callable[[int], Iterable[dict[str, Any]]]:
        config = self.config

        def batches(epoch: int) -> Iterable[dict[str, Any]]:
            return training_batches(
                self.train_split,
                self.index,
                batch_size=config.training.batch_size,
                exclude_topic=not config.data.topic_can_be_answer,
                revisit_topic=config.data.topic_in_paths,
            )

        return batches

    def _checkpoint_meta(self, threshold: float, **extra: Any) -> dict[str, Any]:
        # the layout save_reasoner writes, so load_reasoner (and the answerer) read it back
        return {
            "task": "kgqa",
            "config": self.config.model_dump(mode="json"),
            "question_dim": self.question_dim,
            "answer_threshold": threshold,
            **extra,
        }

    def fit_plan(self, model: nn.Module) -> FitPlan:
        size = self.config.training.batch_size
        return FitPlan(
            select=SELECT,
            checkpoint_config=self._checkpoint_meta(0.5),
            vocab={"relations": self.index.relations},
            steps_per_epoch=(len(self.train_split) + size - 1) // size,
        )

    def _score(
        self, model: nn.Module, data: EncodedQuestions, thresholds: tuple[float, ...] | None
    ) -> tuple[list[float], dict[float, list[float]]]:
        assert isinstance(model, HopwiseRelationReasoner)
        options: dict[str, Any] = {} if thresholds is None else {"thresholds": thresholds}
        return score_encoded(
            model,
            data,
            self.index,
            exclude_topic=not self.config.data.topic_can_be_answer,
            revisit_topic=self.config.data.topic_in_paths,
            batch_size=self.config.inference.eval_batch_size,
            **options,
        )

    def evaluate(self, model: nn.Module) -> dict[str, float]:
        """Validation Hits@1 in percent."""
        hits, _ = self._score(model, self.validation_split, (0.5,))
        return {SELECT: 100.0 * sum(hits) / max(len(hits), 1)}

    @torch.no_grad()
    def predict(self, model: nn.Module, inputs: list[QuestionRecord]) -> list[str | None]:
        """The top-scoring entity id of each question (None when its topic is not in the KB)."""
        assert isinstance(model, HopwiseRelationReasoner)
        data = encode_records(
            inputs, self.index, _embedder(self.config),
            placeholder=self.config.encoder.topic_placeholder,
        )
        answers: list[str | None] = [None] * len(inputs)
        if len(data) == 0:
            return answers
        model.eval()
        device = model_device(model)
        topic = indicator_rows(data.topics, self.index.num_entities)
        out = model(
            *move_to_device((data.embeddings, topic, self.index.adjacency), device),
            exclude_topic=not self.config.data.topic_can_be_answer,
            revisit_topic=self.config.data.topic_in_paths,
        )
        for row, best in zip(data.usable, out.scores.argmax(dim=1).cpu().tolist(), strict=True):
            answers[row] = self.index.entity_ids[best]
        return answers

    def post_fit(self, model: nn.Module, fit_result: FitResult) -> dict[str, Any]:
        """Reload the best epoch, choose the F1 threshold on validation, re-save with it."""
        out_dir = Path(self.config.output_dir)
        trained = load_reasoner(out_dir)
        hits, f1 = self._score(trained.model, self.validation_split, None)
        threshold, _ = best_threshold(f1)
        train_seconds = round(
            self._earlier_seconds + time.perf_counter() - self._started, 1
        )
        encode_seconds = round(self._encode_seconds, 1)
        best_epoch = fit_result.best_epoch  # 1-based, as every task reports it
        save_reasoner(
            out_dir,
            trained.model,
            self.config,
            relations=self.index.relations,
            question_dim=self.question_dim,
            threshold=threshold,
            extra={
                "train_seconds": train_seconds,
                "encode_seconds": encode_seconds,
                "best_epoch": best_epoch,
            },
        )
        metrics = summarise(self.validation_split.records, hits, f1[threshold], threshold)
        metrics.update(
            train_seconds=train_seconds,
            encode_seconds=encode_seconds,
            best_epoch=best_epoch,
            skipped_validation=self.validation_split.skipped,
            skipped_train=self.train_split.skipped,
            peak_rss_mb=peak_rss_mb(),
            meta={"relations": self.index.relations, "question_dim": self.question_dim},
        )
        write_json(out_dir / "metrics.json", metrics)
        return metrics


def train(
    config: KGQAConfig, *, resume: bool = True, device: str | None = None
) -> TrainResult:
    """Train on the training split, early-stop on validation Hits@1, pick the F1 threshold."""
    return run_task(KGQATask(), config, resume=resume, device=device)


TASK = KGQATask


def load(checkpoint_dir: str | Path) -> tuple[KGQAConfig, HopwiseRelationReasoner]:
    """The config and reasoner of a kgqa run directory."""
    trained = load_reasoner(checkpoint_dir)
    return trained.config, trained.model


def evaluate(
    checkpoint_dir: str | Path,
    data_path: str | Path | None = None,
    *,
    split: str = "validation",
    **options: Any,
) -> dict[str, Any]:
    """Hits@1 and F1 of a run on its config's ``split`` or on a questions file."""
    trained = load_reasoner(checkpoint_dir)
    config = trained.config
    index = load_kb_index(config.data.resolve(config.data.kb))
    check_relations(trained, index, config.data.kb)
    if data_path is not None:
        records = read_questions(data_path, group=Path(data_path).parent.name or "all")
    else:
        splits = load_splits(config)
        if split not in splits:
            raise DataFormatError(f"unknown split {split!r}; choose one of {sorted(splits)}")
        records = splits[split]
    cfg = config.model_copy(update={"output_dir": str(checkpoint_dir)})
    embedder = _embedder(cfg)
    data = encode_records(
        records, index, embedder, placeholder=config.encoder.topic_placeholder, progress=True
    )
    hits, f1 = score_encoded(
        trained.model,
        data,
        index,
        exclude_topic=not config.data.topic_can_be_answer,
        revisit_topic=config.data.topic_in_paths,
        batch_size=int(options.get("batch_size", config.inference.eval_batch_size)),
        thresholds=(trained.threshold,),
    )
    metrics = summarise(records, hits, f1[trained.threshold], trained.threshold)
    metrics["skipped"] = data.skipped
    return metrics
