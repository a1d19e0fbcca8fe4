"""Tiny data for the classification and multiple-choice tests: labelled texts, questions, a
subject|relation|object KG about them and a 2-layer BERT whose vocabulary covers them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.tiny_encoder import write_tiny_bert

KG = """dog|is_a|animal
cat|is_a|animal
animal|needs|food
car|is_a|vehicle
bus|is_a|vehicle
vehicle|needs|fuel
dog|eats|bone
"""

TEXTS = [
    ("the dog eats a bone", "animal"), ("a cat needs food", "animal"),
    ("my dog runs fast", "animal"), ("the cat sleeps", "animal"),
    ("the car needs fuel", "vehicle"), ("a bus is slow", "vehicle"),
    ("my car runs fast", "vehicle"), ("the bus stops", "vehicle"),
]

QUESTIONS = [
    ("what does a dog eat", ["bone", "fuel", "bus"], 0),
    ("what does a car need", ["food", "fuel", "cat"], 1),
    ("what is a cat", ["vehicle", "bone", "animal"], 2),
    ("what is a bus", ["vehicle", "animal", "food"], 0),
    ("what does an animal need", ["fuel", "food", "car"], 1),
    ("what does a vehicle need", ["bone", "cat", "fuel"], 2),
]

WORDS = sorted({w for t, _ in TEXTS for w in t.split()}
               | {w for q, cs, _ in QUESTIONS for w in q.split() + cs}
               | {"animal", "vehicle", "food", "fuel", "bone", "entity", "is", "eats", "needs"})


def write_encoder(root: Path) -> Path:
    return write_tiny_bert(root / "encoder", WORDS, seed=0)


def write_texts(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["text,label"] + [f"{t},{label}" for t, label in TEXTS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_questions(path: Path, *, csqa: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for i, (q, choices, answer) in enumerate(QUESTIONS):
        if csqa:
            labels = "ABC"
            rows.append({"answerKey": labels[answer], "id": f"q{i}", "question": {
                "stem": q, "choices": [{"label": labels[j], "text": c}
                                       for j, c in enumerate(choices)]}})
        else:
            rows.append({"question": q, "choices": choices, "answer": answer})
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def write_kg(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(KG, encoding="utf-8")
    return path


def _common(root: Path, encoder: Path, graph: bool) -> dict[str, Any]:
    return {
        "encoder": {"name": str(encoder), "max_length": 24, "batch_size": 8,
                    "cache_dir": str(root / "cache")},
        "graph": {"source": str(write_kg(root / "kg.txt")), "max_nodes": 8,
                  "cache_dir": str(root / "graph_cache")} if graph else None,
        "model": {"graph_hidden": 8, "hidden": 16, "fusion": "gated"},
        "training": {"epochs": 2, "batch_size": 4, "lr": 1e-3, "encoder_lr": 1e-3,
                     "patience": 0, "num_threads": 1},
        "progress": False,
    }


def classification_config(root: Path, *, graph: bool = False) -> dict[str, Any]:
    texts = write_texts(root / "texts.csv")
    return {"task": "classification", "output_dir": str(root / "run"),
            "data": {"train": str(texts), "dev": str(texts), "test": str(texts)},
            **_common(root, write_encoder(root), graph)}


def multiple_choice_config(root: Path, *, graph: bool = False) -> dict[str, Any]:
    questions = write_questions(root / "questions.jsonl")
    return {"task": "multiple_choice", "output_dir": str(root / "run"),
            "data": {"train": str(questions), "dev": str(questions)},
            **_common(root, write_encoder(root), graph)}
