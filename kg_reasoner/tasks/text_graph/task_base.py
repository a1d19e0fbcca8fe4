"""The runner shared by ``classification`` and ``multiple_choice`` under the Task protocol.

A subclass says how its files are read into :class:`ScoredExample` records, how many outputs
the model has and how predictions are scored; this class does the rest: subgraph retrieval
and node features when the config has a graph, the model (:class:`LMGraphScorer`, the LM under
its freezing policy), shuffled batches, validation accuracy for early stopping, predictions with
explanations, and the final dev / test scores after training.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import torch
from torch import nn

from kg_reasoner.errors import DataFormatError, ModelLoadError
from kg_reasoner.models.freezing import apply_freezing
from kg_reasoner.models.lm_gnn import LMGraphScorer
from kg_reasoner.models.text_encoder import load_tokenizer_and_model
from kg_reasoner.tasks.text_graph.collate import collate_scored
from kg_reasoner.tasks.text_graph.examples import ScoredExample
from kg_reasoner.tasks.text_graph.explanations import explain
from kg_reasoner.tasks.text_graph.graph_inputs import GraphContext, RetrievedSplit
from kg_reasoner.training.checkpoint import load_model, write_json
from kg_reasoner.training.device import model_device, move_to_device
from kg_reasoner.training.loop import FitResult
from kg_reasoner.training.seed import seed_everything
from kg_reasoner.training.task import FitPlan, prepared

SELECT = "accuracy"


class PreparedSplit:
    """Examples of one split with their subgraphs (None without a graph)."""

    def __init__(self, examples: list[ScoredExample], retrieved: RetrievedSplit | None) -> None:
        self.examples = examples
        self.retrieved = retrieved
        self.starts = [0]
        for example in examples:
            self.starts.append(self.starts[-1] + len(example.texts))

    def __len__(self) -> int:
        return len(self.examples)

    def subgraphs(self, rows: Sequence[int]) -> list[Any] | None:
        if self.retrieved is None:
            return None
        subs = self.retrieved.subgraphs
        return [s for r in rows for s in subs[self.starts[r] : self.starts[r + 1]]]


class TextGraphTask:
    """Base of the classification and multiple-choice tasks (subclasses fill the hooks)."""

    name = ""
    config_class: Any = None

    def __init__(self) -> None:
        self._config: Any = None
        self.tokenizer: Any = None
        self.graph: GraphContext | None = None
        self.labels: list[str] = []
        self.splits: dict[str, PreparedSplit] = {}
        self.stats: dict[str, Any] = {}
        self._started = 0.0

    # hooks -------------------------------------------------------------------------------
    def read_split(self, path: Path, *, limit: int | None) -> list[Any]:
        """Records of one data file."""
        raise NotImplementedError

    def label_vocabulary(self, train: list[Any]) -> list[str]:
        """Class names (classification) or [] (multiple choice)."""
        raise NotImplementedError

    def to_example(self, record: Any) -> ScoredExample:
        raise NotImplementedError

    @property
    def out_channels(self) -> int:
        raise NotImplementedError

    #: True: every example is a question with choices, each (question, choice) scored once
    multiple_choice = False
    #: True: the dev scores of the best epoch are final (no per-class report to add)
    dev_scores_from_fit = False

    def scores(
        self, examples: Sequence[ScoredExample], probabilities: torch.Tensor, *, report: bool
    ) -> dict[str, Any]:
        """Metrics of predictions (``accuracy`` in percent always; a report when asked)."""
        raise NotImplementedError

    def data_files(self, config: Any) -> dict[str, Path | None]:
        """``train``, ``dev`` and ``test`` files of the config (dev and test may be None)."""
        return config.data.files()  # type: ignore[no-any-return]

    def data_limits(self, config: Any) -> dict[str, int | None]:
        return config.data.limits()  # type: ignore[no-any-return]

    # protocol ----------------------------------------------------------------------------
    @property
    def config(self) -> Any:
        return prepared(self._config, f"{type(self).__name__}.prepare(config)")

    def prepare(self, config: Any, *, resume: bool) -> None:
        """Read the splits, load the tokenizer and, with a graph, retrieve every subgraph and
        embed its node labels."""
        self._config = config
        self._started = time.perf_counter()
        files, limits = self.data_files(config), self.data_limits(config)
        records = {name: self.read_split(path, limit=limits[name])
                   for name, path in files.items() if path is not None}
        if not records.get("train"):
            raise DataFormatError(f"no training examples in {files['train']}")
        if "dev" not in records:  # hold out a fixed slice of train for early stopping
            order = list(range(len(records["train"])))
            random.Random(config.training.seed).shuffle(order)
            cut = max(1, round(len(order) * config.data.validation_fraction))
            held = set(order[:cut])
            records["dev"] = [r for i, r in enumerate(records["train"]) if i in held]
            records["train"] = [r for i, r in enumerate(records["train"]) if i not in held]
        self.labels = self.label_vocabulary(records["train"])
        self.tokenizer, _ = load_tokenizer_and_model(config.encoder.name)
        if config.graph is not None and self.graph is None:
            self.graph = GraphContext(config.graph, config.encoder, progress=config.progress)
        self.splits = {}
        retrieval_seconds = 0.0
        for name, recs in records.items():
            split = self.prepare_examples([self.to_example(r) for r in recs], key=name)
            if split.retrieved is not None:
                retrieval_seconds += split.retrieved.seconds
            self.splits[name] = split
        self.stats = {"examples": {n: len(s) for n, s in self.splits.items()}}
        if self.graph is not None:
            train = self.splits["train"].retrieved
            assert train is not None
            every = [s.retrieved for s in self.splits.values() if s.retrieved is not None]
            self.stats.update(
                retrieval_seconds=round(retrieval_seconds, 2),
                nodes_per_subgraph=round(
                    sum(r.nodes_per_subgraph * len(r.subgraphs) for r in every)
                    / max(sum(len(r.subgraphs) for r in every), 1), 2),
                grounded_fraction={n: round(s.retrieved.grounded_fraction, 4)
                                   for n, s in self.splits.items() if s.retrieved is not None},
                graph_relations=self.graph.num_relations,
            )
        self.stats["prepare_seconds"] = round(time.perf_counter() - self._started, 2)

    def prepare_examples(self, examples: list[ScoredExample], *, key: str) -> PreparedSplit:
        """Retrieve (and embed) the subgraphs of new examples when the run has a graph."""
        retrieved = None
        if self.graph is not None:
            retrieved = self.graph.retrieve([e.item for e in examples], key=key)
            self.graph.add_features(retrieved.subgraphs)
        return PreparedSplit(examples, retrieved)

    def prepare_unseen(self, examples: list[ScoredExample]) -> PreparedSplit:
        """New examples to predict: grounded and retrieved one by one, nothing cached."""
        if self.graph is None:
            return PreparedSplit(examples, None)
        subs = [s for e in examples for s in self.graph.retrieve_one(*e.item)]
        self.graph.add_features(subs)
        return PreparedSplit(examples, RetrievedSplit(subs, 0.0))

    def model_meta(self) -> dict[str, Any]:
        """What :meth:`build_model` needs besides the config (saved in ``config.json``)."""
        meta: dict[str, Any] = {"labels": self.labels}
        if self.graph is not None:
            meta.update(num_relations=self.graph.num_relations,
                        node_channels=self.graph.node_channels(),
                        graph_fingerprint=self.graph.graph.fingerprint)
        return meta

    def build_model(self) -> LMGraphScorer:
        optim = self.config.training
        seed_everything(optim.seed, deterministic=optim.deterministic,
                        num_threads=optim.num_threads)
        return build_scorer(self.config, self.model_meta(), self.out_channels)

    def batch(self, split: PreparedSplit, rows: Sequence[int], *, labels: bool) -> dict[str, Any]:
        config = self.config
        examples = [split.examples[r] for r in rows]
        num_choices = None
        if self.multiple_choice:
            num_choices = len(examples[0].texts)
            if any(len(e.texts) != num_choices for e in examples):
                raise DataFormatError("every question of a batch needs the same number of choices")
        gold = None
        if labels:
            gold = [e.gold for e in examples]
            if any(g is None for g in gold):
                bad = next(e for e in examples if e.gold is None)
                raise DataFormatError(f"{bad.source}: no label / answer to train or score on")
        texts = [t for e in examples for t in e.texts]
        subgraphs = split.subgraphs(rows)
        if self.graph is not None and subgraphs and self.graph.config.text_descriptions:
            texts = [
                (t[0], self.graph.described_choice(t[1], sub)) if isinstance(t, tuple) else t
                for t, sub in zip(texts, subgraphs, strict=True)
            ]
        return collate_scored(
            self.tokenizer, texts,
            max_length=config.encoder.max_length, subgraphs=subgraphs,
            features_of=self.graph.features_of if self.graph is not None else None,
            labels=gold,  # type: ignore[arg-type]
            num_choices=num_choices,
        )

    def train_data(self) -> Callable[[int], Iterable[dict[str, Any]]]:
        optim = self.config.training
        split = self.splits["train"]

        def batches(epoch: int) -> Iterator[dict[str, Any]]:
            order = list(range(len(split)))
            random.Random(optim.seed + epoch).shuffle(order)
            for start in range(0, len(order), optim.batch_size):
                yield self.batch(split, order[start : start + optim.batch_size], labels=True)

        return batches

    def fit_plan(self, model: nn.Module) -> FitPlan:
        assert isinstance(model, LMGraphScorer)
        optim = self.config.training
        return FitPlan(
            select=SELECT,
            checkpoint_config={"task": self.name, "config": self.config.model_dump(mode="json"),
                               **self.model_meta()},
            vocab={"labels": self.labels},
            param_groups=[(model.lm, optim.encoder_lr or optim.lr), (model, optim.lr)],
            steps_per_epoch=-(-len(self.splits["train"]) // optim.batch_size),
            progress=self.config.progress,
        )

    @torch.no_grad()
    def probabilities(
        self, model: nn.Module, split: PreparedSplit, *, attention: bool = False
    ) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """(n, classes or choices) probabilities on cpu and, when asked, the node attention of
        every scored text's subgraph; batches go to the model's device."""
        model.eval()
        device = model_device(model)
        per_example = len(split.examples[0].texts) if split.examples else 1
        size = max(1, self.config.encoder.batch_size // per_example)
        chunks: list[torch.Tensor] = []
        weights: list[torch.Tensor] = []
        for start in range(0, len(split), size):
            rows = list(range(start, min(start + size, len(split))))
            out = model(**move_to_device(self.batch(split, rows, labels=False), device))
            chunks.append(out.logits.softmax(-1).cpu())
            subs = split.subgraphs(rows)
            if attention and subs is not None and out.node_attention is not None:
                weights.extend(out.node_attention.cpu().split([int(s.nodes.numel())
                                                               for s in subs]))
        return (torch.cat(chunks) if chunks else torch.zeros(0, 0)), weights

    def evaluate(self, model: nn.Module) -> dict[str, float]:
        """Dev accuracy in percent (the selection metric) and the task's summary scores."""
        split = self.splits["dev"]
        probs, _ = self.probabilities(model, split)
        return {k: float(v) for k, v in self.scores(split.examples, probs, report=False).items()
                if isinstance(v, (int, float))}

    def predict(self, model: nn.Module, inputs: list[Any]) -> list[dict[str, Any]]:
        """For each input record: the answer, its probability and, with a graph, the nodes
        and paths its subgraph's read-out attended to."""
        split = self.prepare_examples([self.to_example(r) for r in inputs], key="predict")
        return self.predictions(model, split)

    def predictions(self, model: nn.Module, split: PreparedSplit, *, top: int = 5
                    ) -> list[dict[str, Any]]:
        probs, weights = self.probabilities(model, split, attention=True)
        out = []
        for row, example in enumerate(split.examples):
            best = int(probs[row].argmax())
            entry: dict[str, Any] = {"answer": self.answer_name(example, best),
                                     "index": best, "probability": round(float(probs[row, best]),
                                                                         4),
                                     "probabilities": [round(float(p), 4) for p in probs[row]]}
            subs = split.subgraphs([row])
            if subs is not None and weights and self.graph is not None:
                chosen = best if self.multiple_choice else 0
                first = split.starts[row]
                entry["explanation"] = explain(subs[chosen], weights[first + chosen],
                                               self.graph.graph, top=top)
            out.append(entry)
        return out

    def answer_name(self, example: ScoredExample, index: int) -> str:
        return self.labels[index]

    def post_fit(self, model: nn.Module, fit_result: FitResult) -> dict[str, Any]:
        """Reload the best epoch; full dev (and test) scores with reports; ``metrics.json``."""
        out_dir = Path(self.config.output_dir)
        state, _, _ = load_model(out_dir)
        model.load_state_dict(state)
        metrics: dict[str, Any] = {"best_epoch": fit_result.best_epoch,
                                   "train_seconds": round(fit_result.train_seconds, 1)}
        for name in ("dev", "test"):
            if name == "dev" and self.dev_scores_from_fit and fit_result.best_metrics:
                metrics["dev"] = dict(fit_result.best_metrics)  # the same scores, not rerun
            elif name in self.splits:
                probs, _ = self.probabilities(model, self.splits[name])
                metrics[name] = self.scores(self.splits[name].examples, probs, report=True)
        metrics[SELECT] = metrics["dev"][SELECT]
        metrics.update(self.stats)
        metrics["total_seconds"] = round(time.perf_counter() - self._started, 1)
        write_json(out_dir / "metrics.json", metrics)
        return metrics


