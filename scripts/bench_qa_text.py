"""Zero-shot question answering over a graph built from the project's own news-style documents.

Builds `kg_data/qa_corpus/` with `kgr build` (rule extractor, packaged spaCy model), then asks
every question of `kg_data/qa_questions.jsonl` through the Python API behind `kgr ask --graph`
and scores the rank-1 answer against the accepted strings. Values and dates compare by their
parsed literal ("1,250" = "1250", "4 May 1971" = "1971-05-04"), names by their normalised form.

Each question has a split: ``dev`` (used while developing) and ``heldout`` (about a third,
scored only at the end). Writes benchmarks/results/qa_text.json and benchmarks/qa_text.md.

    python scripts/bench_qa_text.py [--split all|dev|heldout] [--graph DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg_reasoner.qa.gold import matches  # noqa: E402
from kg_reasoner.qa.zero_shot import ZeroShotSettings  # noqa: E402

CORPUS = ROOT / "kg_data" / "qa_corpus"
QUESTIONS = ROOT / "kg_data" / "qa_questions.jsonl"
CATEGORIES = ("single_fact", "value", "two_hop", "time_order", "alias")


def build(graph: Path, corpus: Path = CORPUS) -> float:
    """`kgr build` of the corpus in a fresh process; returns seconds (also used by the
    calibration and cold-start scripts for the sample corpus)."""
    start = time.perf_counter()
    kgr = Path(sys.executable).with_name("kgr")
    subprocess.run(
        [str(kgr), "build", str(corpus), "--graph", str(graph), "-q"],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def ask_all(graph: Path, questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from kg_reasoner.qa.loading import load_qa

    loaded = load_qa(graph=graph)
    rows = []
    try:
        for item in questions:
            result = loaded.answerer.answer(item["question"], top_k=5)
            top = result.answers[0] if result.answers else None
            label = top.label if top else ""
            rows.append(
                {
                    **item,
                    "predicted": label,
                    "correct": bool(top) and matches(label, item["answers"]),
                    "abstained": result.abstained,
                    "confidence": result.confidence,
                    "top5": [a.label for a in result.answers],
                    "evidence": top.paths[0].text() if top and top.paths else "",
                    "linked": [m.text for m in result.mentions],
                    "notes": result.notes,
                }
            )
    finally:
        loaded.close()
    return rows


def accuracy(rows: list[dict[str, Any]]) -> dict[str, Any]:
    by_cat: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        by_cat[row["category"]].append(row["correct"])
    out: dict[str, Any] = {"overall": round(sum(r["correct"] for r in rows) / max(len(rows), 1), 4)}
    for cat in CATEGORIES:
        if by_cat[cat]:
            out[cat] = round(sum(by_cat[cat]) / len(by_cat[cat]), 4)
    return out


def answered(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """With the answer threshold: how many questions got an answer (not "not found in the
    graph"), how many of all were answered correctly, and how many correct rank-1 candidates
    the threshold withheld."""
    n = max(len(rows), 1)
    return {
        "answered": sum(not r["abstained"] for r in rows),
        "answered_correct": round(sum(r["correct"] and not r["abstained"] for r in rows) / n, 4),
        "abstained_with_correct_candidate": sum(r["correct"] and r["abstained"] for r in rows),
    }


def counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    out = {"overall": len(rows)}
    for cat in CATEGORIES:
        out[cat] = sum(r["category"] == cat for r in rows)
    return out


def markdown(result: dict[str, Any]) -> str:
    """The section of benchmarks/README.md for this result."""
    splits = result["by_split"]
    names = list(splits)
    lines = [
        "## Zero-shot QA over text the project wrote (values, time order, aliases)",
        "",
        f"{result['questions']} questions over {result['documents']} news-style documents of "
        "`kg_data/qa_corpus/` (`kg_data/qa_questions.jsonl`): single facts, numeric and date "
        "values, two-hop chains across sentences and documents, current-state and "
        "before/after/first questions over stories of moves, and entities asked under another "
        'name than the stating sentence uses (surname, acronym, company stem, "the company"). '
        "The graph is built by `kgr build` with the rule extractor; answers come from "
        "zero-shot `kgr ask --graph` (no QA training). About a third of the questions "
        "(`split: heldout`) were scored only once, at the end.",
        "",
        f"Command: `{result['command']}`",
        "",
        "| category | " + " | ".join(f"{n} acc@1 (n)" for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for cat in ("overall", *CATEGORIES):
        cells = []
        for n in names:
            acc, num = splits[n]["accuracy_at_1"].get(cat), splits[n]["count"].get(cat, 0)
            cells.append("-" if acc is None else f"{acc:.3f} ({num})")
        lines.append(f"| {cat} | " + " | ".join(cells) + " |")
    kept = result["with_threshold"]
    lines += [
        "",
        f"acc@1 scores the rank-1 candidate. With the answer threshold "
        f"({result['answer_threshold']:.3f}, see `results/answer_threshold.json`), "
        f"{kept['answered']} of {result['questions']} questions get an answer and the rest "
        f"\"not found in the graph\"; answered and correct: {kept['answered_correct']:.3f} of "
        f"all; correct candidates withheld: {kept['abstained_with_correct_candidate']}.",
        "",
        f"Build {result['build_seconds']:.1f} s, answering {result['answer_seconds']:.1f} s "
        f"for {result['questions']} questions on 2 shared CPU cores. Per-question answers, "
        "evidence paths and notes: `results/qa_text.json`. Most misses are extraction misses "
        "(a relation the rules did not produce or attached to the wrong entity), listed there "
        "with the path that won instead.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("all", "dev", "heldout"), default="all")
    parser.add_argument("--graph", type=Path, help="reuse a graph built from the corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/qa_text.json")
    parser.add_argument("--markdown", type=Path, default=ROOT / "benchmarks/qa_text.md")
    args = parser.parse_args()
    questions = [json.loads(line) for line in QUESTIONS.read_text().splitlines() if line.strip()]
    if args.split != "all":
        questions = [q for q in questions if q["split"] == args.split]
    with tempfile.TemporaryDirectory() as tmp:
        graph = args.graph or Path(tmp) / "graph"
        build_seconds = 0.0 if args.graph else build(graph)
        start = time.perf_counter()
        rows = ask_all(graph, questions)
        answer_seconds = time.perf_counter() - start
    splits = sorted({r["split"] for r in rows}, key=lambda s: s != "dev")
    by_split = {
        s: {
            "accuracy_at_1": accuracy([r for r in rows if r["split"] == s]),
            "count": counts([r for r in rows if r["split"] == s]),
        }
        for s in splits
    }
    if len(splits) > 1:
        by_split["all"] = {"accuracy_at_1": accuracy(rows), "count": counts(rows)}
    result = {
        "command": "python " + " ".join(shlex.quote(a) for a in sys.argv),
        "corpus": str(CORPUS.relative_to(ROOT)),
        "documents": sum(1 for p in CORPUS.rglob("*") if p.is_file()),
        "questions": len(rows),
        "accuracy_at_1": accuracy(rows),
        "answer_threshold": ZeroShotSettings().answer_threshold,
        "with_threshold": answered(rows),
        "by_split": by_split,
        "build_seconds": round(build_seconds, 2),
        "answer_seconds": round(answer_seconds, 2),
        "results": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    args.markdown.write_text(markdown(result))
    print(markdown(result))
    print(f"wrote {args.out} and {args.markdown}")


if __name__ == "__main__":
    main()
