"""Exports: Turtle, N-Triples, JSON-LD (all documents' triples merged), N-Quads (one graph per
document), GraphML (the entity graph) and CSV (one row per statement with its provenance)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from kg_reasoner.errors import KGReasonerError
from kg_reasoner.graph.vocabulary import PREFIXES

if TYPE_CHECKING:
    from kg_reasoner.graph.knowledge_graph import KnowledgeGraph

FORMATS = {
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "nq": "nquads",
    "graphml": "graphml",
    "csv": "csv",
}

_CSV_QUERY = """
SELECT ?s ?sl ?p ?label ?o ?ol ?id ?text ?start ?end ?ex ?conf WHERE {
  ?st a kgr:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kgr:document ?d ;
      kgr:sentence ?sent ; kgr:start ?start ; kgr:end ?end ; kgr:extractor ?ex ;
      kgr:confidence ?conf ; kgr:sourceLabel ?label .
  ?sent kgr:text ?text . ?d kgr:documentId ?id .
  OPTIONAL { GRAPH ?d { ?s kgr:documentLabel ?sl } }
  OPTIONAL { GRAPH ?d { ?o kgr:documentLabel ?ol } }
} ORDER BY ?id ?start
"""


def export_graph(kg: KnowledgeGraph, fmt: str, out: str | Path) -> Path:
    """Write ``kg`` to ``out`` in format ``fmt`` (a key of :data:`FORMATS`)."""
    out = Path(out)
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise KGReasonerError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if out.is_dir():
        raise KGReasonerError(
            f"{out} is a folder: give the file to write, e.g. -o {out / ('graph.' + fmt)}"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        import networkx as nx

        nx.write_graphml(kg.to_networkx(), out)
    elif fmt == "csv":
        _write_csv(kg, out)
    elif fmt == "nq":
        with out.open("wb") as handle:
            kg.store.dump_nquads(handle)
    else:
        _write_merged(kg, FORMATS[fmt], out)
    return out


def _write_merged(kg: KnowledgeGraph, rdflib_format: str, out: Path) -> None:
    from rdflib import Graph

    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    triples = kg.store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    for triple in triples:  # type: ignore[union-attr]
        graph.add(triple)  # type: ignore[arg-type]
    data = graph.serialize(format=rdflib_format, encoding="utf-8")
    out.write_bytes(data)


def _write_csv(kg: KnowledgeGraph, out: Path) -> None:
    rows = kg.store.query(_CSV_QUERY)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["subject", "subject_label", "relation", "object", "object_label", "document",
         "sentence", "start", "end", "extractor", "confidence"]
    )  # fmt: skip
    for r in rows:  # type: ignore[union-attr]
        writer.writerow(
            [str(r["s"]), str(r["sl"] or ""), str(r["label"]), str(r["o"]), str(r["ol"] or ""),
             str(r["id"]), str(r["text"]), int(r["start"]), int(r["end"]), str(r["ex"]),
             float(r["conf"])]
        )  # fmt: skip
    out.write_text(buffer.getvalue(), encoding="utf-8")