def build_scorer(config: Any, meta: dict[str, Any], out_channels: int) -> LMGraphScorer:
    """The model a config and its run metadata describe; the LM starts from its pretrained
    weights under the config's freezing policy."""
    _, language_model = load_tokenizer_and_model(config.encoder.name)
    apply_freezing(language_model, config.encoder.freeze.policy, config.encoder.freeze.top_k)
    adversarial = config.training.adversarial
    graph: dict[str, Any] = {}
    if config.graph is not None:
        model = config.model
        graph = {
            "num_relations": int(meta["num_relations"]),
            "node_channels": int(meta["node_channels"]),
            "graph_encoder": model.graph_encoder, "graph_hidden": model.graph_hidden,
            "graph_layers": model.graph_layers,
            "graph_encoder_options": model.graph_encoder_options, "fusion": model.fusion,
            "interaction_layers": model.interaction_layers, "hidden": model.hidden,
        }
    return LMGraphScorer(
        language_model=language_model, out_channels=out_channels,
        pooling=config.encoder.pooling, dropout=config.model.dropout,
        adversarial_epsilon=adversarial.epsilon if adversarial is not None else None, **graph,
    )


def load_scorer(task: TextGraphTask, run_dir: str | Path) -> tuple[Any, LMGraphScorer]:
    """The config and trained model of a run directory of ``task``."""
    run_dir = Path(run_dir)
    state, saved, _ = load_model(run_dir)
    if saved.get("task") != task.name or "config" not in saved:
        raise ModelLoadError(f"{run_dir} is not a {task.name} run (config.json task != "
                             f"{task.name})")
    config = task.config_class.model_validate(saved["config"])
    task.labels = list(saved.get("labels", []))
    model = build_scorer(config, saved, task.out_channels)
    model.load_state_dict(state)
    return config, model.eval()


