"""A tiny KGQA dataset (movie KB + templated 1- and 2-hop questions) and a tiny encoder."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from tests.qa.toy_kb import MOVIE_TRIPLES
from tests.tiny_encoder import write_tiny_bert

WORDS = [
    *("who", "directed", "the", "movies", "starred", "by", "which", "films", "did", "act", "in"),
    *("what", "genre", "are", "person", "entity", "is", "of"),
]


def write_tiny_encoder(directory: Path) -> Path:
    """A randomly initialised 2-layer BERT (hidden 32) whose vocabulary covers the questions."""
    # the random weights decide how separable the question templates are: fix them
    return write_tiny_bert(directory, sorted(set(WORDS)), seed=0)


def write_dataset(root: Path) -> dict[str, Path]:
    """kb.txt, 1-hop and 2-hop question files under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    kb = root / "kb.txt"
    kb.write_text("".join(f"{s}|{r}|{o}\n" for s, r, o in MOVIE_TRIPLES), encoding="utf-8")
    directors: dict[str, set[str]] = defaultdict(set)
    acted: dict[str, set[str]] = defaultdict(set)
    genres: dict[str, set[str]] = defaultdict(set)
    for s, r, o in MOVIE_TRIPLES:
        {"directed_by": directors, "starred_actors": acted, "has_genre": genres}.get(
            r, defaultdict(set)
        )[s].add(o)
    films_of: dict[str, set[str]] = defaultdict(set)
    for film, actors in acted.items():
        for actor in actors:
            films_of[actor].add(film)
    one_hop = [f"who directed [{m}]\t{'|'.join(sorted(d))}" for m, d in directors.items()]
    one_hop += [f"which films did [{a}] act in\t{'|'.join(sorted(f))}" for a, f in films_of.items()]
    one_hop += [f"what genre is [{m}]\t{'|'.join(sorted(g))}" for m, g in genres.items()]
    two_hop = []
    for actor, films in films_of.items():
        people = {d for f in films for d in directors[f]} - {actor}
        if people:
            two_hop.append(
                f"who directed the movies starred by [{actor}]\t{'|'.join(sorted(people))}"
            )
        kinds = {g for f in films for g in genres[f]}
        two_hop.append(f"what genre are the films starred by [{actor}]\t{'|'.join(sorted(kinds))}")
    paths = {"kb": kb, "1": root / "1-hop.txt", "2": root / "2-hop.txt"}
    # repeat so each template has enough rows for a training and a validation share
    paths["1"].write_text("\n".join(one_hop * 4) + "\n", encoding="utf-8")
    paths["2"].write_text("\n".join(two_hop * 4) + "\n", encoding="utf-8")
    return paths


def tiny_config(root: Path, encoder: Path, **training: Any) -> dict[str, Any]:
    write_dataset(root / "data")
    return {
        "task": "kgqa",
        "output_dir": str(root / "run"),
        "data": {
            "root": str(root / "data"),
            "kb": "kb.txt",
            "questions": [{"name": "1", "path": "1-hop.txt"}, {"name": "2", "path": "2-hop.txt"}],
            "validation_fraction": 0.25,
        },
        "encoder": {"name": str(encoder), "max_length": 32},
        "model": {"num_hops": 2, "hidden_channels": 32, "dropout": 0.0},
        "training": {
            "lr": 0.01,
            "epochs": 25,
            "batch_size": 8,
            "patience": 0,
            "num_threads": 1,
            "warmup_ratio": 0.0,
            **training,
        },
        "inference": {"max_subgraph_nodes": 100, "top_k": 5},
    }
