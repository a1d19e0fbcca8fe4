"""The ``KnowledgeGraph`` facade: open, query, delete from and convert a persistent graph.

Building it from documents runs extraction, a later stage: see :mod:`kg_reasoner.building`
and :func:`kg_reasoner.build`; exports are :func:`kg_reasoner.graph.export.export_graph`.

>>> kg = KnowledgeGraph.open("kg/", read_only=True)  # on-disk Oxigraph store
>>> kg.entity("Marie Curie").aliases
>>> kg.sparql("SELECT ?s ?o WHERE { ?s rel:born_in ?o }")
>>> data = kg.triples_factory().to_pyg()            # vocabularies + edge_index / edge_type

A knowledge base of triples (MetaQA's ``kb.txt``) opens read-only with :meth:`from_triples`:
its entities are ``ent:<name>`` IRIs labelled with their names, and every method that takes an
entity id takes such a name too (:func:`~kg_reasoner.graph.vocabulary.name_iri` maps it).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef

from kg_reasoner.errors import DocumentNotFoundError, EntityNotFoundError, StoreError
from kg_reasoner.extraction.canonical import canonical_key
from kg_reasoner.graph.graph_stats import predicate_batches, relation_predicates
from kg_reasoner.graph.knowledge_base import KnowledgeBase
from kg_reasoner.graph.labels import (
    best_label,
    document_labels,
    labelled_entities,
    labels_pending,
    refresh_labels,
    shared_labels,
)
from kg_reasoner.graph.literals import is_literal_object, literal_node_id
from kg_reasoner.graph.records import (
    DocumentState,
    EntityRecord,
    Provenance,
    StatementRecord,
    Triple,
)
from kg_reasoner.graph.stores import GraphStore, is_store_url, open_store
from kg_reasoner.graph.vocabulary import (
    KGR,
    REL,
    expand_term,
    name_iri,
    relation_iri,
    relation_label,
)

if TYPE_CHECKING:  # torch is imported only when tensors are made, to keep the CLI fast
    from collections.abc import Iterable, Mapping

    from kg_reasoner.graph.triples_factory import TriplesFactory

META_FILE = "kg.json"
STORE_DIR = "store"


class KnowledgeGraph:
    """A graph of entities and relations with provenance, over a :class:`GraphStore`.

    ``knowledge_base`` is set on a graph opened :meth:`from_triples`: what it was made from.
    """

    def __init__(
        self,
        store: GraphStore,
        path: Path | None = None,
        *,
        knowledge_base: KnowledgeBase | None = None,
    ) -> None:
        self.store = store
        self.path = path
        self.knowledge_base = knowledge_base

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        *,
        backend: str | None = None,
        read_only: bool = False,
        create: bool = True,
    ) -> KnowledgeGraph:
        """Open (or, with ``create``, create) the graph in directory ``path``.

        ``None`` gives an in-memory graph; an ``http(s)://`` URL the graph in a SPARQL server
        (``http://host:port/query`` for Oxigraph, ``http://host:port/sparql`` for Virtuoso).
        """
        if path is None:
            return cls(open_store(None, backend=backend or "memory"), None)
        if is_store_url(path):
            return cls(open_store(str(path), backend="sparql", read_only=read_only), None)
        path = Path(path)
        meta_path = path / META_FILE
        if path.exists() and not path.is_dir():
            raise StoreError(
                f"{path} is a file, not a graph folder: give --graph a new or existing folder"
            )
        if meta_path.is_file():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            stored = meta.get("backend", "oxigraph")
            if backend and backend != stored:
                raise StoreError(f"{path} holds a {stored} store, not {backend}")
            backend = stored
        elif read_only or not create:
            raise StoreError(f"no graph at {path}: build one with `kgr build DOCS --graph {path}`")
        elif path.exists() and any(path.iterdir()):
            raise StoreError(
                f"{path} exists and is not a kg_reasoner graph (no {META_FILE}): choose an empty "
                "or new directory"
            )
        backend = backend or "oxigraph"
        if backend == "memory":
            raise StoreError("the memory backend cannot be stored in a directory; use path=None")
        store = open_store(path / STORE_DIR, backend=backend, read_only=read_only)
        if not meta_path.is_file():
            meta_path.write_text(
                json.dumps({"backend": backend, "format": 1}, indent=2), encoding="utf-8"
            )
        return cls(store, path)

    @classmethod
    def from_triples(
        cls,
        factory: TriplesFactory,
        *,
        labels: Mapping[str, str] | None = None,
        aliases: Mapping[str, Iterable[str]] | None = None,
        types: Mapping[str, str] | None = None,
    ) -> KnowledgeGraph:
        """A read-only, in-memory graph of a knowledge base's triples (entities keyed by name:
        a missing label is the name, a missing type ``""``), loaded into its store on first
        read in the vocabulary of built graphs (:mod:`~kg_reasoner.graph.stores.kb_store`)."""
        return cls.from_knowledge_base(
            KnowledgeBase.from_factory(factory, labels=labels, aliases=aliases, types=types)
        )

    @classmethod
    def from_knowledge_base(cls, knowledge_base: KnowledgeBase) -> KnowledgeGraph:
        """:meth:`from_triples` for a :class:`KnowledgeBase` (entities by id, not by name)."""
        from kg_reasoner.graph.stores.kb_store import KBStore

        return cls(KBStore(knowledge_base), None, knowledge_base=knowledge_base)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- documents -------------------------------------------------------------------------
    def documents(self) -> dict[str, DocumentState]:
        """Every built document's id, content hash, fingerprint and source."""
        rows = self.store.query(
            "SELECT ?d ?id ?h ?f ?src WHERE { GRAPH ?d { ?d a kgr:Document ; kgr:documentId ?id ;"
            " kgr:contentHash ?h ; kgr:fingerprint ?f ; kgr:source ?src } }"
        )
        assert isinstance(rows, list)
        return {
            str(r["id"]): DocumentState(str(r["id"]), str(r["h"]), str(r["f"]), str(r["src"]))
            for r in rows
        }

    def delete_document(self, doc_id: str) -> str:
        """Delete a document and everything only it stated; returns the id deleted.

        ``doc_id`` may also be a path that ends with the id (``my_docs/reports/2019.txt``).
        """
        resolved = self.resolve_document_id(doc_id)
        from kg_reasoner.graph.vocabulary import document_iri

        graph = document_iri(resolved)
        named = labelled_entities(self.store, [graph])
        self.store.remove_documents([URIRef(graph)])
        refresh_labels(self.store, named)  # a label goes with the last document naming it
        self.store.compact()
        if self.path is not None:
            from kg_reasoner.graph.generation import bump_generation

            bump_generation(self.path)  # a running server picks the deletion up
        return resolved

    def resolve_document_id(self, doc_id: str) -> str:
        docs = self.documents()
        if doc_id in docs:
            return doc_id
        wanted = Path(doc_id).as_posix()
        matches = [
            d for d, st in docs.items()
            if wanted.endswith("/" + d) or Path(st.source).as_posix() == wanted
        ]  # fmt: skip
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise DocumentNotFoundError(
                f"{doc_id!r} matches several documents: {', '.join(matches)}"
            )
        close = [d for d in docs if Path(d).name == Path(doc_id).name][:5]
        hint = f"; similar ids: {', '.join(close)}" if close else ""
        raise DocumentNotFoundError(f"no document {doc_id!r} in the graph{hint}")

    # -- entities ----------------------------------------------------------------------------
    def entities(self) -> Iterator[EntityRecord]:
        """Every entity with its preferred label, type and aliases (merged over documents),
        in IRI order.

        Read with aggregate queries the store answers itself (types counted over documents,
        distinct aliases) and the shared label of each entity, so what comes back to Python
        grows with the entities, not with the documents that mention them."""
        labels = {} if labels_pending(self.store) else shared_labels(self.store)
        types: dict[str, Counter[str]] = defaultdict(Counter)
        rows = self.store.query(
            "SELECT ?e ?t (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e kgr:entityType ?t } } "
            "GROUP BY ?e ?t"
        )
        for r in rows:  # type: ignore[union-attr]
            types[str(r["e"])][str(r["t"])] = int(r["n"])
        aliases: dict[str, set[str]] = defaultdict(set)
        rows = self.store.query("SELECT DISTINCT ?e ?a WHERE { GRAPH ?g { ?e kgr:alias ?a } }")
        for r in rows:  # type: ignore[union-attr]
            aliases[str(r["e"])].add(str(r["a"]))
        unlabelled = [iri for iri in types if iri not in labels]
        if unlabelled:
            counted = document_labels(self.store, unlabelled)
            for iri in unlabelled:
                labels[iri] = best_label(counted.get(iri) or Counter({iri: 1}))
        for iri in sorted(types):
            kind = _main_type(types[iri])
            yield EntityRecord(iri, labels[iri], kind, tuple(sorted(aliases[iri])))

    def _entity_records(self, iris: list[str]) -> list[EntityRecord]:
        """Records for ``iris`` in that order.

        Read with quad patterns rather than a SPARQL join: over the union of document graphs a
        join of label x type x alias multiplies by the number of documents per entity.
        """
        labels = document_labels(self.store, iris)
        types: dict[str, Counter[str]] = defaultdict(Counter)
        aliases: dict[str, set[str]] = defaultdict(set)
        for subject in [URIRef(i) for i in iris]:
            for e, _, etype, _ in self.store.quads(subject, KGR.entityType, None):
                types[str(e)][str(etype)] += 1
            for e, _, alias, _ in self.store.quads(subject, KGR.alias, None):
                aliases[str(e)].add(str(alias))
        records = []
        for iri in [i for i in iris if i in types]:
            label = best_label(labels.get(iri) or Counter({iri: 1}))
            records.append(
                EntityRecord(iri, label, _main_type(types[iri]), tuple(sorted(aliases[iri])))
            )
        return records

    def find_entities(self, name: str) -> list[EntityRecord]:
        """Entities whose label or alias matches ``name`` exactly, else by normalised key.

        Sorted best first: exact label, then alias, then key match; ties by number of triples.
        """
        name = " ".join(name.split())
        iri = expand_term(name)  # ent:org.ibm or <https://...>, as the CLI prints entities
        if iri is not None:
            return self._entity_records([iri])
        if name.startswith("http://") or name.startswith("https://"):
            return self._entity_records([name])
        by_name = None if "://" in name else _node(name)  # a knowledge base's ent:<name>
        named = by_name is not None and any(
            True for _ in self.store.quads(by_name, KGR.entityType, None)
        )
        keys = {canonical_key(name, t) for t in ("PERSON", "ORG", "MISC")} - {""}
        lit = json.dumps(name)
        key_list = ", ".join(json.dumps(k) for k in sorted(keys)) or '""'
        rows = self.store.query(
            "SELECT DISTINCT ?e ?how WHERE { "
            f"{{ ?e kgr:documentLabel {lit} BIND(0 AS ?how) }} UNION "
            f"{{ ?e kgr:alias {lit} BIND(1 AS ?how) }} UNION "
            f"{{ ?e kgr:aliasKey ?k FILTER(?k IN ({key_list})) BIND(2 AS ?how) }} }}"
        )
        rank: dict[str, int] = {str(by_name): -1} if named else {}
        for r in rows:  # type: ignore[union-attr]
            iri = str(r["e"])
            rank[iri] = min(rank.get(iri, 9), int(r["how"]))
        degree = {iri: self._degree(iri) for iri in rank}
        ordered = sorted(rank, key=lambda i: (rank[i], -degree[i], i))
        return self._entity_records(ordered)

    def entity(self, id_or_name: str) -> EntityRecord:
        """The entity with this IRI, or the best match for this name."""
        found = self.find_entities(id_or_name)
        if not found:
            raise EntityNotFoundError(
                f"no entity named {id_or_name!r} in the graph (try `kgr stats` or a SPARQL "
                "query on rdfs:label to see what is there)"
            )
        return found[0]

    def _degree(self, iri: str) -> int:
        node = _node(iri)
        return sum(1 for _ in self._relation_quads(node, None, None)) + sum(
            1 for _ in self._relation_quads(None, None, node)
        )

    # -- triples and provenance ----------------------------------------------------------------
    def _relation_quads(
        self, s: URIRef | None, p: URIRef | None, o: URIRef | None
    ) -> Iterator[tuple[Any, Any, Any, Any]]:
        rel = str(REL)
        for q in self.store.quads(s, p, o):
            if str(q[1]).startswith(rel):
                yield q

    def _all_triples(self) -> Iterator[Triple]:
        """Every asserted relation once, in (subject, predicate, object) order: the store
        removes the copies that several documents state (relation predicates in batches)."""
        found: set[tuple[str, str, str, str]] = set()
        for values in predicate_batches(relation_predicates(self.store)):
            rows = self.store.query(
                f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} "
                "GRAPH ?g { ?s ?p ?o } }"
            )
            for r in rows:  # type: ignore[union-attr]
                obj = r["o"]
                datatype = str(obj.datatype or "") if isinstance(obj, Literal) else ""
                found.add((str(r["s"]), str(r["p"]), str(obj), datatype))
        for s, p, o, datatype in sorted(found):
            yield Triple(s, relation_label(p), o, datatype)

    def triples(
        self, subject: str | None = None, predicate: str | None = None, object: str | None = None
    ) -> Iterator[Triple]:
        """Asserted relations (deduplicated over documents); ``predicate`` is a relation label."""
        s = _node(subject) if subject else None
        p = URIRef(relation_iri(predicate)) if predicate else None
        o = _node(object) if object else None
        if s is None and p is None and o is None:
            yield from self._all_triples()
            return
        seen: set[tuple[str, str, str, str]] = set()
        for qs, qp, qo, _ in self._relation_quads(s, p, o):
            datatype = str(qo.datatype or "") if isinstance(qo, Literal) else ""
            key = (str(qs), str(qp), str(qo), datatype)
            if key not in seen:
                seen.add(key)
                yield Triple(key[0], relation_label(key[1]), key[2], datatype)

    def provenance(self, triple: Triple, *, limit: int | None = None) -> list[Provenance]:
        """Where ``triple`` was stated: one record per (document, sentence), most confident
        first; none for a knowledge base, which states no sentences (so answering never loads
        its store).

        With ``limit``, at most ``limit`` records, the most confident of the first
        ``limit * PROVENANCE_SCAN`` statements the store finds: what answering shows as
        evidence costs the same however many documents state the triple."""
        if self.knowledge_base is not None:
            return []
        term, where = _object_term(triple)
        wanted = None if limit is None else max(1, int(limit))
        bound = "" if wanted is None else f" LIMIT {wanted * PROVENANCE_SCAN}"
        subject = f"<{_node(triple.subject)}>"
        stated = _in_stating_graph(subject, relation_iri(triple.predicate), term)
        rows = self.store.query(
            f"SELECT ?id ?text ?start ?end ?ex ?conf ?ss ?se WHERE {{ {stated} "
            "?st kgr:document ?d ; kgr:sentence ?sent ; "
            "kgr:start ?start ; kgr:end ?end ; kgr:extractor ?ex ; kgr:confidence ?conf . "
            f"?sent kgr:text ?text ; kgr:start ?ss ; kgr:end ?se . ?d kgr:documentId ?id {where} }}"
            + bound
        )
        out = {
            (str(r["id"]), int(r["ss"])): Provenance(
                str(r["id"]), str(r["text"]), int(r["start"]), int(r["end"]), str(r["ex"]),
                float(r["conf"]), int(r["ss"]), int(r["se"]),
            )
            for r in rows  # type: ignore[union-attr]
        }  # fmt: skip
        found = sorted(out.values(), key=lambda p: (-p.confidence, p.document, p.start))
        return found[:wanted]

    def statements(self, triples: Iterable[Triple] | None = None) -> Iterator[StatementRecord]:
        """Every statement of a relation with its document, sentence position, the date its
        sentence states and the unit of a value object: what time-aware answering orders by.

        With ``triples``, only their statements, read with anchored queries (a batch of
        triples per query), so the cost follows what is asked, not the size of the graph."""
        select = "SELECT ?s ?p ?o ?id ?pos ?date ?unit WHERE { "
        details = (
            "?st kgr:document ?d ; kgr:position ?pos . ?d kgr:documentId ?id "
            "OPTIONAL { ?st kgr:statedDate ?date } OPTIONAL { ?st kgr:unit ?unit } "
        )
        if triples is None:
            every = "?st a kgr:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . "
            yield from self._statement_rows(select + every + details + "}")
            return
        body = _in_stating_graph("?s", "?p", "?o") + details
        anchored: list[str] = []
        for t in triples:
            term, where = _object_term(t)
            anchor = f"<{_node(t.subject)}> <{relation_iri(t.predicate)}>"
            if where:  # a value known by its lexical form: matched by a FILTER, one query
                values = f"VALUES (?s ?p) {{ ({anchor}) }} "
                yield from self._statement_rows(
                    f"{select}{values}{body}{where.replace('?value', '?o')} }}"
                )
            else:
                anchored.append(f"({anchor} {term})")
        for i in range(0, len(anchored), _STATEMENT_BATCH):
            values = f"VALUES (?s ?p ?o) {{ {' '.join(anchored[i : i + _STATEMENT_BATCH])} }} "
            yield from self._statement_rows(select + values + body + "}")

    def _statement_rows(self, query: str) -> Iterator[StatementRecord]:
        for r in self.store.query(query):  # type: ignore[union-attr]
            obj = r["o"]
            datatype = str(obj.datatype or "") if isinstance(obj, Literal) else ""
            yield StatementRecord(
                Triple(str(r["s"]), relation_label(str(r["p"])), str(obj), datatype),
                str(r["id"]),
                int(r["pos"]),
                "" if r.get("date") is None else str(r["date"]),
                "" if r.get("unit") is None else str(r["unit"]),
            )

    def value_units(self) -> dict[tuple[str, str], str]:
        """The unit stated with each value object, by ``(lexical form, datatype)``."""
        rows = self.store.query(
            "SELECT DISTINCT ?o ?unit WHERE { ?st kgr:unit ?unit ; rdf:object ?o }"
        )
        units: dict[tuple[str, str], str] = {}
        for r in rows:  # type: ignore[union-attr]
            obj = r["o"]
            datatype = str(obj.datatype or "") if isinstance(obj, Literal) else ""
            units.setdefault((str(obj), datatype), str(r["unit"]))
        return units

    def mentions(self, entity_id: str, limit: int = 20) -> list[Provenance]:
        """Sentences that mention an entity (document, sentence text and its offsets)."""
        rows = self.store.query(
            "SELECT DISTINCT ?id ?text ?ss ?se WHERE { "
            f"<{_node(entity_id)}> kgr:mentionedIn ?sent . "
            "?sent kgr:text ?text ; kgr:document ?d ; kgr:start ?ss ; kgr:end ?se . "
            "?d kgr:documentId ?id } "
            f"ORDER BY ?id ?ss LIMIT {int(limit)}"
        )
        return [
            Provenance(str(r["id"]), str(r["text"]), int(r["ss"]), int(r["se"]), "mention",
                       1.0, int(r["ss"]), int(r["se"]))
            for r in rows  # type: ignore[union-attr]
        ]  # fmt: skip

    def sparql(self, query: str) -> list[dict[str, str]] | bool:
        """Run a read-only SPARQL query (prefixes kgr:, ent:, rel:, doc:, rdf:, rdfs: predeclared).

        SELECT gives rows of strings, ASK a boolean, CONSTRUCT rows with s/p/o.
        """
        result = self.store.query(query)
        if isinstance(result, bool):
            return result
        rows: list[dict[str, str]] = []
        for item in result:
            if isinstance(item, dict):
                rows.append({k: ("" if v is None else str(v)) for k, v in item.items()})
            else:
                rows.append({"s": str(item[0]), "p": str(item[1]), "o": str(item[2])})
        return rows

    # -- conversions ---------------------------------------------------------------------------
    def to_networkx(self) -> Any:
        """A ``networkx.MultiDiGraph``: entity nodes (label, type), one edge per relation."""
        import networkx as nx

        graph = nx.MultiDiGraph()
        for e in self.entities():
            graph.add_node(e.id, label=e.label, type=e.type, aliases="|".join(e.aliases))
        for t in self.triples():
            graph.add_edge(t.subject, t.object, key=t.predicate, relation=t.predicate)
        return graph

    def triples_factory(self) -> TriplesFactory:
        """The graph as the one graph data model: vocabularies, an (n, 3) tensor and its CSR and
        PyG views (literal objects are nodes of their own; every entity is a node)."""
        from kg_reasoner.graph.triples_factory import TriplesFactory, labeled_triple

        return TriplesFactory.from_labeled_triples(
            (labeled_triple(t) for t in self.triples()), entities=(e.id for e in self.entities())
        )

    def stats(self) -> dict[str, Any]:
        """Counts of documents, entities, relations, statements, sentences and store size,
        counted by the store (:func:`~kg_reasoner.graph.graph_stats.graph_stats`)."""
        from kg_reasoner.graph.graph_stats import graph_stats

        return graph_stats(self.store)


