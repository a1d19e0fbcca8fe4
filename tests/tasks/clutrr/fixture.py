"""Tiny synthetic CLUTRR-style CSVs and a tiny BERT encoder saved to disk, for CLUTRR tests."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

from transformers import BertConfig, BertModel, BertTokenizerFast

MALE = ["Adam", "Bill", "Carl", "Dan", "Eric", "Fred", "Gus", "Hal"]
FEMALE = ["Amy", "Beth", "Cara", "Dora", "Eve", "Fay", "Gail", "Hope"]
SENTENCES = {
    "father": "[{u}] went fishing with her father [{v}].",
    "son": "[{u}] drove his son [{v}] to school.",
    "daughter": "[{u}] and her daughter [{v}] baked a cake.",
    "brother": "[{u}] played chess with her brother [{v}].",
    "sister": "[{u}] called his sister [{v}] yesterday.",
}
# (first relation, second relation) -> composed relation, genders of the three people
CHAINS = [
    (("father", "son"), "brother", ("female", "male", "male")),
    (("father", "daughter"), "sister", ("female", "male", "female")),
    (("brother", "son"), "nephew", ("female", "male", "male")),
    (("brother", "daughter"), "niece", ("female", "male", "female")),
]
COLUMNS = ["id", "story", "query", "target", "story_edges", "edge_types", "genders", "task_name"]


def _name(rng: random.Random, gender: str, used: set[str]) -> str:
    pool = [n for n in (MALE if gender == "male" else FEMALE) if n not in used]
    name = rng.choice(pool)
    used.add(name)
    return name


def _row(rng: random.Random, index: int, chain: tuple, k: int) -> dict[str, str]:
    (r1, r2), target, genders = chain
    used: set[str] = set()
    names = [_name(rng, g, used) for g in genders]
    relations = [r1, r2]
    if k == 3:  # prefix "the head's sister" so the chain has three edges: sister-father-...
        names = [_name(rng, "male", used), *names]
        relations = ["sister", *relations]
        genders = ("male", *genders)
    sentences = [SENTENCES[r].format(u=names[i], v=names[i + 1]) for i, r in enumerate(relations)]
    rng.shuffle(sentences)
    return {
        "id": f"s{index}",
        "story": " ".join(sentences),
        "query": repr((names[0], names[-1])),
        "target": target,
        "story_edges": repr([(i, i + 1) for i in range(len(relations))]),
        "edge_types": repr(relations),
        "genders": ",".join(f"{n}:{g}" for n, g in zip(names, genders, strict=True)),
        "task_name": f"task_1.{k}",
    }


def write_csv(path: Path, n: int, *, k: int = 2, seed: int = 0) -> Path:
    rng = random.Random(seed)
    rows = [_row(rng, i, CHAINS[i % len(CHAINS)], k) for i in range(n)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_tiny_encoder(directory: Path) -> Path:
    """A 2-layer, hidden-32 BERT with a word-level vocabulary covering the fixtures."""
    words = {w.strip(".,'[]").lower() for s in SENTENCES.values() for w in s.split()}
    words |= {n.lower() for n in MALE + FEMALE} | {"who", "is", "to", "?", "s", "'", "[", "]"}
    words |= set("abcdefghijklmnopqrstuvwxyz.,")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *sorted(w for w in words if w)]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(directory / "vocab.txt"))
    tokenizer.save_pretrained(str(directory))
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64)
    BertModel(config).save_pretrained(str(directory))
    return directory


def tiny_config(tmp_path: Path, **model: object) -> dict[str, Any]:
    """A tiny ``task: clutrr`` config (extracted graphs, path composition + gated text fusion)
    with its data and encoder written under ``tmp_path``."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    write_csv(data / "train.csv", 40, k=2, seed=1)
    write_csv(data / "1.2_test.csv", 8, k=2, seed=2)
    write_csv(data / "1.3_test.csv", 8, k=3, seed=3)
    return {
        "task": "clutrr",
        "output_dir": str(tmp_path / "run"),
        "data": {"root": str(data), "train_file": "train.csv",
                 "test_files": ["1.2_test.csv", "1.3_test.csv"], "validation_fraction": 0.2},
        "encoder": {"name": str(write_tiny_encoder(tmp_path / "enc")), "max_length": 48,
                    "cache_dir": str(tmp_path / "cache")},
        "graph": {"source": "extracted"},
        "extractor": {"hidden": 16, "heads": 2,
                      "training": {"epochs": 1, "batch_size": 16, "lr": 0.003}},
        "model": {"graph_encoder": "path_composition", "use_text": True, "fusion": "gated",
                  "hidden": 16, **model},
        "training": {"epochs": 2, "batch_size": 8, "lr": 0.03, "num_threads": 1},
        "progress": False,
    }