def loaded_task(task: TextGraphTask, run_dir: str | Path) -> nn.Module:
    """Load the trained model of ``run_dir`` and make ``task`` ready to predict with it
    (config, labels, tokenizer, graph) without reading its data; returns the model."""
    config, model = load_scorer(task, run_dir)
    task._config = config
    task.tokenizer, _ = load_tokenizer_and_model(config.encoder.name)
    if config.graph is not None:
        task.graph = GraphContext(config.graph, config.encoder, progress=config.progress)
    return model


def evaluate_run(
    task: TextGraphTask, run_dir: str | Path, data_path: str | Path | None, *, split: str
) -> dict[str, Any]:
    """The task's scores (with the report) of a run on a file, or on its config's ``dev`` /
    ``test`` file (``validation`` means dev)."""
    model = loaded_task(task, run_dir)
    if data_path is None:
        name = "dev" if split in ("dev", "validation") else split
        path = task.config.data.files().get(name)
        if path is None:
            raise DataFormatError(f"the config has no {split!r} file; pass a data file")
        data_path = path
    records = task.read_split(Path(data_path), limit=None)
    prepared = task.prepare_examples([task.to_example(r) for r in records], key="eval")
    probs, _ = task.probabilities(model, prepared)
    return task.scores(prepared.examples, probs, report=True)
