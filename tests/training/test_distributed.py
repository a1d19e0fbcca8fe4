"""Training under torchrun: sharding, the one-process no-op, and two real gloo ranks that end
where one process with the same global batch ends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import yaml
from pydantic import ValidationError
from safetensors.torch import load_file

from kg_reasoner.errors import ConfigError
from kg_reasoner.training.config import OptimConfig
from kg_reasoner.training.device import resolve_device
from kg_reasoner.training.distributed import (
    DistributedContext,
    init_distributed,
    is_main_process,
    shard_batches,
    shard_steps,
    shard_train_data,
)

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("ddp_worker.py")
TORCHRUN = Path(sys.executable).with_name("torchrun")
# two gloo ranks sum float32 gradients in another order than one process: a few ulps apart
PARAMETER_TOLERANCE = 1e-6


def _ranks(world_size: int) -> list[DistributedContext]:
    return [DistributedContext(rank=r, world_size=world_size) for r in range(world_size)]


def test_each_rank_takes_a_disjoint_shard_of_equal_length() -> None:
    batches = list(range(11))
    shards = [list(shard_batches(batches, len(batches), ctx)) for ctx in _ranks(3)]
    assert shards == [[0, 3, 6], [1, 4, 7], [2, 5, 8]]  # the tail (9, 10) is dropped
    assert shard_steps(11, _ranks(3)[0]) == 3


def test_one_process_keeps_every_batch_and_the_same_train_data() -> None:
    one = DistributedContext()
    data = [1, 2, 3]
    assert list(shard_batches(data, 3, one)) == [1, 2, 3]
    assert shard_train_data(data, 3, one) is data
    assert shard_steps(3, one) == 3


def test_fewer_batches_than_ranks_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"training\.batch_size"):
        shard_steps(1, _ranks(2)[0])


def test_without_torchrun_init_is_a_no_op(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK"):
        monkeypatch.delenv(name, raising=False)
    context = init_distributed(torch.device("cpu"))
    assert context == DistributedContext()
    assert not context.enabled and context.is_main
    assert not torch.distributed.is_initialized()
    assert is_main_process()


def test_only_rank_zero_of_torchruns_environment_is_main(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RANK", "1")
    assert not is_main_process()
    monkeypatch.setenv("RANK", "0")
    assert is_main_process()


def test_training_device_is_auto_cpu_or_cuda() -> None:
    assert OptimConfig().device == "auto"
    assert OptimConfig(device="cpu").device == "cpu"
    with pytest.raises(ValidationError):
        OptimConfig(device="gpu")  # type: ignore[arg-type]
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto").type == expected


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    env["OMP_NUM_THREADS"] = "1"
    return env


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=_env(), capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def _torchrun(*args: str) -> list[str]:
    launcher = [str(TORCHRUN)] if TORCHRUN.exists() else [sys.executable, "-m",
                                                           "torch.distributed.run"]
    return [*launcher, "--standalone", "--nproc_per_node=2", *args]


def _files(directory: Path) -> list[str]:
    """The files of a run directory (TensorBoard's, whose names carry the host, counted)."""
    files = sorted(str(p.relative_to(directory)) for p in directory.rglob("*")
                   if p.is_file() and "tensorboard" not in p.parts)
    events = len(list((directory / "tensorboard").glob("*")))
    return [*files, f"tensorboard: {events} file(s)"]


@pytest.mark.slow
def test_two_ranks_end_with_the_parameters_of_one_process_at_the_same_global_batch(
    tmp_path: Path,
) -> None:
    _run([sys.executable, str(WORKER), str(tmp_path / "one"), "8", str(tmp_path / "p1")],
         tmp_path)
    _run(_torchrun(str(WORKER), str(tmp_path / "two"), "4", str(tmp_path / "p2")), tmp_path)
    single = load_file(str(tmp_path / "p1" / "rank0.safetensors"))
    rank0 = load_file(str(tmp_path / "p2" / "rank0.safetensors"))
    rank1 = load_file(str(tmp_path / "p2" / "rank1.safetensors"))
    assert set(single) == set(rank0) == set(rank1)
    for name, value in single.items():
        assert torch.equal(rank0[name], rank1[name]), name  # DDP keeps the ranks identical
        torch.testing.assert_close(rank0[name], value, rtol=0, atol=PARAMETER_TOLERANCE)
    # the run directory is rank 0's alone: the same files as one process, one log row per epoch
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    rows = (tmp_path / "two" / "metrics.csv").read_text(encoding="utf-8").strip().splitlines()
    assert [r.split(",")[1] for r in rows[1:]] == ["1", "2", "3"]


@pytest.mark.slow
def test_a_real_task_trains_under_torchrun_resumes_and_its_run_loads(tmp_path: Path) -> None:
    from kg_reasoner.pipelines.training import load_run
    from tests.tasks.kgqa.fixture import tiny_config, write_tiny_encoder

    encoder = write_tiny_encoder(tmp_path / "encoder")
    data = tiny_config(tmp_path, encoder, epochs=2)
    config = tmp_path / "kgqa.yaml"
    config.write_text(yaml.safe_dump(data), encoding="utf-8")
    done = _run(_torchrun("-m", "kg_reasoner", "train", str(config)), tmp_path)
    assert done.stdout.count('"task": "kgqa"') == 1  # rank 0 prints the result, once
    run = tmp_path / "run"
    trained = _files(run)
    # a one-process run of the same config writes the same files: rank 1 wrote nothing extra
    _run([sys.executable, "-m", "kg_reasoner", "train", str(config), "--set",
          f"output_dir={tmp_path / 'single'}"], tmp_path)
    assert trained == _files(tmp_path / "single")
    # resume: a third epoch continues the log of the first two under torchrun
    _run(_torchrun("-m", "kg_reasoner", "train", str(config), "--set", "training.epochs=3"),
         tmp_path)
    rows = (run / "metrics.csv").read_text(encoding="utf-8").strip().splitlines()
    assert [r.split(",")[1] for r in rows[1:]] == ["1", "2", "3"]
    loaded = load_run(run)
    assert loaded.task == "kgqa"
    assert loaded.metrics["best_epoch"] in (1, 2, 3)
    assert set(loaded.metrics["hits_at_1"]) == {"1", "2"}


@pytest.mark.slow
def test_clutrr_with_an_extractor_trained_in_prepare_runs_under_torchrun(tmp_path: Path) -> None:
    from kg_reasoner.pipelines.training import load_run
    from tests.tasks.clutrr.fixture import tiny_config

    config = tmp_path / "clutrr.yaml"
    config.write_text(yaml.safe_dump(tiny_config(tmp_path)), encoding="utf-8")
    _run(_torchrun("-m", "kg_reasoner", "train", str(config)), tmp_path)
    _run([sys.executable, "-m", "kg_reasoner", "train", str(config), "--set",
          f"output_dir={tmp_path / 'single'}"], tmp_path)
    run, single = tmp_path / "run", tmp_path / "single"
    assert _files(run) == _files(single)
    # every rank trains the extractor in prepare, as one process does; rank 0 saves it
    extractor = load_file(str(run / "extractor" / "model.safetensors"))
    expected = load_file(str(single / "extractor" / "model.safetensors"))
    assert set(extractor) == set(expected)
    for name, value in expected.items():
        torch.testing.assert_close(extractor[name], value, rtol=0, atol=PARAMETER_TOLERANCE)
    loaded = load_run(run)
    assert loaded.task == "clutrr"
    assert set(loaded.metrics["test"]["accuracy_by_k"]) == {"2", "3"}
