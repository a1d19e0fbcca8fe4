"""`kgr train`, `kgr eval`, `kgr predict`, `kgr eval-extractor`: training workflow commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()


def register(app: typer.Typer) -> None:
    app.command(name="train")(train_command)
    app.command(name="eval")(eval_command)


def train_command(
    config: Annotated[Path, typer.Argument(help="YAML experiment config (see configs/)")],
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="dotted override, e.g. --set training.lr=1e-4 (repeatable)"),
    ] = None,
    no_resume: Annotated[
        bool, typer.Option("--no-resume", help="start from scratch even if output_dir has a run")
    ] = False,
) -> None:
    """Train a model from a YAML config; the `task:` key chooses what is trained.

    Examples:

        kgr train configs/conll04_extractor.yaml

        kgr train configs/clutrr_fused.yaml --set training.lr=1e-4 --set training.epochs=5

        kgr train configs/csqa_wordnet.yaml --set graph=null   # LM-only ablation

    Distributed (DistributedDataParallel; gloo on cpu, nccl on cuda), N processes per node,
    training.batch_size per process, rank 0 writing the run directory:

        torchrun --nproc_per_node=2 -m kg_reasoner train configs/metaqa.yaml

        torchrun --nnodes=2 --nproc_per_node=4 --rdzv-backend=c10d
        --rdzv-endpoint=HOST:29500 -m kg_reasoner train configs/metaqa.yaml

    The device is training.device (auto, cpu or cuda), e.g. --set training.device=cpu.
    """
    from kg_reasoner.pipelines.training import train
    from kg_reasoner.training.distributed import is_main_process

    result = train(config, set_, resume=not no_resume)
    if is_main_process():  # under torchrun every rank returns the same result: print it once
        console.print_json(json.dumps(result.to_dict(), default=str))


def eval_command(
    checkpoint: Annotated[Path, typer.Argument(help="run directory written by `kgr train`")],
    data: Annotated[
        Path | None, typer.Argument(help="data file or folder to score (default: the config's)")
    ] = None,
    split: Annotated[
        str, typer.Option(help="which split of the config's data when DATA is not given")
    ] = "validation",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="write the metrics JSON here")
    ] = None,
) -> None:
    """Evaluate a trained checkpoint; the task is read from its config.json.

    Examples:

        kgr eval runs/clutrr_fused/ ../shared/data/clutrr/train_k23/1.10_test.csv

        kgr eval runs/metaqa/ --split validation -o metrics.json

        kgr eval runs/csqa_wordnet/ ../shared/data/commonsenseqa/dev_inhouse.jsonl

        kgr eval runs/sample_classifier/ kg_data/sample_labelled_texts.csv
    """
    from kg_reasoner.pipelines.training import evaluate

    metrics = evaluate(checkpoint, data, split=split)
    text = json.dumps(metrics, indent=2, default=str)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    console.print_json(text)