def _main_type(counts: Counter[str]) -> str:
    """The type most documents give an entity; a tie goes to the smallest type, as in
    :func:`~kg_reasoner.graph.graph_stats.entity_types`."""
    best = max(counts.values())
    return min(t for t, n in counts.items() if n == best)


_STATEMENT_BATCH = 200  # triples per anchored statements query
# statements read per provenance record asked for (``provenance(limit=...)``)
PROVENANCE_SCAN = 4


def _in_stating_graph(s: str, p: str, o: str) -> str:
    """A pattern for the statements ``?st`` of ``s p o`` (SPARQL terms), found through the
    document graphs that hold the triple: a document graph holds every triple it states next
    to its statements, so the cost follows the documents stating this triple, not every
    statement of a subject that many sentences are about."""
    predicate = p if p.startswith("?") else f"<{p}>"
    return (
        f"GRAPH ?g {{ {s} {predicate} {o} }} "
        f"GRAPH ?g {{ ?st rdf:subject {s} ; rdf:predicate {predicate} ; rdf:object {o} }} "
    )


def _object_term(triple: Triple) -> tuple[str, str]:
    """The SPARQL term of a triple's object (an IRI or a typed literal), and a FILTER when
    the object is a value known only by its lexical form."""
    if triple.datatype:
        return literal_node_id(triple.object, triple.datatype), ""
    if is_literal_object(triple.object):
        lexical = literal_node_id(triple.object)
        return "?value", f"FILTER(isLiteral(?value) && STR(?value) = {lexical})"
    return f"<{_node(triple.object)}>", ""


def _node(entity_id: str) -> URIRef:
    """An entity id's IRI: an IRI as it is, a knowledge base's entity name as ``ent:<name>``."""
    return URIRef(name_iri(entity_id))


__all__ = ["KnowledgeGraph"]
