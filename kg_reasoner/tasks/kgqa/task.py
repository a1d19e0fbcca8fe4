"""The ``kgqa`` task: train and evaluate a multi-hop question-answering reasoner on a KB.

A dataset is a KB (``subject|relation|object`` file or `kgr build` graph directory) and one or
more questions files (``question TAB answer|answer``, topic in [brackets]); each file gets a
fixed validation slice. Questions are embedded once by the frozen language model (cached); the
reasoner is trained on the whole KB with sparse score propagation.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import torch
from tqdm import tqdm

from kg_reasoner.errors import DataFormatError
from kg_reasoner.models.kgqa.question_embedder import QuestionEmbedder
from kg_reasoner.models.kgqa.relation_reasoner import HopwiseRelationReasoner
from kg_reasoner.qa.kgqa_checkpoint import (
    build_model,
    check_relations,
    load_reasoner,
    save_reasoner,
)
from kg_reasoner.qa.kgqa_config import KGQAConfig
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.retrieval.kb_readers import load_kb_index
from kg_reasoner.tasks.kgqa.data import QuestionRecord, read_questions, split_validation
from kg_reasoner.tasks.kgqa.encoding import EncodedQuestions, encode_records, indicator_rows
from kg_reasoner.tasks.kgqa.metrics import DEFAULT_THRESHOLDS, batch_hits_and_f1, best_threshold
from kg_reasoner.training.checkpoint import (
    has_training_state,
    load_training_state,
    save_training_state,
    write_json,
)
from kg_reasoner.training.early_stopping import EarlyStopping
from kg_reasoner.training.metrics_log import MetricsLogger
from kg_reasoner.training.optim import build_adamw
from kg_reasoner.training.schedule import build_scheduler
from kg_reasoner.training.seed import seed_everything

CONFIG_CLASS = KGQAConfig
CACHE_FILE = "question_embeddings.safetensors"


def load_splits(config: KGQAConfig) -> dict[str, list[QuestionRecord]]:
    """``train`` and ``validation`` records: a fixed slice of every questions file."""
    splits: dict[str, list[QuestionRecord]] = {"train": [], "validation": []}
    for qfile in config.data.questions:
        qtypes = config.data.resolve(qfile.qtypes) if qfile.qtypes else None
        records = read_questions(
            config.data.resolve(qfile.path), group=qfile.name, qtype_path=qtypes
        )
        train, val = split_validation(
            records, fraction=config.data.validation_fraction, seed=config.data.split_seed
        )
        splits["train"] += train
        splits["validation"] += val
    return splits


def _embedder(config: KGQAConfig) -> QuestionEmbedder:
    embedder = QuestionEmbedder(config.encoder.name, max_length=config.encoder.max_length)
    if config.encoder.cache:
        embedder.load_cache(Path(config.output_dir) / CACHE_FILE)
    return embedder


@torch.no_grad()
def score_encoded(
    model: HopwiseRelationReasoner,
    data: EncodedQuestions,
    index: KBIndex,
    *,
    exclude_topic: bool,
    revisit_topic: bool = True,
    batch_size: int,
    thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS,
) -> tuple[list[float], dict[float, list[float]]]:
    """Per-record Hits@1 and per-threshold F1 over all records (skipped ones score 0)."""
    model.eval()
    adjacency = index.adjacency
    hits = [0.0] * len(data.records)
    f1 = {th: [0.0] * len(data.records) for th in thresholds}
    for start in range(0, len(data), batch_size):
        rows = range(start, min(start + batch_size, len(data)))
        topic = indicator_rows([data.topics[i] for i in rows], index.num_entities)
        out = model(
            data.embeddings[start : rows.stop],
            topic,
            adjacency,
            exclude_topic=exclude_topic,
            revisit_topic=revisit_topic,
        )
        gold = [set(data.answers[i]) for i in rows]
        batch_hits, batch_f1 = batch_hits_and_f1(out.scores, gold, thresholds)
        for j, i in enumerate(rows):
            hits[data.usable[i]] = batch_hits[j]
            for th in thresholds:
                f1[th][data.usable[i]] = batch_f1[th][j]
    return hits, f1


def summarise(
    records: list[QuestionRecord], hits: list[float], f1: list[float], threshold: float
) -> dict[str, Any]:
    """Hits@1 and F1 (percent) overall, per group (hop) and per question type."""
    by_group: dict[str, list[int]] = defaultdict(list)
    by_type: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        by_group[record.group].append(i)
        if record.qtype:
            by_type[record.qtype].append(i)

    def pct(values: list[float], ids: list[int]) -> float:
        return round(100.0 * sum(values[i] for i in ids) / max(len(ids), 1), 2)

    everyone = list(range(len(records)))
    return {
        "hits_at_1": {g: pct(hits, ids) for g, ids in sorted(by_group.items())},
        "answer_f1": {g: pct(f1, ids) for g, ids in sorted(by_group.items())},
        "hits_at_1_by_type": {t: pct(hits, ids) for t, ids in sorted(by_type.items())},
        "hits_at_1_all": pct(hits, everyone),
        "answer_f1_all": pct(f1, everyone),
        "questions": {g: len(ids) for g, ids in sorted(by_group.items())},
        "threshold": threshold,
    }


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _previous_train_seconds(out_dir: Path) -> float:
    """Wall-clock seconds recorded by an earlier, finished invocation (0 when unknown)."""
    path = out_dir / "metrics.json"
    if not path.is_file():
        return 0.0
    return float(json.loads(path.read_text(encoding="utf-8")).get("train_seconds", 0.0))


def train(config: KGQAConfig, *, resume: bool = True) -> dict[str, Any]:
    """Train on the training split, early-stop on validation Hits@1, pick the F1 threshold."""
    opt = config.training
    seed_everything(opt.seed, deterministic=opt.deterministic, num_threads=opt.num_threads)
    out_dir = Path(config.output_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    index = load_kb_index(config.data.resolve(config.data.kb))
    splits = load_splits(config)
    if not splits["train"]:
        raise DataFormatError("no training questions: check data.questions in the config")
    embedder = _embedder(config)
    placeholder = config.encoder.topic_placeholder
    train_data = encode_records(
        splits["train"], index, embedder, placeholder=placeholder, progress=True
    )
    val_data = encode_records(
        splits["validation"], index, embedder, placeholder=placeholder, progress=True
    )
    if config.encoder.cache:
        embedder.save_cache(out_dir / CACHE_FILE)
    if len(train_data) == 0:
        raise DataFormatError(
            "no training question has its [topic] and an answer in the KB: do the names match?"
        )
    encode_seconds = time.perf_counter() - started

    question_dim = int(train_data.embeddings.shape[1])
    model = build_model(config, question_dim=question_dim, num_relations=index.num_relations)
    optimizer = build_adamw([(model, opt.lr)], weight_decay=opt.weight_decay)
    steps_per_epoch = (len(train_data) + opt.batch_size - 1) // opt.batch_size
    scheduler = build_scheduler(
        optimizer,
        total_steps=steps_per_epoch * opt.epochs,
        warmup_ratio=opt.warmup_ratio,
        kind=opt.schedule,
    )
    stopper = EarlyStopping(patience=opt.patience)
    first_epoch, step = 0, 0
    if resume and has_training_state(out_dir):
        loop = load_training_state(out_dir, model=model, optimizer=optimizer, scheduler=scheduler)
        first_epoch, step = int(loop["epoch"]) + 1, int(loop["step"])
        stopper.load_state_dict(loop["early_stopping"])
        started -= float(loop.get("elapsed_seconds", _previous_train_seconds(out_dir)))

    exclude = not config.data.topic_can_be_answer
    adjacency = index.adjacency
    logger = MetricsLogger(out_dir)
    meta = {"relations": index.relations, "question_dim": question_dim}
    for epoch in range(first_epoch, opt.epochs):
        if stopper.should_stop:
            break
        model.train()
        order = torch.randperm(len(train_data)).tolist()
        total = 0.0
        bar = tqdm(range(0, len(order), opt.batch_size), desc=f"epoch {epoch + 1}/{opt.epochs}")
        for start in bar:
            rows = order[start : start + opt.batch_size]
            topic = indicator_rows([train_data.topics[i] for i in rows], index.num_entities)
            answers = indicator_rows([train_data.answers[i] for i in rows], index.num_entities)
            out = model(
                train_data.embeddings[rows],
                topic,
                adjacency,
                exclude_topic=exclude,
                revisit_topic=config.data.topic_in_paths,
                answers=answers,
            )
            assert out.loss is not None
            optimizer.zero_grad()
            out.loss.backward()
            if opt.grad_clip > 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), opt.grad_clip)
            optimizer.step()
            scheduler.step()
            step += 1
            total += float(out.loss)
            bar.set_postfix(loss=f"{total / (start // opt.batch_size + 1):.4f}")
        hits, _ = score_encoded(
            model,
            val_data,
            index,
            exclude_topic=exclude,
            revisit_topic=config.data.topic_in_paths,
            batch_size=config.inference.eval_batch_size,
            thresholds=(0.5,),
        )
        val_hits = 100.0 * sum(hits) / max(len(hits), 1)
        logger.log(
            step,
            {
                "epoch": epoch + 1,
                "train_loss": total / max(steps_per_epoch, 1),
                "val_hits_at_1": val_hits,
            },
        )
        if stopper.step(val_hits, epoch):
            save_reasoner(
                out_dir,
                model,
                config,
                relations=index.relations,
                question_dim=question_dim,
                threshold=0.5,
            )
        save_training_state(
            out_dir,
            model_state=model.state_dict(),
            optimizer=optimizer,
            scheduler=scheduler,
            loop_state={
                "epoch": epoch,
                "step": step,
                "early_stopping": stopper.state_dict(),
                "elapsed_seconds": time.perf_counter() - started,
            },
        )
    logger.close()

    trained = load_reasoner(out_dir)
    hits, f1 = score_encoded(
        trained.model,
        val_data,
        index,
        exclude_topic=exclude,
        revisit_topic=config.data.topic_in_paths,
        batch_size=config.inference.eval_batch_size,
    )
    threshold, _ = best_threshold(f1)
    train_seconds = time.perf_counter() - started
    save_reasoner(
        out_dir,
        trained.model,
        config,
        relations=index.relations,
        question_dim=question_dim,
        threshold=threshold,
        extra={
            "train_seconds": round(train_seconds, 1),
            "encode_seconds": round(encode_seconds, 1),
            "best_epoch": stopper.best_epoch + 1,
        },
    )
    metrics = summarise(val_data.records, hits, f1[threshold], threshold)
    metrics.update(
        train_seconds=round(train_seconds, 1),
        encode_seconds=round(encode_seconds, 1),
        best_epoch=stopper.best_epoch + 1,
        skipped_validation=val_data.skipped,
        skipped_train=train_data.skipped,
        peak_rss_mb=peak_rss_mb(),
        **{"meta": meta},
    )
    write_json(out_dir / "metrics.json", metrics)
    return metrics


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
