"""The SPARQL Update text of a store's writes, shared by the embedded and the server store, so
both replace and patch graphs with the same requests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kg_reasoner.graph.stores.terms import NTriple


def replace_graphs(batch: Sequence[tuple[str, Sequence[NTriple]]], existing: Iterable[str]) -> str:
    """Drop the ``existing`` graphs, then insert every graph of ``batch``: one request."""
    parts = [f"DROP SILENT GRAPH <{g}> ;" for g in existing]
    parts.append("INSERT DATA {")
    for g, triples in batch:
        parts.append(f"GRAPH <{g}> {{")
        parts.extend(f"{s} {p} {o} ." for s, p, o in triples)
        parts.append("}")
    parts.append("}")
    return "\n".join(parts)


def patch_graph(graph: str, remove: Sequence[NTriple], add: Sequence[NTriple]) -> str:
    """Delete ``remove`` then insert ``add`` in ``graph``: one request."""
    parts = []
    if remove:
        body = "\n".join(f"{s} {p} {o} ." for s, p, o in remove)
        parts.append(f"DELETE DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")
    if add:
        body = "\n".join(f"{s} {p} {o} ." for s, p, o in add)
        parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")
    return " ;\n".join(parts)


def drop_graphs(graphs: Iterable[str]) -> str:
    """Drop each graph (missing ones are no error): one request."""
    return " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
