"""Any knowledge graph in memory as a :class:`ConceptGraph`: node and relation vocabularies, an
edge tensor, the source of every edge and the surface forms that ground text to nodes.

Three sources (:func:`load_concept_graph`): WordNet 3.0 (``"wordnet"``: Debian's
``/usr/share/wordnet``, or any directory of WordNet database files; converted once by
:mod:`kg_reasoner.graph.wordnet` and cached as ``.npz`` arrays + JSON, never pickle), a `kgr
build` graph directory (entity IRIs, labels and aliases; an edge's source is the sentence that
stated it) and a ``subject|relation|object`` file.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from kg_reasoner.errors import DataFormatError, StoreError
from kg_reasoner.graph.records import Triple
from kg_reasoner.graph.triples_factory import TriplesFactory, labeled_triple
from kg_reasoner.graph.vocabulary import relation_label
from kg_reasoner.graph.wordnet import (
    DEFAULT_WORDNET_DIR,
    WordNetGraph,
    is_wordnet_dir,
    read_wordnet,
    wordnet_files,
)

DEFAULT_CACHE_DIR = Path("runs/.kg_cache")
"""Where converted graphs and retrieved subgraphs are cached when no ``cache_dir`` is given."""

WORDNET_CACHE_VERSION = 1
"""Bump when :func:`kg_reasoner.graph.wordnet.read_wordnet` changes what it produces."""


@dataclass(frozen=True)
class ConceptGraph:
    """Any KG, in memory, as node/relation vocabularies and triples.

    ``edge_index`` [2, E] global node indices (subject -> object), ``edge_type`` [E];
    ``edge_sources[e]`` says where edge ``e`` comes from ("wordnet:hypernym", the sentence of a
    `kgr build` triple, or None); ``aliases`` maps a normalised surface form
    (:func:`normalise_surface`) to node indices, best first; ``fingerprint`` changes when the
    graph does (cache keys use it). ``node_descriptions`` (optional) holds e.g. WordNet glosses.
    """

    node_ids: list[str]
    node_labels: list[str]
    relations: list[str]
    edge_index: torch.Tensor
    edge_type: torch.Tensor
    edge_sources: list[str | None]
    aliases: dict[str, list[int]]
    fingerprint: str
    node_descriptions: list[str] = field(default_factory=list, repr=False)

    @property
    def num_nodes(self) -> int:
        return len(self.node_ids)

    @property
    def num_edges(self) -> int:
        return int(self.edge_type.shape[0])

    @property
    def num_relations(self) -> int:
        return len(self.relations)

    def __repr__(self) -> str:
        return (
            f"ConceptGraph(nodes={self.num_nodes}, edges={self.num_edges}, "
            f"relations={self.num_relations}, fingerprint={self.fingerprint!r})"
        )


def normalise_surface(text: str) -> str:
    """Lowercased, accent-free words separated by one space: ``"Canis_familiaris"`` ->
    ``"canis familiaris"``, ``"New-York!"`` -> ``"new york"`` (how aliases and n-grams meet)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in stripped).split())


def graph_fingerprint(
    node_ids: list[str], relations: list[str], edge_index: torch.Tensor, edge_type: torch.Tensor
) -> str:
    """A content hash of the vocabularies and edges (16 hex digits)."""
    digest = hashlib.sha256()
    digest.update("\n".join(node_ids).encode("utf-8"))
    digest.update(b"\0")
    digest.update("\n".join(relations).encode("utf-8"))
    digest.update(b"\0")
    digest.update(edge_index.numpy().astype(np.int64).tobytes())
    digest.update(edge_type.numpy().astype(np.int64).tobytes())
    return digest.hexdigest()[:16]


def load_concept_graph(source: str | Path, *, cache_dir: Path | None = None) -> ConceptGraph:
    """The :class:`ConceptGraph` of ``source``.

    ``"wordnet"`` (or ``"wordnet:DIR"``, or a directory of WordNet database files): WordNet 3.0,
    converted once and cached under ``cache_dir`` (default ``runs/.kg_cache``) keyed by the
    files' sizes and mtimes. A `kgr build` graph directory: its entities and triples, edge
    sources from provenance. A file: ``subject|relation|object`` lines. A missing, unreadable
    or malformed source raises a :class:`~kg_reasoner.errors.KGReasonerError` naming the fix.
    """
    text = str(source)
    if text == "wordnet" or text.startswith("wordnet:"):
        directory = Path(text.split(":", 1)[1]) if ":" in text else DEFAULT_WORDNET_DIR
        return _load_wordnet(directory, cache_dir)
    path = Path(source)
    if path.is_dir():
        if is_wordnet_dir(path):
            return _load_wordnet(path, cache_dir)
        return _from_built_graph(path)
    if path.is_file():
        return _from_triples_file(path)
    raise DataFormatError(
        f"knowledge graph not found: {source} (give 'wordnet', a `kgr build` graph directory or "
        "a subject|relation|object file)"
    )


