"""The SPARQL Update text of a store's writes, shared by the embedded and the server store, so
both replace and patch graphs with the same requests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kg_reasoner.graph.stores.terms import NTriple

MAX_TRIPLES_PER_OPERATION = 1_000
"""Triples per INSERT/DELETE DATA operation. A request holds as many operations as it needs (it
stays one transaction), but Virtuoso's SPARQL compiler refuses one operation of about 5,000
triples ("memory exhausted"), and a build commits up to 200k quads at once."""


def replace_graphs(batch: Sequence[tuple[str, Sequence[NTriple]]], existing: Iterable[str]) -> str:
    """Drop the ``existing`` graphs, then insert every graph of ``batch``: one request."""
    parts = [f"DROP SILENT GRAPH <{g}>" for g in existing]
    for g, triples in batch:
        parts += _data_operations("INSERT", g, triples)
    return " ;\n".join(parts) if parts else "INSERT DATA { }"


def patch_graph(graph: str, remove: Sequence[NTriple], add: Sequence[NTriple]) -> str:
    """Delete ``remove`` then insert ``add`` in ``graph``: one request."""
    return " ;\n".join(_data_operations("DELETE", graph, remove)
                       + _data_operations("INSERT", graph, add))


def _data_operations(verb: str, graph: str, triples: Sequence[NTriple]) -> list[str]:
    """``verb DATA`` operations on ``graph`` of at most MAX_TRIPLES_PER_OPERATION triples each."""
    step = MAX_TRIPLES_PER_OPERATION
    return [
        f"{verb} DATA {{ GRAPH <{graph}> {{\n"
        + "\n".join(f"{s} {p} {o} ." for s, p, o in triples[i : i + step])
        + "\n} }"
        for i in range(0, len(triples), step)
    ]


def drop_graphs(graphs: Iterable[str]) -> str:
    """Drop each graph (missing ones are no error): one request."""
    return " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
