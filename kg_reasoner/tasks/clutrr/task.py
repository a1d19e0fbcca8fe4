"""``task: clutrr``: train the extractor and the reasoner, evaluate per chain length k.

Run directory layout: the reasoner (``model.safetensors``, ``config.json``, ``vocab.json``), the
extractor under ``extractor/``, resumable state under ``last/``, ``metrics.csv``,
``tensorboard/`` and ``results.json``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import torch
from torch import nn

from kg_reasoner.errors import ConfigError, DataFormatError, ModelLoadError
from kg_reasoner.models.freezing import encoder_layers
from kg_reasoner.models.kinship_reasoner import KinshipReasoner
from kg_reasoner.models.text_encoder import TextEncoder, resolve_encoder_path
from kg_reasoner.tasks.clutrr.collate import PreparedSplit, collate_reasoner, prepare_split
from kg_reasoner.tasks.clutrr.config import ClutrrConfig, ExtractorConfig
from kg_reasoner.tasks.clutrr.consistency import reversed_statements
from kg_reasoner.tasks.clutrr.data import (
    ClutrrExample,
    read_clutrr,
    sample_stories,
    split_validation,
    unseen_template_fraction,
)
from kg_reasoner.tasks.clutrr.extractor_training import (
    EXTRACTOR_DIR,
    Extractor,
    build_extractor,
    edge_f1,
    extract_graphs,
    train_extractor,
)
from kg_reasoner.tasks.clutrr.heldout_graphs import heldout_graphs
from kg_reasoner.tasks.clutrr.kinship import RELATIONS
from kg_reasoner.tasks.clutrr.metrics import relation_metrics, validation_scores
from kg_reasoner.tasks.clutrr.story_graph import StoryGraph
from kg_reasoner.training.checkpoint import load_model, save_model, write_json
from kg_reasoner.training.config import FreezeConfig
from kg_reasoner.training.device import model_device, move_to_device
from kg_reasoner.training.distributed import is_main_process
from kg_reasoner.training.loop import FitResult
from kg_reasoner.training.metrics import predictions_from_logits
from kg_reasoner.training.result import TrainResult
from kg_reasoner.training.seed import seed_everything
from kg_reasoner.training.task import FitPlan, prepared, run_task

CONFIG_CLASS = ClutrrConfig


def build_reasoner(config: ClutrrConfig, text_channels: int) -> KinshipReasoner:
    model = config.model
    return KinshipReasoner(
        num_relations=len(RELATIONS), num_classes=len(RELATIONS),
        graph_encoder=model.graph_encoder, graph_hidden=model.graph_hidden,
        graph_layers=model.graph_layers, graph_options=model.graph_encoder_options,
        text_channels=text_channels if model.use_text else None,
        fusion=model.fusion, hidden=model.hidden, dropout=model.dropout,
    )


class ClutrrTask:
    """``task: clutrr`` under the :class:`~kg_reasoner.training.task.Task` protocol: the
    extractor (when graphs are extracted) is trained in :meth:`prepare`, the reasoner by the
    shared loop."""

    name = "clutrr"
    config_class = ClutrrConfig

    def __init__(self) -> None:
        self._config: ClutrrConfig | None = None
        self._started = 0.0
        self.train_examples: list[ClutrrExample] = []
        self.validation_examples: list[ClutrrExample] = []
        self._encoder: TextEncoder | None = None
        self._splits: tuple[PreparedSplit, PreparedSplit] | None = None
        self._graphs: tuple[list[StoryGraph] | None, list[StoryGraph] | None] = (None, None)
        self.extractor: Extractor | None = None
        self.results: dict[str, Any] = {}

    @property
    def config(self) -> ClutrrConfig:
        return prepared(self._config, "ClutrrTask.prepare(config)")

    @property
    def encoder(self) -> TextEncoder:
        return prepared(self._encoder, "ClutrrTask.prepare(config)")

    @property
    def splits(self) -> tuple[PreparedSplit, PreparedSplit]:
        return prepared(self._splits, "ClutrrTask.prepare(config)")

    def prepare(self, config: ClutrrConfig, *, resume: bool) -> None:
        """Read and split the stories, compute LM features, train (or reuse) the extractor and
        build the story graphs the reasoner reads."""
        self._config = config
        optim = config.training
        out = Path(config.output_dir)
        self._started = time.perf_counter()
        examples = sample_stories(read_clutrr(config.data.resolve(config.data.train_file),
                                              limit=config.data.max_train_examples),
                                  config.data.train_sample, optim.seed)
        train_ex, val_ex = split_validation(examples, config.data.validation_fraction,
                                            optim.seed, config.data.validation_split)
        self.train_examples, self.validation_examples = train_ex, val_ex
        encoder = TextEncoder(config.encoder.name, max_length=config.encoder.max_length)
        self._encoder = encoder
        t0 = time.perf_counter()
        train_split = _prepare(config, encoder, train_ex, "train")
        val_split = _prepare(config, encoder, val_ex, "validation")
        self._splits = (train_split, val_split)
        results: dict[str, Any] = {
            "feature_seconds": time.perf_counter() - t0,
            "validation_split": {
                "how": config.data.validation_split, "train_stories": len(train_ex),
                "validation_stories": len(val_ex),
                "unseen_template_sentences": unseen_template_fraction(train_ex, val_ex),
            },
        }
        extractor = None
        heldout: list[StoryGraph] | None = None
        if config.graph.source == "extracted" and config.graph.train_graphs == "heldout_folds":
            t0 = time.perf_counter()
            heldout, results["heldout_graphs"] = heldout_graphs(
                train_split, val_split, config.extractor, folds=config.graph.folds,
                seed=optim.seed, threshold=config.graph.edge_threshold,
                work_dir=out / "heldout_folds",
                cache_dir=Path(config.encoder.cache_dir) if config.encoder.cache_dir else None,
                language_model=encoder.model, encoder_name=config.encoder.name,
                progress=config.progress,
            )
            results["heldout_graphs_seconds"] = time.perf_counter() - t0
        if config.graph.source == "extracted":
            t0 = time.perf_counter()
            if config.extractor.checkpoint:
                extractor = load_extractor(Path(config.extractor.checkpoint), encoder,
                                           config.extractor.freeze)
                results["extractor"] = {"reused_from": config.extractor.checkpoint}
                if is_main_process():  # under torchrun: rank 0 writes the run directory
                    reused = load_model(Path(config.extractor.checkpoint) / EXTRACTOR_DIR)
                    save_model(out / EXTRACTOR_DIR, *reused)
            else:
                extractor, ext_metrics = train_extractor(
                    train_split, val_split, config.extractor, out, language_model=encoder.model,
                    encoder_name=config.encoder.name, resume=resume,
                    progress=config.progress,
                )
                results["extractor"] = ext_metrics
            results["extraction_edge_f1"] = edge_f1(
                val_split.gold, extract_graphs(extractor, val_split,
                                               threshold=config.graph.edge_threshold)
            )["f1"]
            results["extractor_train_seconds"] = time.perf_counter() - t0
        self.extractor = extractor
        self._graphs = (heldout if heldout is not None else _graphs(config, extractor,
                                                                    train_split),
                        _graphs(config, extractor, val_split))
        self.results = results

    def build_model(self) -> KinshipReasoner:
        """The reasoner, initialised from a fresh seed (so it does not depend on the extractor
        run before it)."""
        optim = self.config.training
        seed_everything(optim.seed, deterministic=optim.deterministic,
                        num_threads=optim.num_threads)
        model = build_reasoner(self.config, self.encoder.hidden_size)
        if self.config.model.graph_checkpoint:
            load_graph_part(model, Path(self.config.model.graph_checkpoint), self.config)
        return model

    def train_data(self) -> Callable[[int], Iterable[dict[str, torch.Tensor]]]:
        optim, use_text = self.config.training, self.config.model.use_text
        train_split = self.splits[0]
        train_graphs = self._graphs[0]
        count = len(self.train_examples)

        def batches(epoch: int) -> Iterator[dict[str, torch.Tensor]]:
            order = list(range(count))
            random.Random(optim.seed + epoch).shuffle(order)
            size = optim.batch_size
            for s in range(0, len(order), size):
                yield collate_reasoner(train_split, train_graphs, order[s : s + size],
                                       with_text=use_text)

        return batches

    def fit_plan(self, model: nn.Module) -> FitPlan:
        config = self.config
        return FitPlan(
            select="score",
            checkpoint_config={
                "task": "clutrr", "config": config.model_dump(mode="json"),
                "text_channels": self.encoder.hidden_size,
            },
            vocab={"relations": list(RELATIONS)},
            steps_per_epoch=-(-len(self.train_examples) // config.training.batch_size),
            progress=config.progress,
        )

    def evaluate(self, module: nn.Module) -> dict[str, float]:
        """Validation accuracy, NLL and the selection score (see :func:`validation_scores`)."""
        assert isinstance(module, KinshipReasoner)
        probs = predict_probabilities(module, self.splits[1], self._graphs[1],
                                      use_text=self.config.model.use_text)
        gold = torch.tensor([RELATIONS.index(e.target or "") for e in self.validation_examples])
        return validation_scores(probs, gold)

    def predict(self, model: nn.Module, inputs: list[ClutrrExample]) -> list[str]:
        """The predicted relation of each example's query pair."""
        assert isinstance(model, KinshipReasoner)
        config = self.config
        split = _prepare(config, self.encoder, inputs, "prediction")
        graphs = _graphs(config, self.extractor, split)
        preds = predict_split(model, split, graphs, use_text=config.model.use_text)
        return [RELATIONS[i] for i in preds]

    def post_fit(self, model: nn.Module, fit_result: FitResult) -> dict[str, Any]:
        """Timings, the best validation scores and, when asked, the scores on the test files
        (with the best epoch's weights); written to ``results.json``."""
        config = self.config
        out = Path(config.output_dir)
        results = self.results
        results.update({
            "validation": fit_result.best_metrics, "best_epoch": fit_result.best_epoch,
            "epochs_run": fit_result.epochs_run,
            "reasoner_train_seconds": fit_result.train_seconds,
        })
        results["train_seconds"] = time.perf_counter() - self._started
        if config.evaluate_tests:
            state, _, _ = load_model(out)
            model.load_state_dict(state)
            assert isinstance(model, KinshipReasoner)
            results["test"] = evaluate_files(
                model, self.extractor, self.encoder, config,
                [config.data.resolve(f) for f in config.data.test_files],
            )
        write_json(out / "results.json", results)
        return results