# -- WordNet -----------------------------------------------------------------------------------
def _wordnet_cache_key(directory: Path) -> str:
    parts: list[object] = [WORDNET_CACHE_VERSION, str(directory.resolve())]
    for path in wordnet_files(directory):
        stat = path.stat()
        parts.append((path.name, stat.st_size, stat.st_mtime_ns))
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:16]


def _load_wordnet(directory: Path, cache_dir: Path | None) -> ConceptGraph:
    if not is_wordnet_dir(directory):
        raise DataFormatError(
            f"no WordNet database in {directory}: run `make wordnet` (installs Debian's "
            "wordnet-base) or give a directory holding data.noun and index.noun"
        )
    cache_dir = Path(cache_dir) if cache_dir is not None else DEFAULT_CACHE_DIR
    stem = cache_dir / f"wordnet-{_wordnet_cache_key(directory)}"
    arrays_path, meta_path = stem.with_suffix(".npz"), stem.with_suffix(".json")
    if arrays_path.is_file() and meta_path.is_file():
        try:
            return _read_wordnet_cache(arrays_path, meta_path)
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache is rebuilt below
    graph = read_wordnet(directory)
    concept = _concept_from_wordnet(graph)
    _write_wordnet_cache(concept, arrays_path, meta_path)
    return concept


def _concept_from_wordnet(graph: WordNetGraph) -> ConceptGraph:
    edge_index = torch.from_numpy(np.stack([graph.heads, graph.tails])).long()
    edge_type = torch.from_numpy(graph.edge_types).long()
    return _wordnet_concept(
        graph.node_ids,
        graph.node_labels,
        graph.node_descriptions,
        graph.relations,
        edge_index,
        edge_type,
        graph.aliases,
        graph_fingerprint(graph.node_ids, graph.relations, edge_index, edge_type),
    )


def _wordnet_concept(
    node_ids: list[str],
    labels: list[str],
    descriptions: list[str],
    relations: list[str],
    edge_index: torch.Tensor,
    edge_type: torch.Tensor,
    aliases: dict[str, list[int]],
    fingerprint: str,
) -> ConceptGraph:
    source_of = [f"wordnet:{r}" for r in relations]
    normalised: dict[str, list[int]] = {}
    for surface, nodes in aliases.items():
        bucket = normalised.setdefault(normalise_surface(surface), [])
        bucket.extend(n for n in nodes if n not in bucket)
    normalised.pop("", None)
    return ConceptGraph(
        node_ids=node_ids,
        node_labels=labels,
        relations=relations,
        edge_index=edge_index,
        edge_type=edge_type,
        edge_sources=[source_of[t] for t in edge_type.tolist()],
        aliases=normalised,
        fingerprint=fingerprint,
        node_descriptions=descriptions,
    )


def _write_wordnet_cache(graph: ConceptGraph, arrays_path: Path, meta_path: Path) -> None:
    """Arrays to ``.npz``, strings and aliases to JSON; each written to a temporary name first."""
    arrays_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_arrays = arrays_path.with_name(f".{arrays_path.stem}.{os.getpid()}.tmp.npz")
    tmp_meta = meta_path.with_name(f".{meta_path.name}.{os.getpid()}.tmp")
    np.savez(tmp_arrays, edge_index=graph.edge_index.numpy(), edge_type=graph.edge_type.numpy())
    meta = {
        "fingerprint": graph.fingerprint,
        "node_ids": graph.node_ids,
        "node_labels": graph.node_labels,
        "node_descriptions": graph.node_descriptions,
        "relations": graph.relations,
        "aliases": graph.aliases,
    }
    tmp_meta.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp_arrays, arrays_path)
    os.replace(tmp_meta, meta_path)


def _read_wordnet_cache(arrays_path: Path, meta_path: Path) -> ConceptGraph:
    with np.load(arrays_path, allow_pickle=False) as arrays:
        edge_index = torch.from_numpy(arrays["edge_index"].astype(np.int64))
        edge_type = torch.from_numpy(arrays["edge_type"].astype(np.int64))
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return _wordnet_concept(
        meta["node_ids"],
        meta["node_labels"],
        meta["node_descriptions"],
        meta["relations"],
        edge_index,
        edge_type,
        meta["aliases"],
        meta["fingerprint"],
    )


