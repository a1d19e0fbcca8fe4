"""Reading a knowledge base: a ``subject|relation|object`` file or a `kgr build` graph directory."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from kg_reasoner.errors import DataFormatError, StoreError
from kg_reasoner.graph.literals import (
    is_literal_node_id,
    is_literal_object,
    literal_label,
    literal_node_id,
    literal_of,
    literal_type,
)
from kg_reasoner.graph.records import StatementRecord, Triple
from kg_reasoner.graph.triples_factory import TriplesFactory, labeled_triple
from kg_reasoner.retrieval.kb_index import KBIndex, StatementTime


def read_triples_file(path: str | Path, *, separator: str = "|") -> list[tuple[str, str, str]]:
    """Triples of a ``subject|relation|object`` file; blank lines are skipped.

    A line without exactly three non-empty fields raises :class:`DataFormatError` naming it.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFormatError(f"knowledge base file not found: {path}")
    triples = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n\r")
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(separator)]
            if len(parts) != 3 or not all(parts):
                raise DataFormatError(
                    f"{path}:{number}: expected 'subject{separator}relation{separator}object', "
                    f"got {line[:120]!r}"
                )
            triples.append((parts[0], parts[1], parts[2]))
    if not triples:
        raise DataFormatError(f"{path} contains no triples")
    return triples


def read_triples_factory(path: str | Path, *, separator: str = "|") -> TriplesFactory:
    """The :class:`TriplesFactory` of a ``subject|relation|object`` file."""
    return TriplesFactory.from_labeled_triples(read_triples_file(path, separator=separator))


def index_from_graph(graph: object, *, lazy_times: bool = False) -> KBIndex:
    """Index a :class:`kg_reasoner.graph.KnowledgeGraph` (entity IRIs, labels, aliases, types).

    A literal object is a node of its own, typed VALUE or DATE and labelled with its value and
    unit; the position and date of every statement come along when the graph records them.
    ``lazy_times`` (for a graph that stays open while the index is used): statement times are
    read when a question touches their triple, so loading does not grow with the statements.
    A graph opened from a knowledge base's triples gives that KB's index (entity ids: its names).
    """
    knowledge_base = getattr(graph, "knowledge_base", None)
    if knowledge_base is not None:
        return KBIndex.from_knowledge_base(knowledge_base)
    labels: dict[str, str] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    types: dict[str, str] = {}
    for record in graph.entities():  # type: ignore[attr-defined]
        labels[record.id] = record.label
        aliases[record.id] = tuple(record.aliases)
        types[record.id] = record.type or ""
    literals: dict[str, tuple[str, str]] = {}  # literal node id -> (lexical form, datatype)

    def node_triple(t: Triple) -> tuple[str, str, str]:
        labeled = labeled_triple(t)
        if is_literal_object(t.object, t.datatype):
            literals.setdefault(labeled[2], (t.object, t.datatype))
        return labeled

    # the same factory as graph.triples_factory(), read in the one pass that also finds literals
    factory = TriplesFactory.from_labeled_triples(
        [node_triple(t) for t in graph.triples()],  # type: ignore[attr-defined]
        entities=labels,
    )
    statements = getattr(graph, "statements", None)
    if statements is None:
        return KBIndex.from_factory(factory, labels=labels, aliases=aliases, types=types)
    times: dict[tuple[str, str, str], list[StatementTime]] = {}
    units: dict[str, str] = {}
    if lazy_times and hasattr(graph, "value_units"):
        for (lexical, datatype), unit in graph.value_units().items():
            units[literal_node_id(lexical, datatype)] = unit
    else:
        for key, found in _statement_times(statements()).items():
            times[key] = [t for t, _ in found]
            units.update((key[2], u) for _, u in found if u and key[2] not in units)
    for key, (lexical, datatype) in literals.items():
        labels.setdefault(key, literal_label(lexical, units.get(key, "")))
        types.setdefault(key, literal_type(datatype))
    index = KBIndex.from_factory(factory, labels=labels, aliases=aliases, types=types, times=times)
    if lazy_times:
        index.time_source = statement_time_source(statements, factory)
    return index


def statement_time_source(
    statements: Callable[..., Iterable[StatementRecord]], factory: TriplesFactory
) -> Callable[[list[int]], dict[int, list[StatementTime]]]:
    """A lazy index's time source: the statements of the factory triples asked for, read
    anchored from the open graph's ``statements``."""
    return partial(_times_of_triples, statements, factory)


def _statement_times(
    records: Iterable[StatementRecord],
) -> dict[tuple[str, str, str], list[tuple[StatementTime, str]]]:
    """Statement times (with the unit stated) by labelled triple."""
    times: dict[tuple[str, str, str], list[tuple[StatementTime, str]]] = {}
    for st in records:
        time = StatementTime(st.document, st.position, st.stated_date)
        times.setdefault(labeled_triple(st.triple), []).append((time, st.unit))
    return times


def _times_of_triples(
    statements: Callable[..., Iterable[StatementRecord]], factory: TriplesFactory, ids: list[int]
) -> dict[int, list[StatementTime]]:
    """A lazy index's time source: the statements of factory triples ``ids``, read anchored."""
    wanted = {factory.triple(i): i for i in ids}
    triples = []
    for s, p, o in wanted:
        if is_literal_node_id(o):
            lexical, datatype = literal_of(o)
            triples.append(Triple(s, p, lexical, datatype))
        else:
            triples.append(Triple(s, p, o))
    out: dict[int, list[StatementTime]] = {}
    for key, found in _statement_times(statements(triples)).items():
        if key in wanted:
            out[wanted[key]] = [t for t, _ in found]
    return out


def load_kb_index(path: str | Path) -> KBIndex:
    """A KB file is read directly; a directory is opened as a `kgr build` graph."""
    path = Path(path)
    if path.is_dir():
        from kg_reasoner.retrieval.kb_graph import open_graph

        graph = open_graph(path)
        try:
            return index_from_graph(graph)
        finally:
            graph.close()
    if path.is_file():
        return KBIndex.from_factory(read_triples_factory(path))
    raise StoreError(f"{path} is neither a knowledge base file nor a graph directory")