def train(
    config: ClutrrConfig, *, resume: bool = True, device: str | None = None
) -> TrainResult:
    """Train (extractor, then reasoner), then score the test files."""
    return run_task(ClutrrTask(), config, resume=resume, device=device)


def prepare_heldout_graphs(config: ClutrrConfig) -> dict[str, Any]:
    """Compute (and cache) the held-out-fold graphs of ``config``'s training stories, as
    :meth:`ClutrrTask.prepare` would, without training anything else: lets a benchmark build
    them while the run it reuses (``extractor.checkpoint``) is still training."""
    if config.graph.source != "extracted" or config.graph.train_graphs != "heldout_folds":
        raise ConfigError("held-out graphs need graph.source: extracted and "
                          "graph.train_graphs: heldout_folds")
    examples = sample_stories(read_clutrr(config.data.resolve(config.data.train_file),
                                          limit=config.data.max_train_examples),
                              config.data.train_sample, config.training.seed)
    train_ex, val_ex = split_validation(examples, config.data.validation_fraction,
                                        config.training.seed, config.data.validation_split)
    encoder = TextEncoder(config.encoder.name, max_length=config.encoder.max_length)
    train_split = _prepare(config, encoder, train_ex, "train")
    val_split = _prepare(config, encoder, val_ex, "validation")
    _, report = heldout_graphs(
        train_split, val_split, config.extractor, folds=config.graph.folds,
        seed=config.training.seed, threshold=config.graph.edge_threshold,
        work_dir=Path(config.output_dir) / "heldout_folds",
        cache_dir=Path(config.encoder.cache_dir) if config.encoder.cache_dir else None,
        language_model=encoder.model, encoder_name=config.encoder.name,
        progress=config.progress,
    )
    return report


