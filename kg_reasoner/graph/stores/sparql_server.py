"""A store on a SPARQL 1.1 server (Oxigraph's ``oxigraph serve``, Virtuoso, ...) over HTTP.

The same per-document named graphs as the embedded store: a batch is one SPARQL Update
request (``DROP SILENT GRAPH`` of each document, then one ``INSERT DATA``). Oxigraph runs a
request as one transaction, so a killed build leaves each document old, new or absent.
Virtuoso commits each operation of a request on its own: a failure between the drop and the
insert leaves the replaced documents absent (which the next build adds again). Queries run
over the union of the named graphs (Oxigraph: ``union-default-graph``;
Virtuoso's default graph is already the union); Virtuoso's own system graphs are left out of
what the store lists, counts and exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import IO, Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from kg_reasoner.errors import QueryError
from kg_reasoner.graph.stores.base import GraphStore, QuadTerms, QueryResult
from kg_reasoner.graph.stores.query_errors import from_oxigraph
from kg_reasoner.graph.stores.sparql_client import SparqlClient, term
from kg_reasoner.graph.stores.sparql_guard import declared_prefixes, keywords, tokens
from kg_reasoner.graph.stores.sparql_updates import drop_graphs, patch_graph, replace_graphs
from kg_reasoner.graph.stores.terms import NTriple, rdflib_nt
from kg_reasoner.graph.vocabulary import PREFIXES

SYSTEM_GRAPH_PREFIXES = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/",
    "http://www.openlinksw.com/schemas/",
)
"""Graphs a fresh Virtuoso holds for itself; never documents of a kg_reasoner graph."""

_LIMIT = re.compile(r"\bLIMIT\s+(\d+)(?:\s+OFFSET\s+\d+)?\s*$", re.IGNORECASE)  # the last
_ESCAPE = re.compile(r"\\(.)")  # PN_LOCAL_ESC: a backslash before a character
_LINE_1 = re.compile(r"at line 1, column (\d+)")
_PROLOGUE = " ".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + " "


class SparqlServerStore(GraphStore):
    """A graph in a SPARQL server at ``url`` (``http://host:port/query`` for Oxigraph or
    Fuseki, ``http://host:port/sparql`` for Virtuoso)."""

    backend = "sparql"

    def __init__(self, url: str, *, read_only: bool = False, timeout_s: float = 60.0) -> None:
        super().__init__(read_only=read_only)
        self.url = url
        self._client = SparqlClient(url, timeout_s=timeout_s)
        self._params = {"union-default-graph": "true"} if self._client.store_url else {}
        self._client.select("ASK {}", params=self._params)  # fails now, naming the URL, if down
        self._virtuoso = "virtuoso" in self._client.server.lower()

    # -- writes ---------------------------------------------------------------------------
    def prepare_write(self, batch: Sequence[tuple[str, Sequence[NTriple]]]) -> Any:
        self._check_writable()
        return replace_graphs(batch, [g for g, _ in batch])

    def _write(self, prepared: Any) -> None:
        self._client.update(prepared)

    def _remove(self, graphs: list[URIRef]) -> None:
        self._client.update(drop_graphs(map(str, graphs)))

    def _patch(self, graph: str, remove: list[NTriple], add: list[NTriple]) -> None:
        self._client.update(patch_graph(graph, remove, add))  # one request: one transaction

    # -- reads ----------------------------------------------------------------------------
    def _query(self, sparql: str) -> QueryResult:
        check_syntax(sparql)  # as the embedded store words it, before the server sees it
        text = _PROLOGUE + sparql  # on line 1, so only line 1's columns shift
        if self._virtuoso:
            text = _PROLOGUE + expand_escaped_names(sparql)
        try:
            if keywords(sparql) & {"CONSTRUCT", "DESCRIBE"}:
                data = self._client.construct(text, params=self._params)
                return list(Graph().parse(data=data.decode("utf-8"), format="nt"))
            result, cap = self._client.select(text, params=self._params)
        except QueryError as exc:
            raise QueryError(_unshift(str(exc))) from None
        if "boolean" in result:
            return bool(result["boolean"])
        rows = _rows(result)
        limit = _LIMIT.search(sparql)
        if cap is not None and len(rows) >= cap and (limit is None or int(limit[1]) > cap):
            raise QueryError(
                f"the SPARQL server at {self.url} returns at most {cap} rows per query, so the "
                f"answer may be cut: add LIMIT {cap} (and OFFSET to page), or raise the "
                "server's limit (Virtuoso: ResultSetMaxRows in its ini)"
            )
        return rows

    def _select(self, sparql: str) -> Iterator[dict[str, Node | None]]:
        """Every row of a SELECT without LIMIT, in pages where the server caps its answers."""
        result, cap = self._client.select(sparql, params=self._params)
        rows = _rows(result)
        yield from rows
        offset = len(rows)
        while cap is not None and len(rows) >= cap:  # cut by the server: fetch the rest
            result, cap = self._client.select(
                f"{sparql} LIMIT {len(rows)} OFFSET {offset}", params=self._params
            )
            rows = _rows(result)
            yield from rows
            offset += len(rows)

    def _own_graphs(self, var: str = "?g") -> str:
        """A FILTER keeping the store's graphs (Virtuoso's system graphs out)."""
        if not self._virtuoso:
            return ""
        tests = " && ".join(f'!STRSTARTS(STR({var}), "{p}")' for p in SYSTEM_GRAPH_PREFIXES)
        return f"FILTER({tests})"

    def _quads(
        self, s: Node | None, p: Node | None, o: Node | None, g: URIRef | None
    ) -> Iterator[QuadTerms]:
        terms = [
            rdflib_nt(t) if t is not None else f"?{n}"
            for t, n in zip((s, p, o), "spo", strict=True)
        ]
        graph, keep = (f"<{g}>", "") if g is not None else ("?g", self._own_graphs())
        rows = self._select(f"SELECT * WHERE {{ GRAPH {graph} {{ {' '.join(terms)} }} {keep} }}")
        for row in rows:  # (a term may be falsy: Literal(0))
            found = [
                row.get(n) if t is None else t for t, n in zip((s, p, o, g), "spog", strict=True)
            ]
            yield found[0], found[1], found[2], URIRef(str(found[3]))  # type: ignore[return-value]

    def named_graphs(self) -> list[URIRef]:
        rows = self._select(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._own_graphs()} }}"
        )
        return [URIRef(str(row["g"])) for row in rows]

    def dump_nquads(self, out: IO[bytes]) -> None:
        if self._client.store_url is not None:  # the Graph Store protocol: one streamed GET
            self._client.download_dataset(out)  # (the store writes named graphs only)
            return
        rows = self._select(
            f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._own_graphs()} }}"
        )
        for row in rows:
            s, p, o, g = (rdflib_nt(row[k]) for k in "spog")  # type: ignore[arg-type]
            out.write(f"{s} {p} {o} {g} .\n".encode())

    def __len__(self) -> int:
        rows = self._select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._own_graphs()} }}"
        )
        return int(str(next(rows)["n"]))

    def close(self) -> None:
        self._client.close()


