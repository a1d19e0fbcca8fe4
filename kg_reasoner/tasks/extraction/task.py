"""Task ``extraction``: train and evaluate the supervised entity + relation extractor.

``kgr train configs/conll04_extractor.yaml`` calls :func:`train`; ``kgr eval RUN DATA`` and
``kgr eval-extractor RUN DATA`` call :func:`evaluate`. Data is CoNLL04 JSON, or WebNLG folders
(``data.format: webnlg``) converted by :mod:`kg_reasoner.tasks.webnlg.examples`; on WebNLG the
model is selected, and evaluated, by the typed-triple F1 of exact names.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from tqdm.auto import tqdm

from kg_reasoner.config import StrictModel
from kg_reasoner.data_paths import resolve_data_path
from kg_reasoner.errors import ConfigError, DataFormatError
from kg_reasoner.extraction.supervised.checkpoint import (
    ENCODER_DIR,
    TOKENIZER_DIR,
    build_extractor,
)
from kg_reasoner.extraction.supervised.config import ExtractorModelConfig
from kg_reasoner.extraction.supervised.data import Example, read_examples
from kg_reasoner.extraction.supervised.encoding import WordPieceAligner
from kg_reasoner.extraction.supervised.extractor import SupervisedExtractor
from kg_reasoner.extraction.supervised.layer_cache import PrefixCache, frozen_prefix_length
from kg_reasoner.extraction.supervised.predictor import ExtractorPredictor
from kg_reasoner.extraction.supervised.sampling import collate_targets, sample_targets
from kg_reasoner.extraction.supervised.scoring import score_examples, summary
from kg_reasoner.extraction.supervised.vocab import LabelVocab
from kg_reasoner.training.checkpoint import write_json
from kg_reasoner.training.config import FreezeConfig, OptimConfig
from kg_reasoner.training.freezing import apply_freezing
from kg_reasoner.training.loop import fit
from kg_reasoner.training.seed import seed_everything

SELECT = "selection"  # relation micro F1, ties broken by entity F1


class ExtractionData(StrictModel):
    """Training and selection data: CoNLL04 JSON files or WebNLG split folders."""

    format: Literal["conll04", "webnlg"] = Field(
        "conll04", description="conll04: .json/.jsonl records; webnlg: a folder of XML files"
    )
    train: str = Field(description="training file (.json array or .jsonl) or WebNLG folder")
    dev: str = Field(description="development data: early stopping and model selection")


class ExtractionTraining(OptimConfig):
    """Optimisation plus negative sampling (SpERT's defaults: 100 spans, 100 pairs)."""

    lr: float = Field(5e-4, gt=0, description="peak learning rate of the task heads")
    encoder_lr: float | None = Field(5e-5, gt=0, description="learning rate of the encoder")
    epochs: int = Field(20, ge=1)
    batch_size: int = Field(8, ge=1)

    neg_entities: int = Field(100, ge=0, description="non-entity spans sampled per sentence")
    neg_relations: int = Field(100, ge=0, description="unrelated entity pairs per sentence")
    eval_batch_size: int = Field(32, ge=1)
    cache_frozen_layers: bool = Field(
        True, description="with frozen lower layers, compute their output once (much faster)"
    )


class ExtractionFreeze(FreezeConfig):
    """Encoder freezing; extraction fine-tunes the whole encoder by default."""

    policy: Literal["none", "all", "top_k"] = "none"
    embeddings: bool = Field(
        True, description="keep the word-embedding matrix frozen (half of MiniLM's weights)"
    )


class ExtractionConfig(StrictModel):
    """A YAML config with ``task: extraction``."""

    task: Literal["extraction"] = "extraction"
    name: str = Field("extractor", description="recorded as the extractor name in provenance")
    output_dir: str
    data: ExtractionData
    model: ExtractorModelConfig = ExtractorModelConfig()
    training: ExtractionTraining = ExtractionTraining()
    freeze: ExtractionFreeze = ExtractionFreeze()


CONFIG_CLASS = ExtractionConfig


def read_split(path: str | Path, data_format: str = "conll04") -> tuple[list[Example], Any]:
    """Examples of one split and, for WebNLG, its alignment report (else None)."""
    path = resolve_data_path(path)
    if data_format == "webnlg":
        from kg_reasoner.tasks.webnlg.examples import read_webnlg_examples

        return read_webnlg_examples(path)
    return read_examples(path), None


def train(config: ExtractionConfig, *, resume: bool = True) -> dict[str, Any]:
    """Train on ``data.train``, select on ``data.dev``; the best model lands in ``output_dir``.

    ``output_dir/train_result.json`` holds the returned summary, including ``wall_seconds``
    (the whole call: reading, caching, training and selection) and ``train_seconds`` (epochs).
    """
    started = time.perf_counter()
    opt = config.training
    seed_everything(opt.seed, deterministic=opt.deterministic, num_threads=opt.num_threads)
    train_set, train_report = read_split(config.data.train, config.data.format)
    dev_set, dev_report = read_split(config.data.dev, config.data.format)
    vocab = LabelVocab.from_examples(train_set)
    if not vocab.relation_types:
        raise DataFormatError(f"{config.data.train} has no relations: nothing to learn")
    model, aligner, vocab = build_extractor(config.model, vocab)
    try:
        apply_freezing(model.encoder, config.freeze.policy, config.freeze.top_k)
    except ValueError as exc:
        raise ConfigError(f"freeze: {exc}") from exc
    if config.freeze.embeddings:
        model.encoder.get_input_embeddings().weight.requires_grad = False
    out = Path(config.output_dir)
    model.encoder.config.save_pretrained(str(out / ENCODER_DIR))
    aligner.tokenizer.save_pretrained(str(out / TOKENIZER_DIR))
    tokenized = aligner.tokenize([ex.tokens for ex in train_set])
    n_batches = -(-len(train_set) // opt.batch_size)
    prefix = frozen_prefix_length(model.encoder) if opt.cache_frozen_layers else 0
    cache = PrefixCache(model.encoder, aligner, tokenized, prefix) if prefix else None

    def batches(epoch: int) -> Iterator[dict[str, Any]]:
        rng = random.Random(opt.seed * 1_000_003 + epoch)
        for idx in bucketed_batches([len(ex.tokens) for ex in train_set], opt.batch_size, rng):
            batch = _training_batch(train_set, tokenized, idx, aligner, vocab, rng, config)
            if cache is not None:
                batch["inputs"] = cache.attach(batch["inputs"], idx)
            yield batch

    predictor = ExtractorPredictor(
        model,
        aligner,
        vocab,
        relation_threshold=config.model.relation_threshold,
        use_signatures=config.model.use_signatures,
        batch_size=opt.eval_batch_size,
    )

    webnlg_dev = _webnlg_corpus(config.data.dev) if config.data.format == "webnlg" else None

    def evaluate_dev(_: Any) -> dict[str, float]:
        scores: dict[str, float] = summary(score_predictions(predictor, dev_set))
        scores[SELECT] = scores["relation_f1_micro"] + scores["entity_f1"] / 1000
        tqdm.write(
            "dev: entity F1 {entity_f1:.2f}  relation F1 micro {relation_f1_micro:.2f}  "
            "macro {relation_f1_macro:.2f}".format(**scores)
        )
        if webnlg_dev is not None:
            extractor = SupervisedExtractor(predictor, name=config.name, model_config=config.model)
            scores.update(_triple_summary(extractor, webnlg_dev))
            scores[SELECT] = scores["triple_f1"] + scores["relation_f1_micro"] / 1e4
            tqdm.write("dev: typed-triple P {triple_precision:.4f}  R {triple_recall:.4f}  "
                       "F1 {triple_f1:.4f}".format(**scores))  # fmt: skip
        return scores

    encoder_lr = opt.encoder_lr or opt.lr
    result = fit(
        model,
        train_data=batches,
        evaluate=evaluate_dev,
        optim=opt,
        output_dir=out,
        config={"task": "extraction", "name": config.name, "model": config.model.model_dump(),
                "training_config": config.model_dump()},
        vocab=vocab.to_dict(),
        param_groups=[(model.encoder, encoder_lr), (model, opt.lr)],
        select=SELECT,
        steps_per_epoch=n_batches,
        resume=resume,
    )
    summary_ = {
        **{f"dev.{k}": v for k, v in result.best_metrics.items()},
        "best_epoch": result.best_epoch,
        "epochs_run": result.epochs_run,
        "train_seconds": round(result.train_seconds, 1),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "output_dir": str(out),
    }
    if train_report is not None:
        summary_["alignment"] = {"train": train_report.to_dict(), "dev": dev_report.to_dict()}
    write_json(out / "train_result.json", summary_)
    return summary_


def _webnlg_corpus(path: str | Path) -> Any:
    from kg_reasoner.tasks.webnlg.data import read_webnlg

    return read_webnlg(resolve_data_path(path))


def _triple_summary(extractor: SupervisedExtractor, corpus: Any) -> dict[str, float]:
    """Typed-triple precision, recall and F1 (fractions) of an extractor on a WebNLG split."""
    from kg_reasoner.tasks.webnlg.extractor_scores import score_extractor

    triple = score_extractor(extractor, corpus).triples["overall"]
    return {
        "triple_precision": triple.precision,
        "triple_recall": triple.recall,
        "triple_f1": triple.f1,
    }


def bucketed_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar-length sentences (less padding, same randomness per epoch)."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = batch_size * 16
    result = []
    for first in range(0, len(order), pool):
        chunk = sorted(order[first : first + pool], key=lambda i: lengths[i])
        result.extend(chunk[k : k + batch_size] for k in range(0, len(chunk), batch_size))
    rng.shuffle(result)
    return result


def _training_batch(
    examples: list[Example],
    tokenized: list,  # type: ignore[type-arg]
    idx: list[int],
    aligner: WordPieceAligner,
    vocab: LabelVocab,
    rng: random.Random,
    config: ExtractionConfig,
) -> dict[str, Any]:
    targets = [
        sample_targets(
            examples[i],
            vocab,
            rng,
            max_span_width=config.model.max_span_width,
            neg_entities=config.training.neg_entities,
            neg_relations=config.training.neg_relations,
        )
        for i in idx
    ]
    batch = collate_targets(
        aligner.collate([tokenized[i] for i in idx]), targets, len(vocab.relation_types)
    )
    return {
        "inputs": batch.inputs,
        "spans": batch.spans,
        "pairs": batch.pairs,
        "span_labels": batch.span_labels,
        "pair_labels": batch.pair_labels,
        "pair_mask": batch.pair_mask,
    }


def score_predictions(predictor: ExtractorPredictor, examples: list[Example]) -> dict[str, Any]:
    """Predict every sentence of ``examples`` and score strictly against their labels."""
    preds = predictor.predict([ex.tokens for ex in examples])
    predicted = [p.to_example(ex.tokens) for p, ex in zip(preds, examples, strict=True)]
    return score_examples(examples, predicted)


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
        from kg_reasoner.tasks.webnlg.extractor_scores import score_extractor

        result["alignment"] = report.to_dict()
        result["webnlg"] = score_extractor(extractor, _webnlg_corpus(data_path)).summary()
    return result