def load_graph_part(model: KinshipReasoner, run_dir: Path, config: ClutrrConfig) -> None:
    """Start ``model``'s graph part from the trained one of the clutrr run ``run_dir`` and
    freeze it (``model.graph_checkpoint``)."""
    state, saved, _ = load_model(run_dir)
    if saved.get("task") != "clutrr" or "config" not in saved:
        raise ModelLoadError(f"{run_dir} is not a clutrr run (config.json task != clutrr)")
    theirs = saved["config"].get("model", {})
    mine = config.model
    if (theirs.get("graph_encoder"), theirs.get("graph_encoder_options", {})) != (
        mine.graph_encoder, mine.graph_encoder_options
    ):
        raise ModelLoadError(
            f"model.graph_checkpoint {run_dir} has graph encoder {theirs.get('graph_encoder')!r} "
            f"{theirs.get('graph_encoder_options', {})}, this config "
            f"{mine.graph_encoder!r} {mine.graph_encoder_options}: they must match"
        )
    prefixes = ("reasoner.graph.", "roles.", "genders.")
    part = {k: v for k, v in state.items() if k.startswith(prefixes)}
    if not part:
        raise ModelLoadError(f"{run_dir} has no trained graph part")
    missing, unexpected = model.load_state_dict(part, strict=False)
    if unexpected or any(k.startswith(prefixes) for k in missing):
        raise ModelLoadError(f"the graph part of {run_dir} does not fit this model "
                             f"(missing {[k for k in missing if k.startswith(prefixes)]}, "
                             f"unexpected {unexpected})")
    model.freeze_graph()


