"""Task ``extraction``: train and evaluate the supervised entity + relation extractor.

``kgr train configs/conll04_extractor.yaml`` trains it through the shared runner
(:func:`kg_reasoner.training.task.run_task`); ``kgr eval RUN DATA`` and ``kgr eval-extractor RUN
DATA`` call :func:`evaluate`. Data is CoNLL04 JSON, or WebNLG folders (``data.format: webnlg``)
converted by :mod:`kg_reasoner.tasks.extraction.webnlg.examples`; on WebNLG the model is
selected, and evaluated, by the typed-triple F1 of exact names.

With ``model.relation_model: markers`` training has two stages (PURE's pipeline): the span
model learns entities alone (its pair head gets no loss and the epoch is selected by dev entity
F1), then :mod:`.relation_stage` trains the typed-marker relation model, which at prediction
reads the span model's predicted entities.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from torch import nn
from tqdm.auto import tqdm

from kg_reasoner.config import validate_config
from kg_reasoner.data_paths import resolve_data_path
from kg_reasoner.errors import ConfigError, DataFormatError, ModelLoadError
from kg_reasoner.extraction.supervised.checkpoint import (
    ENCODER_DIR,
    TOKENIZER_DIR,
    build_extractor,
)
from kg_reasoner.extraction.supervised.data import Example
from kg_reasoner.extraction.supervised.extractor import SupervisedExtractor
from kg_reasoner.extraction.supervised.layer_cache import PrefixCache, frozen_prefix_length
from kg_reasoner.extraction.supervised.model import SpanRelationModel
from kg_reasoner.extraction.supervised.predictor import ExtractorPredictor
from kg_reasoner.extraction.supervised.scoring import summary
from kg_reasoner.extraction.supervised.vocab import LabelVocab
from kg_reasoner.models.freezing import apply_freezing
from kg_reasoner.tasks.extraction.collate import bucketed_batches, training_batch
from kg_reasoner.tasks.extraction.config import (
    ExtractionConfig,
    ExtractionData,
    ExtractionFreeze,
    ExtractionTraining,
)
from kg_reasoner.tasks.extraction.data import read_split, webnlg_corpus
from kg_reasoner.tasks.extraction.metrics import SELECT, score_predictions, triple_summary
from kg_reasoner.tasks.extraction.relation_stage import train_relation_stage
from kg_reasoner.training.checkpoint import load_model, write_json
from kg_reasoner.training.distributed import is_main_process
from kg_reasoner.training.loop import FitResult
from kg_reasoner.training.result import TrainResult
from kg_reasoner.training.task import FitPlan, prepared, run_task

CONFIG_CLASS = ExtractionConfig

__all__ = [
    "CONFIG_CLASS",
    "TASK",
    "ExtractionConfig",
    "ExtractionData",
    "ExtractionFreeze",
    "ExtractionTask",
    "ExtractionTraining",
    "evaluate",
    "load",
    "score_predictions",
    "train",
]


class ExtractionTask:
    """``task: extraction`` under the :class:`~kg_reasoner.training.task.Task` protocol."""

    name = "extraction"
    config_class = ExtractionConfig

    def __init__(self) -> None:
        self._config: ExtractionConfig | None = None
        self._started = 0.0
        self.train_set: list[Example] = []
        self.dev_set: list[Example] = []
        self._reports: tuple[Any, Any] = (None, None)
        self._vocab: LabelVocab | None = None
        self._predictor: ExtractorPredictor | None = None
        self._batches: Callable[[int], Iterable[dict[str, Any]]] | None = None
        self._webnlg_dev: Any = None
        self._resume = True

    @property
    def config(self) -> ExtractionConfig:
        return prepared(self._config, "ExtractionTask.prepare(config)")

    @property
    def predictor(self) -> ExtractorPredictor:
        return prepared(self._predictor, "ExtractionTask.build_model()")

    @property
    def vocab(self) -> LabelVocab:
        return prepared(self._vocab, "ExtractionTask.prepare(config)")

    def prepare(self, config: ExtractionConfig, *, resume: bool) -> None:
        """Read both splits and the label vocabulary of the training split."""
        self._config = config
        self._resume = resume
        self._started = time.perf_counter()
        self.train_set, train_report = read_split(config.data.train, config.data.format)
        if config.data.max_train_sentences is not None:
            self.train_set = self.train_set[: config.data.max_train_sentences]
        self.dev_set, dev_report = read_split(config.data.dev, config.data.format)
        self._reports = (train_report, dev_report)
        self._vocab = LabelVocab.from_examples(self.train_set)
        if not self._vocab.relation_types:
            raise DataFormatError(f"{config.data.train} has no relations: nothing to learn")
        if config.data.format == "webnlg":
            self._webnlg_dev = webnlg_corpus(config.data.dev)
        if self.markers and config.model.unit != "sentence":
            raise ConfigError(
                "model.relation_model markers reads sentences: set model.unit to sentence"
            )

    @property
    def markers(self) -> bool:
        """Whether relations come from the marker relation stage (trained after the span model)."""
        return self.config.model.relation_model == "markers"

    def build_model(self) -> SpanRelationModel:
        """The extractor, frozen as configured; tokenizes the training split for it (and caches
        the frozen lower layers' output when asked)."""
        config, opt = self.config, self.config.training
        model, aligner, vocab = build_extractor(config.model, self.vocab)
        self._vocab = vocab
        try:
            apply_freezing(model.encoder, config.freeze.policy, config.freeze.top_k)
        except ValueError as exc:
            raise ConfigError(f"freeze: {exc}") from exc
        if config.freeze.embeddings:
            model.encoder.get_input_embeddings().weight.requires_grad = False
        out = Path(config.output_dir)
        if is_main_process():  # under torchrun: rank 0 writes the run directory
            model.encoder.config.save_pretrained(str(out / ENCODER_DIR))
            aligner.tokenizer.save_pretrained(str(out / TOKENIZER_DIR))
        train_set = self.train_set
        tokenized = aligner.tokenize([ex.tokens for ex in train_set])
        prefix = frozen_prefix_length(model.encoder) if opt.cache_frozen_layers else 0
        cache = PrefixCache(model.encoder, aligner, tokenized, prefix) if prefix else None

        def batches(epoch: int) -> Iterator[dict[str, Any]]:
            rng = random.Random(opt.seed * 1_000_003 + epoch)
            for idx in bucketed_batches([len(ex.tokens) for ex in train_set], opt.batch_size, rng):
                batch = training_batch(
                    train_set,
                    tokenized,
                    idx,
                    aligner,
                    vocab,
                    rng,
                    config,
                    relations=not self.markers,
                )
                if cache is not None:
                    batch["inputs"] = cache.attach(batch["inputs"], idx)
                yield batch

        self._batches = batches
        self._predictor = ExtractorPredictor(
            model,
            aligner,
            vocab,
            relation_threshold=config.model.relation_threshold,
            use_signatures=config.model.use_signatures,
            batch_size=opt.eval_batch_size,
            span_relations=not self.markers,
        )
        return model

    def train_data(self) -> Callable[[int], Iterable[dict[str, Any]]]:
        return prepared(self._batches, "ExtractionTask.build_model()")

    def fit_plan(self, model: nn.Module) -> FitPlan:
        config, opt = self.config, self.config.training
        assert isinstance(model, SpanRelationModel)
        return FitPlan(
            select=SELECT,
            checkpoint_config={
                "task": "extraction",
                "name": config.name,
                "model": config.model.model_dump(),
                "training_config": config.model_dump(),
            },
            vocab=self.vocab.to_dict(),
            param_groups=[(model.encoder, opt.encoder_lr or opt.lr), (model, opt.lr)],
            steps_per_epoch=-(-len(self.train_set) // opt.batch_size),
        )

    def evaluate(self, model: nn.Module) -> dict[str, float]:
        """Strict dev scores; ``selection`` is relation micro F1 (WebNLG: typed-triple F1;
        the span stage of ``relation_model: markers``: entity F1)."""
        predictor = self.predictor
        scores: dict[str, float] = summary(score_predictions(predictor, self.dev_set))
        if self.markers:
            scores[SELECT] = scores["entity_f1"]
            tqdm.write("dev (span stage): entity F1 {entity_f1:.2f}".format(**scores))
            return scores
        scores[SELECT] = scores["relation_f1_micro"] + scores["entity_f1"] / 1000
        tqdm.write(
            "dev: entity F1 {entity_f1:.2f}  relation F1 micro {relation_f1_micro:.2f}  "
            "macro {relation_f1_macro:.2f}".format(**scores)
        )
        if self._webnlg_dev is not None:
            config = self.config
            extractor = SupervisedExtractor(predictor, name=config.name, model_config=config.model)
            scores.update(triple_summary(extractor, self._webnlg_dev))
            scores[SELECT] = scores["triple_f1"] + scores["relation_f1_micro"] / 1e4
            tqdm.write(
                "dev: typed-triple P {triple_precision:.4f}  R {triple_recall:.4f}  "
                "F1 {triple_f1:.4f}".format(**scores)
            )
        return scores

    def predict(self, model: nn.Module, inputs: list[list[str]]) -> list[Any]:
        """Entities and relations of each tokenized sentence."""
        return list(self.predictor.predict(inputs))

    def post_fit(self, model: nn.Module, fit_result: FitResult) -> dict[str, Any]:
        """The summary written to ``train_result.json``: dev scores at the best epoch, timings
        (``wall_seconds``: the whole call; ``train_seconds``: the epochs) and, for WebNLG, the
        alignment reports; with ``relation_model: markers``, after training the relation stage:
        the end-to-end dev scores, and each stage's figures)."""
        out = Path(self.config.output_dir)
        stages: dict[str, Any] = {}
        best = fit_result.best_metrics
        if self.markers:
            stages, best = self._train_relation_stage(model, fit_result)
        summary_ = {
            **{f"dev.{k}": v for k, v in best.items()},
            "best_epoch": fit_result.best_epoch,
            "epochs_run": fit_result.epochs_run,
            "train_seconds": round(fit_result.train_seconds, 1),
            "wall_seconds": round(time.perf_counter() - self._started, 1),
            "output_dir": str(out),
            **stages,
        }
        train_report, dev_report = self._reports
        if train_report is not None:
            summary_["alignment"] = {"train": train_report.to_dict(), "dev": dev_report.to_dict()}
        write_json(out / "train_result.json", summary_)
        return summary_

    def _train_relation_stage(
        self, model: nn.Module, span_fit: FitResult
    ) -> tuple[dict[str, Any], dict[str, float]]:
        """Reload the span model's best epoch, train the marker relation model on its dev
        entities; returns the stages' figures and the end-to-end dev scores."""
        out = Path(self.config.output_dir)
        model.load_state_dict(load_model(out)[0])
        predictor = self.predictor
        dev_entities = predictor.predict_entities([ex.tokens for ex in self.dev_set])
        stage = train_relation_stage(
            self.config,
            self.vocab,
            self.train_set,
            self.dev_set,
            dev_entities,
            resume=self._resume,
        )
        predictor.relation_stage = stage.predictor
        best = summary(score_predictions(predictor, self.dev_set))
        figures = stage.summary()
        stages = {
            "span_stage": {
                "best_epoch": span_fit.best_epoch,
                "epochs_run": span_fit.epochs_run,
                "train_seconds": round(span_fit.train_seconds, 1),
                "dev.entity_f1": span_fit.best_metrics.get("entity_f1"),
            },
            "relation_stage": figures,
            "train_seconds": round(span_fit.train_seconds + figures["train_seconds"], 1),
        }
        return stages, best


def train(
    config: ExtractionConfig, *, resume: bool = True, device: str | None = None
) -> TrainResult:
    """Train on ``data.train``, select on ``data.dev``; the best model lands in ``output_dir``."""
    return run_task(ExtractionTask(), config, resume=resume, device=device)


TASK = ExtractionTask


def load(checkpoint_dir: str | Path) -> tuple[ExtractionConfig, SpanRelationModel]:
    """The config and span model of an extraction run directory (a ``relation_model: markers``
    run's relation model: ``SupervisedExtractor.from_directory(dir).predictor.relation_stage``)."""
    extractor = SupervisedExtractor.from_directory(checkpoint_dir)
    saved = extractor.config.get("training_config")
    if not saved:
        raise ModelLoadError(f"{checkpoint_dir}/config.json has no training_config")
    config = validate_config(ExtractionConfig, saved, source=f"{checkpoint_dir}/config.json")
    return config, extractor.predictor.model


def evaluate(
    checkpoint_dir: str | Path,
    data_path: str | Path | None = None,
    *,
    batch_size: int = 32,
    relation_threshold: float | None = None,
    **_: Any,
) -> dict[str, Any]:
    """Strict scores of a run directory on a data file (default: the config's dev file)."""
    extractor = SupervisedExtractor.from_directory(
        checkpoint_dir, batch_size=batch_size, relation_threshold=relation_threshold
    )
    data = extractor.config.get("training_config", {}).get("data", {})
    if data_path is None:
        if not data.get("dev"):
            raise ConfigError(f"{checkpoint_dir}: give a data file to evaluate on")
        data_path = resolve_data_path(data["dev"])
    data_format = data.get("format", "conll04")
    examples, report = read_split(data_path, data_format)
    scores = score_predictions(extractor.predictor, examples)
    result = {"data": str(data_path), **summary(scores), **scores}
    if data_format == "webnlg":
        from kg_reasoner.tasks.extraction.webnlg.extractor_scores import score_extractor

        result["alignment"] = report.to_dict()
        result["webnlg"] = score_extractor(extractor, webnlg_corpus(data_path)).summary()
    return result
