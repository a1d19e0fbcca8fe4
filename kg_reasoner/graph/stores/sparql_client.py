"""HTTP to one SPARQL 1.1 server: Query, Update and (where the server has it) the Graph Store
protocol, with timeouts, and every failure as one line naming the URL.

Requests go only to the URL the user gave (and its sibling ``/update`` and ``/store``
endpoints on an Oxigraph-style server), never elsewhere.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg_reasoner.errors import QueryError, StoreError
from kg_reasoner.graph.stores.query_errors import syntax_error

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_POSITION = re.compile(r"error at (\d+):(\d+):\s*")
_VIRTUOSO_LINE = re.compile(r"SPARQL compiler, line (\d+):\s*")
TIMEOUT_S = 60.0
CONNECT_TIMEOUT_S = 5.0


def is_store_url(location: object) -> bool:
    """True for ``http://`` and ``https://`` locations: a graph on a SPARQL server."""
    return isinstance(location, str) and location.startswith(("http://", "https://"))


def endpoints(url: str) -> tuple[str, str, str | None]:
    """(query, update, graph store) endpoints for a store URL.

    ``.../query`` (Oxigraph, Fuseki) updates at ``.../update`` and has a Graph Store at
    ``.../store``; any other URL (Virtuoso's ``/sparql``) takes queries and updates itself.
    """
    parts = urlsplit(url)
    if not parts.netloc:
        raise StoreError(f"{url!r} is not a SPARQL endpoint URL: write http://host:port/path")
    path = parts.path.rstrip("/")
    if path.endswith("/query"):
        base = path[: -len("/query")]
        return (
            url,
            urlunsplit(parts._replace(path=base + "/update")),
            urlunsplit(parts._replace(path=base + "/store", query="")),
        )
    return url, url, None


class SparqlClient:
    """One connection pool to a SPARQL server."""

    def __init__(self, url: str, *, timeout_s: float = TIMEOUT_S) -> None:
        self.url = url
        self.query_url, self.update_url, self.store_url = endpoints(url)
        self._timeout = httpx.Timeout(timeout_s, connect=CONNECT_TIMEOUT_S)
        self._pid = os.getpid()
        self._http = httpx.Client(timeout=self._timeout, trust_env=False)
        self.server = ""  # the Server header, once a request has answered

    def select(
        self, sparql: str, *, params: Mapping[str, str] | None = None
    ) -> tuple[Any, int | None]:
        """A SELECT or ASK as parsed SPARQL JSON results, and the most rows the server returns
        for one query where it says so (Virtuoso's ``ResultSetMaxRows``, else None)."""
        response = self._send(
            "POST",
            self.query_url,
            data={"query": sparql, **(params or {})},
            headers={"Accept": "application/sparql-results+json"},
            sparql=sparql,
        )
        cap = response.headers.get("x-sparql-maxrows", "")
        return response.json(), int(cap) if cap.isdigit() else None

    def construct(self, sparql: str, *, params: Mapping[str, str] | None = None) -> bytes:
        """A CONSTRUCT or DESCRIBE as N-Triples bytes."""
        response = self._send(
            "POST",
            self.query_url,
            data={"query": sparql, **(params or {})},
            headers={"Accept": "application/n-triples"},
            sparql=sparql,
        )
        return response.content

    def update(self, sparql: str) -> None:
        """One SPARQL Update request (one transaction on the server)."""
        self._send("POST", self.update_url, data={"update": sparql}, sparql=sparql, writes=True)

    def download_dataset(self, out: IO[bytes], accept: str = "application/n-quads") -> None:
        """Stream the whole dataset into ``out`` through the Graph Store protocol (GET of the
        ``/store`` endpoint, Oxigraph-style servers only)."""
        if self.store_url is None:
            raise StoreError(f"{self.url} has no Graph Store endpoint")
        try:
            with self._http.stream("GET", self.store_url, headers={"Accept": accept}) as answer:
                if answer.status_code >= 400:
                    raise StoreError(
                        f"the SPARQL server at {self.store_url} answered {answer.status_code}"
                    )
                for chunk in answer.iter_bytes():
                    out.write(chunk)
        except httpx.HTTPError as exc:
            raise StoreError(f"reading {self.store_url} failed: {exc}") from None

    def close(self) -> None:
        self._http.close()

    def _send(
        self,
        method: str,
        url: str,
        *,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        sparql: str | None = None,
        writes: bool = False,
    ) -> httpx.Response:
        if os.getpid() != self._pid:  # a forked query worker: never share the parent's sockets
            self._pid = os.getpid()
            self._http = httpx.Client(timeout=self._timeout, trust_env=False)
        try:
            response = self._http.request(method, url, data=data, headers=headers)
        except httpx.TimeoutException:
            raise StoreError(f"the SPARQL server at {url} did not answer in time") from None
        except httpx.HTTPError as exc:
            raise StoreError(
                f"cannot reach the SPARQL server at {url} ({exc}): is it running?"
            ) from None
        self.server = response.headers.get("server", self.server)
        if response.status_code < 400:
            return response
        text = response.text.strip()
        if response.status_code in (401, 403) or (writes and "permission" in text.lower()):
            raise StoreError(
                f"the SPARQL server at {url} refused the update ({response.status_code}): give "
                'its SPARQL user update rights (Virtuoso: GRANT SPARQL_UPDATE TO "SPARQL";)'
            )
        if response.status_code == 400 and sparql is not None and not writes:
            raise _parse_error(sparql, text)
        first = (text.splitlines() or [""])[0][:200]
        raise (StoreError if writes else QueryError)(
            f"the SPARQL server at {url} answered {response.status_code}: {first}"
        )


def _parse_error(sparql: str, text: str) -> QueryError:
    m = _POSITION.search(text)
    if m is not None:
        return syntax_error(sparql, text[m.end() :], int(m[1]), int(m[2]))
    m = _VIRTUOSO_LINE.search(text)
    if m is not None:
        return syntax_error(sparql, text[m.end() :], int(m[1]), None)
    return syntax_error(sparql, text, None, None)


def term(binding: Mapping[str, str] | None) -> Node | None:
    """A SPARQL JSON results term as an rdflib term (plain strings without a datatype, as the
    embedded store reads them)."""
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    return Literal(value, datatype=None if datatype in (None, _XSD_STRING) else URIRef(datatype))


__all__ = ["SparqlClient", "endpoints", "is_store_url", "term"]
