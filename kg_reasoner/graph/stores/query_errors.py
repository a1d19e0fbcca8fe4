"""Parse errors of either engine as one short line with the position: what a user can act on.

Oxigraph says ``error at 1:27: expected OPTIONAL``; rdflib raises a pyparsing exception whose
text can run to a dump of the grammar. Both become
``malformed SPARQL at line 1, column 27: expected OPTIONAL``, plus a hint when the query writes
an entity the way kg_reasoner printed them before 2026-12 (``ent:org/ibm``).
"""

from __future__ import annotations

import re

from kg_reasoner.errors import QueryError

_OXIGRAPH_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")
_OLD_ENTITY = re.compile(r"\bent:[A-Za-z]+/\S")
_MAX_DETAIL = 120


def syntax_error(sparql: str, detail: str, line: int | None, column: int | None) -> QueryError:
    """The :class:`QueryError` for a query the engine could not parse."""
    detail = (detail.strip().splitlines() or ["syntax error"])[0]
    if len(detail) > _MAX_DETAIL:
        detail = detail[: _MAX_DETAIL - 3] + "..."
    where = f" at line {line}, column {column}" if line is not None and column else ""
    hint = ""
    if _OLD_ENTITY.search(sparql):
        hint = (
            " (entity names have no '/': write ent:org.ibm, as `kgr sparql` and `kgr entity` "
            "print them, or the full <https://...> IRI)"
        )
    return QueryError(f"malformed SPARQL{where}: {detail}{hint}")


def from_oxigraph(sparql: str, exc: SyntaxError) -> QueryError:
    """Oxigraph's ``SyntaxError`` (``error at LINE:COLUMN: message``) as a one-line error."""
    text = str(exc)
    m = _OXIGRAPH_POSITION.match(text)
    if m is None:
        return syntax_error(sparql, text, None, None)
    return syntax_error(sparql, text[m.end() :], int(m[1]), int(m[2]))


def from_rdflib(sparql: str, exc: Exception) -> QueryError:
    """rdflib's parse failures (pyparsing exceptions carry ``lineno``/``col``/``msg``)."""
    line, column = getattr(exc, "lineno", None), getattr(exc, "col", None)
    detail = getattr(exc, "msg", None) or str(exc)
    return syntax_error(sparql, str(detail), line, column)


__all__ = ["from_oxigraph", "from_rdflib", "syntax_error"]
