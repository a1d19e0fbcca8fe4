"""What a read-only SPARQL endpoint refuses: updates, and clauses that reach outside the store.

The query is tokenised (strings, IRIs, comments, variables and prefixed names are single tokens),
so only bare keywords count: ``"service"`` in a literal, ``?service`` or ``ex:load`` never trip it.
Neither backend exposes its parsed algebra to Python, hence a tokeniser rather than a parse.
"""

from __future__ import annotations

import re

from kg_reasoner.errors import QueryError

_TOKEN = re.compile(
    r'''"""(?:[^"\\]|\\.|"(?!""))*(?:"""|$)'''  # long strings (unterminated: to the end)
    r"""|'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)"""
    r"""|"(?:[^"\\\n]|\\.)*"?"""  # short strings
    r"""|'(?:[^'\\\n]|\\.)*'?"""
    r"""|<[^<>"{}|^`\\\x00-\x20]*>"""  # IRIs (a `<` followed by a space is "less than")
    r"""|\#[^\n]*"""  # comments
    r"""|[?$]\w+"""  # variables
    r"""|[\w.\-]*:(?:[\w.\-:%]|\\.)*"""  # prefixed names
    r"""|(?P<word>[A-Za-z_]\w*)"""  # keywords, function names, `a`, true/false
    r"""|\S""",
    re.DOTALL,
)

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
"""Keywords of SPARQL Update; none of them is a keyword or built-in of SPARQL Query."""

OUTWARD_KEYWORDS = frozenset({"SERVICE", "LOAD"})
"""Clauses that make the engine fetch data from another address."""


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def keywords(sparql: str) -> set[str]:
    """The bare keywords of a query, upper-cased (nothing inside strings, IRIs or comments).

    ``\\uXXXX`` escapes are decoded first, as the SPARQL grammar does before parsing, so an
    escaped keyword is still seen.
    """
    text = _CODEPOINT.sub(lambda m: chr(int(m[1] or m[2], 16)), sparql)
    return {m["word"].upper() for m in _TOKEN.finditer(text) if m["word"]}


def is_update(sparql: str) -> bool:
    """True for SPARQL UPDATE requests (INSERT, DELETE, DROP, LOAD...), which we refuse."""
    return bool(keywords(sparql) & UPDATE_KEYWORDS)


def check_read_only(sparql: str, *, dataset_clauses_fetch: bool = False) -> None:
    """Raise :class:`QueryError` for an update or a clause that reaches outside the store.

    ``dataset_clauses_fetch`` is for engines (rdflib) where ``FROM <url>`` downloads the graph;
    in Oxigraph ``FROM`` only selects named graphs already in the store.
    """
    words = keywords(sparql)
    outward = words & OUTWARD_KEYWORDS
    if dataset_clauses_fetch and "FROM" in words:
        outward.add("FROM")
    if outward:
        raise QueryError(
            f"SPARQL {' and '.join(sorted(outward))} is not allowed: a query may only read this "
            "graph; query the other endpoint directly"
        )
    if words & UPDATE_KEYWORDS:
        raise QueryError(
            "SPARQL UPDATE is not allowed here (the endpoint is read-only): use "
            "`kgr build` to add documents and `kgr delete` to remove them"
        )