def _prepare(
    config: ClutrrConfig, encoder: TextEncoder, examples: list[ClutrrExample], name: str
) -> PreparedSplit:
    return prepare_split(
        examples, encoder, window=config.graph.window, cache_dir=config.encoder.cache_dir,
        batch_size=config.encoder.batch_size, with_story_text=config.model.use_text,
        with_window_features=config.model.use_text or config.graph.source == "extracted",
        rename_people=config.encoder.rename_people, progress=config.progress, name=name,
        window_state_layer=_extractor_state_layer(config, encoder),
    )


def _extractor_state_layer(config: ClutrrConfig, encoder: TextEncoder) -> int | None:
    if config.graph.source != "extracted":
        return None
    return config.extractor.state_layer(len(encoder_layers(encoder.model)))


def _graphs(
    config: ClutrrConfig, extractor: Extractor | None, split: PreparedSplit
) -> list[StoryGraph] | None:
    if config.graph.source == "gold":
        if not split.gold:
            raise DataFormatError("graph.source: gold needs story_edges in every example")
        return split.gold
    if config.graph.source == "extracted":
        assert extractor is not None
        return extract_graphs(extractor, split, threshold=config.graph.edge_threshold)
    return None


@torch.no_grad()
def predict_split(
    model: KinshipReasoner, split: PreparedSplit, graphs: list[StoryGraph] | None, *,
    use_text: bool, batch_size: int = 128,
) -> list[int]:
    """Predicted relation ids for every example of a split."""
    return [int(i) for i in predict_probabilities(
        model, split, graphs, use_text=use_text, batch_size=batch_size).argmax(-1)]


@torch.no_grad()
def predict_probabilities(
    model: KinshipReasoner, split: PreparedSplit, graphs: list[StoryGraph] | None, *,
    use_text: bool, batch_size: int = 128,
) -> torch.Tensor:
    """(n, len(RELATIONS)) relation probabilities on cpu; batches go to the model's device."""
    model.eval()
    device = model_device(model)
    chunks = [torch.zeros(0, len(RELATIONS))]
    for start in range(0, len(split.examples), batch_size):
        idx = list(range(start, min(start + batch_size, len(split.examples))))
        batch = collate_reasoner(split, graphs, idx, with_text=use_text, with_labels=False)
        logits = model(**move_to_device(batch, device)).logits
        predictions_from_logits(logits)  # shape check
        chunks.append(logits.softmax(-1).cpu())
    return torch.cat(chunks)


def evaluate_files(
    model: KinshipReasoner,
    extractor: Extractor | None,
    encoder: TextEncoder,
    config: ClutrrConfig,
    files: list[Path],
) -> dict[str, Any]:
    """Accuracy per chain length k, overall per-class report, and extraction edge F1."""
    examples: list[ClutrrExample] = []
    for path in files:
        examples.extend(read_clutrr(path, limit=config.data.max_test_examples))
    if not examples:
        raise DataFormatError(f"no examples in {', '.join(map(str, files))}")
    return evaluate_examples(model, extractor, encoder, config, examples)


