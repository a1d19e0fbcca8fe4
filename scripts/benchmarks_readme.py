"""Assemble benchmarks/README.md from the sections each benchmark script writes.

    python scripts/benchmarks_readme.py

Sections: build.md (scripts/bench_build.py), the results part of extraction.md
(scripts/bench_extraction.py), clutrr.md (scripts/bench_clutrr.py) followed by the hand-written
clutrr_analysis.md (kept apart so that re-running the benchmark does not overwrite it),
clutrr_reduced.md (a reduced-budget scripts/bench_clutrr.py run, kept beside the full one),
clutrr_extractor.md (scripts/bench_clutrr_extractor.py),
kgqa.md (scripts/bench_kgqa.py), webnlg.md (scripts/bench_webnlg.py) followed by the
hand-written webnlg_analysis.md, qa_text.md
(scripts/bench_qa_text.py), answer_threshold.md (scripts/calibrate_answer_threshold.py),
serve.md (scripts/bench_serve.py), csqa_retrieval.md (scripts/csqa_retrieval_stats.py),
csqa.md, csqa_full_train.md and csqa_full_budget.md (scripts/bench_csqa.py, the last two with
``--name``) and scale.md (scripts/bench_scale.py) when present.
"""

from __future__ import annotations

from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
HEADER = """# Benchmarks

Every figure below comes from a run of the committed code on this project's machine (2 CPU
cores, no GPU), by the command given with it; the raw numbers are in `results/*.json`. Several
benchmarks ran while other training jobs shared the two cores: each section says when, and the
timings there are upper bounds.

"""


def section(name: str, start_marker: str | None = None) -> str:
    text = (BENCH / name).read_text(encoding="utf-8")
    if start_marker and start_marker in text:
        text = text[text.index(start_marker) :]
        text = text.replace(start_marker, "## Supervised extraction: CoNLL04", 1)
        text += "\nModel, data format and checkpoint layout: [extraction.md](extraction.md).\n"
    return text.strip() + "\n"


def main() -> None:
    parts = [
        HEADER,
        section("build.md"),
        section("extraction.md", "## Results: CoNLL04 (strict, dev)"),
        section("clutrr.md")
        + "\n"
        + section("clutrr_analysis.md")
        + "\n![CLUTRR accuracy by k](clutrr_accuracy_by_k.png)\n",
        section("kgqa.md"),
    ]
    optional = (
        "clutrr_reduced.md",
        "clutrr_extractor.md",
        "webnlg.md",
        "webnlg_analysis.md",
        "qa_text.md",
        "answer_threshold.md",
        "serve.md",
        "csqa_retrieval.md",
        "csqa.md",
        "csqa_full_train.md",
        "csqa_full_budget.md",
        "csqa_descriptions.md",
        "scale.md",
    )
    parts += [section(name) for name in optional if (BENCH / name).is_file()]
    (BENCH / "README.md").write_text("\n".join(parts), encoding="utf-8")
    print(f"wrote {BENCH / 'README.md'}")


if __name__ == "__main__":
    main()
