"""Choose the zero-shot answer threshold on the sample corpus's labelled questions.

Builds `kg_data/sample_corpus/` (as `kgr demo` does), asks every question of
`kg_data/sample_questions.jsonl` with no threshold, and picks the threshold that maximises
accuracy: an answerable question counts when it is answered (not withheld) and its rank-1
answer matches a gold answer; an unanswerable one (gold "not found", `answers: []`) counts
when the answer is withheld. Of the thresholds tied at the best accuracy, the lowest interval
wins (answer rather than withhold), and the threshold is the middle of that interval between
two observed scores. Writes benchmarks/results/answer_threshold.json and
benchmarks/answer_threshold.md; the default of `ZeroShotSettings.answer_threshold` is that
value (a test checks it).

    python scripts/calibrate_answer_threshold.py [--graph DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tempfile
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_qa_text import build  # noqa: E402

from kg_reasoner.qa.gold import matches  # noqa: E402

CORPUS = ROOT / "kg_data" / "sample_corpus"
QUESTIONS = ROOT / "kg_data" / "sample_questions.jsonl"


def ask_all(graph: Path, questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each question answered with no threshold: its confidence and whether rank 1 is right."""
    from kg_reasoner.qa.loading import load_qa

    loaded = load_qa(graph=graph, answer_threshold=float("-inf"))
    rows = []
    try:
        for item in questions:
            result = loaded.answerer.answer(item["question"], top_k=5)
            top = result.answers[0].label if result.answers else ""
            rows.append(
                {
                    **item,
                    "predicted": top,
                    "confidence": result.confidence if result.answers else None,
                    "judged": result.confidence is not None or not result.answers,
                    "correct": bool(top and item["answers"]) and matches(top, item["answers"]),
                }
            )
    finally:
        loaded.close()
    return rows


def withheld(row: dict[str, Any], threshold: float) -> bool:
    """Whether the answerer withholds this row's answer at ``threshold`` (as it decides)."""
    if not row["predicted"]:
        return True
    return row["judged"] and row["confidence"] < threshold


def score(rows: list[dict[str, Any]], threshold: float) -> dict[str, Any]:
    answerable = [r for r in rows if r["answers"]]
    unanswerable = [r for r in rows if not r["answers"]]
    right = sum(r["correct"] and not withheld(r, threshold) for r in answerable)
    abstained = sum(withheld(r, threshold) for r in unanswerable)
    return {
        "accuracy": round((right + abstained) / max(len(rows), 1), 4),
        "answerable_correct": right,
        "answerable": len(answerable),
        "unanswerable_abstained": abstained,
        "unanswerable": len(unanswerable),
    }


def choose(rows: list[dict[str, Any]]) -> tuple[float, dict[str, Any]]:
    """The middle of the lowest score interval with the best accuracy."""
    values = sorted({r["confidence"] for r in rows if r["confidence"] is not None})
    if not values:
        return 0.0, score(rows, 0.0)
    edges = [values[0] - 0.1, *values, values[-1] + 0.1]
    best: tuple[float, dict[str, Any]] | None = None
    for low, high in pairwise(edges):
        threshold = round((low + high) / 2, 3)
        figures = score(rows, threshold)
        if best is None or figures["accuracy"] > best[1]["accuracy"]:
            best = (threshold, figures)
    assert best is not None
    return best


def markdown(result: dict[str, Any]) -> str:
    """The section of benchmarks/README.md for the calibration."""
    at, without = result["at_threshold"], result["without_threshold"]
    wrong = [r for r in result["results"] if not r["answers"] and not r["withheld"]]
    lines = [
        "## Zero-shot answer threshold (when to say \"not found in the graph\")",
        "",
        f"Calibrated on `{result['questions_file']}`: {at['answerable']} answerable questions "
        f"about `{result['corpus']}/` and {at['unanswerable']} it cannot answer (facts the "
        "corpus does not state, entities it does not name). A question counts as right when "
        "its rank-1 answer is given and correct, or, when unanswerable, withheld.",
        "",
        f"Command: `{result['command']}`",
        "",
        "| | accuracy | answerable answered correctly | unanswerable withheld |",
        "|---|---|---|---|",
        f"| no threshold | {without['accuracy']:.3f} | {without['answerable_correct']}/"
        f"{without['answerable']} | {without['unanswerable_abstained']}/"
        f"{without['unanswerable']} |",
        f"| threshold {result['answer_threshold']} | {at['accuracy']:.3f} | "
        f"{at['answerable_correct']}/{at['answerable']} | {at['unanswerable_abstained']}/"
        f"{at['unanswerable']} |",
        "",
        "Unanswerable questions still answered (their wrong answer scores above the threshold): "
        + "; ".join(f"{r['question']} -> {r['predicted']}" for r in wrong)
        + ". The threshold is chosen on these questions themselves (no held-out split): a "
        "small set, so treat it as a sensible default rather than a measured error rate.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, help="reuse a graph built from the sample corpus")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "benchmarks/results/answer_threshold.json"
    )
    parser.add_argument("--markdown", type=Path, default=ROOT / "benchmarks/answer_threshold.md")
    args = parser.parse_args()
    questions = [json.loads(line) for line in QUESTIONS.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        graph = args.graph or Path(tmp) / "graph"
        if args.graph is None:
            build(graph, CORPUS)
        rows = ask_all(graph, questions)
    threshold, figures = choose(rows)
    result = {
        "command": "python " + " ".join(shlex.quote(a) for a in sys.argv),
        "corpus": str(CORPUS.relative_to(ROOT)),
        "questions_file": str(QUESTIONS.relative_to(ROOT)),
        "answer_threshold": threshold,
        "at_threshold": figures,
        "without_threshold": score(rows, float("-inf")),
        "results": [{**r, "withheld": withheld(r, threshold)} for r in rows],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    args.markdown.write_text(markdown(result), encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("answer_threshold", "at_threshold")}, indent=2))
    print(f"without a threshold: {result['without_threshold']}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