# -- triple files and built graphs ---------------------------------------------------------------
def _from_factory(
    factory: TriplesFactory,
    labels: list[str],
    extra_aliases: list[tuple[str, ...]],
    edge_sources: list[str | None],
) -> ConceptGraph:
    triples = factory.mapped_triples
    edge_index = triples[:, [0, 2]].t().contiguous()
    edge_type = triples[:, 1].contiguous()
    node_ids = factory.entity_ids
    aliases: dict[str, list[int]] = {}
    for i, (node_id, label) in enumerate(zip(node_ids, labels, strict=True)):
        local_name = node_id.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        forms = (label, *extra_aliases[i], local_name) if extra_aliases else (label, local_name)
        for form in forms:
            key = normalise_surface(form)
            if key:
                bucket = aliases.setdefault(key, [])
                if i not in bucket:
                    bucket.append(i)
    return ConceptGraph(
        node_ids=node_ids,
        node_labels=labels,
        relations=factory.relations,
        edge_index=edge_index,
        edge_type=edge_type,
        edge_sources=edge_sources,
        aliases=aliases,
        fingerprint=graph_fingerprint(node_ids, factory.relations, edge_index, edge_type),
    )


def _from_triples_file(path: Path) -> ConceptGraph:
    from kg_reasoner.retrieval.kb_readers import read_triples_factory

    try:
        factory = read_triples_factory(path)
    except UnicodeDecodeError:
        raise DataFormatError(
            f"{path} is not a UTF-8 text file of subject|relation|object lines"
        ) from None
    except OSError as exc:
        raise DataFormatError(f"cannot read {path}: {exc.strerror}") from None
    labels = [name.replace("_", " ") for name in factory.entity_ids]
    sources = []  # the statement as the file gives it, with the file: the edge's provenance
    for i in range(factory.num_triples):
        subject, relation, obj = factory.triple(i)
        sources.append(f"{path.name}: {subject}|{relation}|{obj}")
    return _from_factory(factory, labels, [], sources)


def _from_built_graph(path: Path) -> ConceptGraph:
    from kg_reasoner.retrieval.kb_graph import open_graph
    from kg_reasoner.retrieval.kb_readers import index_from_graph

    try:
        graph = open_graph(path)
    except StoreError as exc:
        raise StoreError(f"{exc} (or give 'wordnet' or a subject|relation|object file)") from None
    try:
        index = index_from_graph(graph)
        factory = index.triples_factory
        sources = _sentence_sources(graph, factory)
    finally:
        graph.close()
    return _from_factory(factory, list(index.entity_labels), list(index.entity_aliases), sources)


def _sentence_sources(graph: object, factory: TriplesFactory) -> list[str | None]:
    """Per triple of ``factory``: the text of the first sentence (by document, position) that
    stated it, read in one query; None for a triple with no recorded sentence."""
    from rdflib import Literal

    store = getattr(graph, "store", None)
    if store is None or getattr(graph, "knowledge_base", None) is not None:
        return [None] * factory.num_triples
    rows = store.query(
        "SELECT ?s ?p ?o ?id ?ss ?text WHERE { ?st rdf:subject ?s ; rdf:predicate ?p ; "
        "rdf:object ?o ; kgr:document ?d ; kgr:sentence ?sent . "
        "?sent kgr:text ?text ; kgr:start ?ss . ?d kgr:documentId ?id }"
    )
    triple_id = {factory.triple(i): i for i in range(factory.num_triples)}
    best: dict[int, tuple[str, int, str]] = {}
    for r in rows:  # type: ignore[union-attr]
        obj = r["o"]
        datatype = str(obj.datatype or "") if isinstance(obj, Literal) else ""
        triple = Triple(str(r["s"]), relation_label(str(r["p"])), str(obj), datatype)
        i = triple_id.get(labeled_triple(triple))
        if i is None:
            continue
        candidate = (str(r["id"]), int(r["ss"]), str(r["text"]))
        if i not in best or candidate < best[i]:
            best[i] = candidate
    return [best[i][2] if i in best else None for i in range(factory.num_triples)]


__all__ = [
    "DEFAULT_CACHE_DIR",
    "ConceptGraph",
    "graph_fingerprint",
    "load_concept_graph",
    "normalise_surface",
]