def evaluate_examples(
    model: KinshipReasoner, extractor: Extractor | None, encoder: TextEncoder,
    config: ClutrrConfig, examples: list[ClutrrExample],
) -> dict[str, Any]:
    """Accuracy (overall, per class, per k) and, for extracted graphs, the edge F1."""
    split = _prepare(config, encoder, examples, "evaluation")
    graphs = _graphs(config, extractor, split)
    preds = predict_split(model, split, graphs, use_text=config.model.use_text)
    gold = [RELATIONS.index(e.target or "") for e in examples]
    metrics = relation_metrics(gold, preds, [e.k for e in examples], [e.noise for e in examples],
                               [bool(reversed_statements(e)) for e in examples])
    if config.graph.source == "extracted" and graphs is not None and split.gold:
        metrics["extraction_edge"] = edge_f1(split.gold, graphs)
    return metrics


def load_run(checkpoint_dir: str | Path) -> tuple[ClutrrConfig, KinshipReasoner,
                                                  Extractor | None, TextEncoder]:
    """Rebuild the config, reasoner, extractor and text encoder of a run directory."""
    checkpoint_dir = Path(checkpoint_dir)
    state, saved, _ = load_model(checkpoint_dir)
    if saved.get("task") != "clutrr" or "config" not in saved:
        raise ModelLoadError(f"{checkpoint_dir} is not a clutrr run (config.json task != clutrr)")
    config = ClutrrConfig.model_validate(saved["config"])
    model = build_reasoner(config, int(saved["text_channels"]))
    model.load_state_dict(state)
    model.eval()
    encoder = TextEncoder(config.encoder.name, max_length=config.encoder.max_length)
    extractor = None
    if config.graph.source == "extracted":
        extractor = load_extractor(checkpoint_dir, encoder, config.extractor.freeze)
    return config, model, extractor, encoder


def load_extractor(
    run_dir: Path, encoder: TextEncoder, freeze: FreezeConfig | None = None
) -> Extractor:
    """The extractor saved under ``run_dir/extractor`` (``encoder`` is the run's language
    model, whose top blocks the extractor may have fine-tuned).

    ``freeze`` is the run's ``extractor.freeze``: it decides which LM layer the window states
    are cached from, so it must be the one the extractor was trained with.
    """
    state, ext_config, _ = load_model(run_dir / EXTRACTOR_DIR)
    trained_on = ext_config.get("encoder")
    if trained_on is not None and resolve_encoder_path(trained_on) != resolve_encoder_path(
        encoder.name
    ):  # names are resolved as the loader does: aliases of the packaged encoder, in any case
        raise ModelLoadError(
            f"the extractor in {run_dir} reads {trained_on!r} states, but this run's encoder is "
            f"{encoder.name!r}: set encoder.name to match or train a new extractor"
        )
    settings = ExtractorConfig.model_validate(
        {k: v for k, v in ext_config.items() if k in ExtractorConfig.model_fields})
    if freeze is not None and freeze != settings.freeze:
        raise ModelLoadError(
            f"the extractor in {run_dir} was trained with extractor.freeze "
            f"{settings.freeze.model_dump()}, but this run's is {freeze.model_dump()}: set "
            "extractor.freeze to match (it decides which LM layer the extractor reads)"
        )
    extractor = build_extractor(settings, int(ext_config["input_size"]), encoder.model)
    extractor.load_state_dict(state)
    return extractor.eval()


TASK = ClutrrTask


def load(checkpoint_dir: str | Path) -> tuple[ClutrrConfig, KinshipReasoner]:
    """The config and reasoner of a clutrr run directory (see :func:`load_run` for the
    extractor and text encoder too)."""
    config, model, _, _ = load_run(checkpoint_dir)
    return config, model


def evaluate(
    checkpoint_dir: str | Path, data_path: str | Path | None = None, *, split: str = "test",
    **_: Any,
) -> dict[str, Any]:
    """Score a run on a CSV, a folder of ``*_test.csv`` files, or the config's own split
    (``validation`` or ``test``) when ``data_path`` is None."""
    config, model, extractor, encoder = load_run(checkpoint_dir)
    if data_path is None:
        if split == "validation":
            examples = sample_stories(
                read_clutrr(config.data.resolve(config.data.train_file),
                            limit=config.data.max_train_examples),
                config.data.train_sample, config.training.seed)
            _, val = split_validation(examples, config.data.validation_fraction,
                                      config.training.seed, config.data.validation_split)
            return evaluate_examples(model, extractor, encoder, config, val)
        files = [config.data.resolve(f) for f in config.data.test_files]
    else:
        path = Path(data_path)
        files = sorted(path.glob("*_test.csv")) if path.is_dir() else [path]
    return evaluate_files(model, extractor, encoder, config, files)
