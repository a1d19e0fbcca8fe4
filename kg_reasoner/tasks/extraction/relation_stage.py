"""The second stage of ``model.relation_model: markers``: training the typed-marker relation model.

It runs after the span model, whose best epoch has found the dev entities. The marker model is
fit with the shared loop (:func:`~kg_reasoner.training.loop.fit`) on every unordered pair of
gold entities of the training sentences (with ``use_signatures``, only pairs whose types some
relation takes): related pairs and, as negatives, all unrelated ones, both directions read
from one pass. Each epoch it is scored end-to-end, strictly, on the span model's predicted dev
entities, and the best epoch is kept in ``output_dir/relation`` (resumable like any run).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn
from tqdm.auto import tqdm

from kg_reasoner.errors import DataFormatError
from kg_reasoner.extraction.supervised.checkpoint import (
    RELATION_DIR,
    build_relation_model,
    relation_payload,
    relation_vocab,
    save_relation_files,
)
from kg_reasoner.extraction.supervised.data import Example
from kg_reasoner.extraction.supervised.pair_data import collate_entity_pairs, entity_pairs
from kg_reasoner.extraction.supervised.pair_predictor import MarkedRelationPredictor
from kg_reasoner.extraction.supervised.predictor import PredictedEntity
from kg_reasoner.extraction.supervised.scoring import summary
from kg_reasoner.extraction.supervised.vocab import LabelVocab
from kg_reasoner.tasks.extraction.collate import bucketed_batches
from kg_reasoner.tasks.extraction.config import ExtractionConfig
from kg_reasoner.tasks.extraction.metrics import SELECT, score_relation_stage
from kg_reasoner.training.checkpoint import load_model
from kg_reasoner.training.distributed import is_main_process
from kg_reasoner.training.loop import FitResult, fit
from kg_reasoner.training.seed import seed_everything


@dataclass
class RelationStageResult:
    """The trained stage (best epoch loaded), how its fit went, and its training pairs."""

    predictor: MarkedRelationPredictor
    fit: FitResult
    train_pairs: int

    def summary(self) -> dict[str, Any]:
        """Timings and the training speed (pairs/s over the epochs run, evaluation excluded)."""
        seconds = self.fit.train_seconds
        passes = self.train_pairs * self.fit.epochs_run
        return {
            "best_epoch": self.fit.best_epoch,
            "epochs_run": self.fit.epochs_run,
            "train_seconds": round(seconds, 1),
            "train_pairs": self.train_pairs,
            "train_pairs_per_s": round(passes / seconds, 1) if seconds > 0 else None,
        }


def train_relation_stage(
    config: ExtractionConfig,
    vocab: LabelVocab,
    train_set: Sequence[Example],
    dev_set: list[Example],
    dev_entities: Sequence[Sequence[PredictedEntity]],
    *,
    resume: bool = True,
) -> RelationStageResult:
    """Fit the marker relation model; ``dev_entities`` are the span model's dev predictions."""
    stage, settings = config.relation_stage, config.model
    opt = stage.training
    seed_everything(opt.seed, deterministic=opt.deterministic, num_threads=opt.num_threads)
    model = build_relation_model(
        settings, vocab, freeze=stage.freeze.policy, top_k=stage.freeze.top_k
    )
    if stage.freeze.embeddings:
        model.encoder.get_input_embeddings().weight.requires_grad = False
    out = Path(config.output_dir)
    if is_main_process():
        save_relation_files(out, model)
    predictor = MarkedRelationPredictor(
        model,
        vocab,
        threshold=settings.markers.threshold,
        use_signatures=settings.use_signatures,
        batch_size=opt.eval_batch_size,
    )
    pairs = entity_pairs(train_set, vocab.relation_types, allowed=predictor.allowed)
    if not pairs:
        raise DataFormatError(
            f"{config.data.train} has no pair of entities a relation could hold: nothing for "
            "the marker relation model to learn"
        )
    lengths = [len(train_set[p.example].tokens) for p in pairs]
    marker = model.marker_tokenizer

    def batches(epoch: int) -> Iterator[dict[str, torch.Tensor]]:
        rng = random.Random(opt.seed * 1_000_003 + epoch)
        for idx in bucketed_batches(lengths, opt.batch_size, rng):
            yield collate_entity_pairs(marker, train_set, [pairs[i] for i in idx])

    def evaluate(module: nn.Module) -> dict[str, float]:
        scores: dict[str, float] = summary(score_relation_stage(predictor, dev_set, dev_entities))
        scores[SELECT] = scores["relation_f1_micro"]
        tqdm.write(
            "dev (marker relations on predicted entities): relation F1 micro "
            "{relation_f1_micro:.2f}  macro {relation_f1_macro:.2f}".format(**scores)
        )
        return scores

    where = out / RELATION_DIR
    fitted = fit(
        model,
        train_data=batches,
        evaluate=evaluate,
        optim=opt,
        output_dir=where,
        config=relation_payload(
            settings,
            encoder=settings.markers.encoder or settings.encoder,
            relation_stage=stage.model_dump(),
        ),
        vocab=relation_vocab(model, vocab),
        param_groups=[(model.encoder, opt.encoder_lr or opt.lr), (model, opt.lr)],
        select=SELECT,
        steps_per_epoch=-(-len(pairs) // opt.batch_size),
        resume=resume,
    )
    if (where / "model.safetensors").is_file():
        model.load_state_dict(load_model(where)[0])
    model.eval()
    return RelationStageResult(predictor, fitted, len(pairs))
