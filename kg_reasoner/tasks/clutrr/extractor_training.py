"""Training the kinship extractor, running it over stories, and scoring the extracted edges."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import torch

from kg_reasoner.errors import ModelConfigError
from kg_reasoner.models.kinship_extractor import KinshipExtractor
from kg_reasoner.models.text_encoder import EncoderTop
from kg_reasoner.tasks.clutrr.collate import PreparedSplit
from kg_reasoner.tasks.clutrr.config import ExtractorConfig
from kg_reasoner.tasks.clutrr.extractor import (
    NONE_LABEL,
    PairInstance,
    collate_pairs,
    graphs_from_pairs,
    pair_instances,
    predict_pairs,
    sentence_pairs,
)
from kg_reasoner.tasks.clutrr.kinship import GENDERS, RELATIONS
from kg_reasoner.tasks.clutrr.story_graph import StoryGraph, TextWindow
from kg_reasoner.training.loop import fit
from kg_reasoner.training.metrics import set_f1
from kg_reasoner.training.seed import seed_everything

EXTRACTOR_DIR = "extractor"


def split_instances(split: PreparedSplit, *, labelled: bool) -> list[PairInstance]:
    return pair_instances(
        split.windows, split.window_ids, [e.genders for e in split.examples],
        split.gold if labelled else None,
    )


def build_extractor(
    config: ExtractorConfig, input_size: int, language_model: torch.nn.Module | None = None
) -> KinshipExtractor:
    """The extractor of ``config``; ``language_model`` (the HF model) when its top blocks are
    fine-tuned (``freeze.policy: top_k``)."""
    top = None
    if config.freeze.policy == "top_k":
        if language_model is None:
            raise ModelConfigError("freeze.policy top_k needs the language model")
        top = EncoderTop(language_model, config.freeze.top_k)
    return KinshipExtractor(
        input_size=input_size, hidden=config.hidden, heads=config.heads, dropout=config.dropout,
        num_relations=len(RELATIONS), num_genders=len(GENDERS),
        context_tokens=config.context_tokens, layers=config.layers, top=top,
    )


def train_extractor(
    train: PreparedSplit,
    validation: PreparedSplit,
    config: ExtractorConfig,
    output_dir: Path,
    *,
    language_model: torch.nn.Module | None = None,
    encoder_name: str | None = None,
    resume: bool = True,
    progress: bool = True,
) -> tuple[KinshipExtractor, dict[str, float]]:
    """Fit the extractor on gold-labelled mention pairs; keep the best validation pair F1."""
    optim = config.training
    seed_everything(optim.seed, deterministic=optim.deterministic, num_threads=optim.num_threads)
    assert train.window_features is not None and validation.window_features is not None
    train_pairs = split_instances(train, labelled=True)
    val_pairs = split_instances(validation, labelled=True)
    model = build_extractor(config, train.window_features.states.shape[1], language_model)
    groups = None
    if model.top is not None:  # pretrained blocks at the encoder rate, the rest at lr
        groups = [(model.top, optim.encoder_lr or optim.lr), (model, optim.lr)]

    def batches(epoch: int) -> Iterator[dict[str, torch.Tensor]]:
        for group in window_batches(train_pairs, optim.batch_size, optim.seed + epoch):
            yield collate_pairs([train_pairs[i] for i in group], train.flat_windows,
                                train.window_features)

    def evaluate(module: torch.nn.Module) -> dict[str, float]:
        assert isinstance(module, KinshipExtractor)
        probs = predict_pairs(module, val_pairs, validation.flat_windows,
                              validation.window_features)
        return pair_scores(val_pairs, probs)

    steps = len(window_batches(train_pairs, optim.batch_size, optim.seed))
    result = fit(
        model, train_data=batches, evaluate=evaluate, optim=optim,
        output_dir=output_dir / EXTRACTOR_DIR,
        config={"kind": "clutrr_kinship_extractor", **config.model_dump(),
                "input_size": train.window_features.states.shape[1], "encoder": encoder_name},
        vocab={"labels": ["none", *RELATIONS]}, select="pair_f1", steps_per_epoch=steps,
        resume=resume, progress=progress, param_groups=groups,
    )
    return model, result.best_metrics


def window_batches(instances: list[PairInstance], size: int, seed: int) -> list[list[int]]:
    """Shuffled batches of about ``size`` pairs made of whole windows, so that each window's
    token states are projected once per batch."""
    by_window: dict[int, list[int]] = {}
    for index, pair in enumerate(instances):
        by_window.setdefault(pair.window, []).append(index)
    groups = list(by_window.values())
    random.Random(seed).shuffle(groups)
    batches: list[list[int]] = [[]]
    for group in groups:
        if len(batches[-1]) >= size:
            batches.append([])
        batches[-1].extend(group)
    return [b for b in batches if b]


def pair_scores(instances: list[PairInstance], probs: torch.Tensor) -> dict[str, float]:
    """Accuracy and micro F1 over relation labels (``none`` is the negative class)."""
    gold = torch.tensor([p.label for p in instances])
    pred = probs.argmax(-1)
    correct = (pred == gold) & (gold != NONE_LABEL)
    n_pred, n_gold = int((pred != NONE_LABEL).sum()), int((gold != NONE_LABEL).sum())
    precision = int(correct.sum()) / n_pred if n_pred else 0.0
    recall = int(correct.sum()) / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pair_accuracy": float((pred == gold).float().mean()) if len(gold) else 0.0,
            "pair_precision": precision, "pair_recall": recall, "pair_f1": f1}


def extract_graphs(
    model: KinshipExtractor, split: PreparedSplit, *, threshold: float = 0.5
) -> list[StoryGraph]:
    """Run the extractor over every window of every story and build one graph per story."""
    assert split.window_features is not None
    instances = split_instances(split, labelled=False)
    probs = predict_pairs(model, instances, split.flat_windows, split.window_features)
    return graphs_from_pairs(
        instances, probs, split.people, [e.genders for e in split.examples], threshold=threshold,
        statements=[stating_sentences([split.flat_windows[w] for w in ids])
                    for ids in split.window_ids],
    )


def stating_sentences(windows: list[TextWindow]) -> dict[frozenset[str], int]:
    """For each pair of people, in how many of the story's sentences both are named."""
    sentences: dict[frozenset[str], set[int]] = {}
    for window in windows:
        for a, b, sentence in sentence_pairs(window):
            sentences.setdefault(frozenset((a, b)), set()).add(sentence)
    return {pair: len(found) for pair, found in sentences.items()}


def edge_f1(gold: list[StoryGraph], predicted: list[StoryGraph]) -> dict[str, float]:
    """Typed directed edge P/R/F1 against the gold graphs (gold edges + gendered inverses)."""
    return set_f1([_typed_edges(g) for g in gold], [_typed_edges(g) for g in predicted])


def _typed_edges(graph: StoryGraph) -> set[tuple[str, str, str]]:
    return {
        (graph.names[u], graph.relation_of(e), graph.names[v])
        for e, (u, v) in enumerate(graph.edges)
    }