_PARSER = ox.Store()  # empty: only parses (a query over no data answers at once)


def check_syntax(sparql: str) -> None:
    """Raise the embedded store's :class:`QueryError` for a query Oxigraph cannot parse."""
    try:
        _PARSER.query(sparql, prefixes=dict(PREFIXES))
    except SyntaxError as exc:
        raise from_oxigraph(sparql, exc) from None


def expand_escaped_names(sparql: str) -> str:
    """Prefixed names with ``%XX`` or ``\\`` escapes (``ent:x%2Fy``) as full ``<IRI>``s, for
    servers whose parser refuses them (Virtuoso); the query's own prefixes are left alone."""
    own = declared_prefixes(sparql)
    out, last = [], 0
    for m in tokens(sparql):
        prefix = m["pname"]
        if prefix is None or prefix in own or prefix not in PREFIXES:
            continue
        local = m[0][len(prefix) + 1 :]
        if "%" in local or "\\" in local:
            iri = PREFIXES[prefix] + _ESCAPE.sub(r"\1", local)
            out += [sparql[last : m.start()], f"<{iri}>"]
            last = m.end()
    return "".join(out) + sparql[last:]


def _rows(result: Any) -> list[dict[str, Node | None]]:
    names = result["head"].get("vars", [])
    return [{n: term(row.get(n)) for n in names} for row in result["results"]["bindings"]]


def _unshift(message: str) -> str:
    """Columns of line 1 as the user wrote the query (the prefixes were prepended)."""
    m = _LINE_1.search(message)
    if m is None or int(m[1]) <= len(_PROLOGUE):
        return message
    return f"{message[: m.start(1)]}{int(m[1]) - len(_PROLOGUE)}{message[m.end(1) :]}"


__all__ = ["SYSTEM_GRAPH_PREFIXES", "SparqlServerStore"]
