"""What a read-only SPARQL endpoint refuses: updates, clauses that reach outside the store, and
prefixes nobody declared (refused with their position, before an engine reports them obscurely).

The query is tokenised (strings, IRIs, comments, variables and prefixed names are single tokens),
so only bare keywords count: ``"service"`` in a literal, ``?service`` or ``ex:load`` never trip it.
Neither backend exposes its parsed algebra to Python, hence a tokeniser rather than a parse.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator

from kg_reasoner.errors import QueryError

_TOKEN = re.compile(
    r'''"""(?:[^"\\]|\\.|"(?!""))*(?:"""|$)'''  # long strings (unterminated: to the end)
    r"""|'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)"""
    r"""|"(?:[^"\\\n]|\\.)*"?"""  # short strings
    r"""|'(?:[^'\\\n]|\\.)*'?"""
    r"""|<[^<>"{}|^`\\\x00-\x20]*>"""  # IRIs (a `<` followed by a space is "less than")
    r"""|\#[^\n]*"""  # comments
    r"""|[?$]\w+"""  # variables
    r"""|(?P<pname>[\w.\-]*):(?:[\w.\-:%]|\\.)*"""  # prefixed names
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


def tokens(sparql: str) -> Iterator[re.Match[str]]:
    """The query's tokens; a prefixed name's match has its prefix in group ``pname``."""
    return _TOKEN.finditer(sparql)


def declared_prefixes(sparql: str) -> set[str]:
    """The prefixes the query's own ``PREFIX`` lines declare."""
    return {
        following["pname"]
        for m, following in itertools.pairwise(tokens(sparql))
        if m["word"] and m["word"].upper() == "PREFIX" and following["pname"] is not None
    }


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


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_prefixes(sparql: str, known: Iterable[str]) -> None:
    """Raise :class:`QueryError` for the first prefixed name whose prefix is neither predeclared
    (``known``) nor declared by the query's own ``PREFIX`` lines, with its line and column."""
    declared = set(known) | declared_prefixes(sparql)
    found = list(tokens(sparql))
    for i, m in enumerate(found):
        prefix = m["pname"]
        if prefix is None or prefix == "_" or (prefix and not prefix[0].isalpha()):
            continue  # blank node labels; tokens that are no prefixed names
        if prefix in declared or (i and (found[i - 1]["word"] or "").upper() == "PREFIX"):
            continue
        line, column = position(sparql, m.start())
        choices = ", ".join(f"{p}:" for p in sorted(known))
        raise QueryError(
            f"unknown prefix {prefix + ':'!r} at line {line}, column {column}: declare it "
            f"(PREFIX {prefix}: <...>) or use one of {choices}"
        )
