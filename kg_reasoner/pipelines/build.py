"""``build``: documents -> an open knowledge graph and the report of what the build did.

>>> kg, report = build("kg_data/sample_corpus", "kg/", workers=2)
>>> with kg:
...     kg.entity("Marie Curie")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg_reasoner.building import BuildConfig, BuildReport
    from kg_reasoner.corpus import Document, Skipped
    from kg_reasoner.graph import KnowledgeGraph



def build(
    corpus: str | Path | Iterable[str | Path] | Iterable[Document | Skipped],
    graph: str | Path | KnowledgeGraph | None = None,
    *,
    config: BuildConfig | Mapping[str, Any] | str | Path | None = None,
    prune: bool = False,
    progress: bool = False,
    on_commit: Callable[[list[str]], None] | None = None,
    **options: Any,
) -> tuple[KnowledgeGraph, BuildReport]:
    """Build (or update) a graph from documents; returns the open graph and the build report.

    ``corpus`` is a folder or file (or a list of them), or documents already read.
    ``graph`` is a directory (opened, created if missing), the ``http(s)://`` URL of a SPARQL
    server holding the graph, an open :class:`KnowledgeGraph`, or None for an in-memory graph.
    ``config`` is a :class:`BuildConfig`, a mapping or a YAML file; ``options`` override its
    fields (``workers=2``, ``extraction={"extractor": ...}``, ``engine="ray", address="auto"``;
    ``num_workers`` is another name for ``workers``) and an unknown one is a
    :class:`~kg_reasoner.errors.ConfigError` naming the valid keys.
    Unchanged documents are skipped, changed ones replaced; with ``prune`` documents that left
    the corpus are deleted. The caller closes the graph (or uses ``with``).
    """
    from kg_reasoner.building import add_documents
    from kg_reasoner.graph import KnowledgeGraph

    if "num_workers" in options:  # the Ray spelling (`--num-workers`)
        options["workers"] = options.pop("num_workers")
    cfg = build_config(config, **options)
    documents = _documents(corpus, cfg)
    kg = graph if isinstance(graph, KnowledgeGraph) else KnowledgeGraph.open(graph)
    try:
        report = add_documents(
            kg, documents, config=cfg, prune=prune, progress=progress, on_commit=on_commit
        )
    except BaseException:
        if kg is not graph:
            kg.close()
        raise
    return kg, report


def build_graph(
    corpus: str | Path | Iterable[str | Path] | Iterable[Document | Skipped],
    graph_dir: str | Path | None,
    *,
    config: BuildConfig | Mapping[str, Any] | str | Path | None = None,
    prune: bool = False,
    progress: bool = False,
    **options: Any,
) -> BuildReport:
    """:func:`build` for callers that want only the report: the graph is closed afterwards
    (``graph_dir=None`` builds in memory and discards the graph)."""
    kg, report = build(corpus, graph_dir, config=config, prune=prune, progress=progress, **options)
    kg.close()
    return report


def build_config(
    config: BuildConfig | Mapping[str, Any] | str | Path | None = None, **options: Any
) -> BuildConfig:
    """A :class:`BuildConfig` from a config (object, mapping or YAML file) and field overrides.

    A mapping option merges into the section of the same name (``extraction={...}``).
    """
    from kg_reasoner.building import BuildConfig
    from kg_reasoner.config import read_yaml, validate_config

    if isinstance(config, BuildConfig) and not options:
        return config
    if isinstance(config, BuildConfig):
        data = config.model_dump()
        source = "build options"
    elif isinstance(config, (str, Path)):
        data = read_yaml(config)
        source = str(config)
    else:
        data = _plain(config or {})
        source = "build options"
    for key, value in options.items():
        current = data.get(key)
        if isinstance(value, Mapping) and isinstance(current, dict):
            data[key] = {**current, **_plain(value)}
        else:
            data[key] = _plain(value) if isinstance(value, Mapping) else value
    return validate_config(BuildConfig, data, source=source)


def _plain(mapping: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) if isinstance(v, Mapping) else v for k, v in mapping.items()}


def _documents(
    corpus: str | Path | Iterable[str | Path] | Iterable[Document | Skipped], cfg: BuildConfig
) -> Iterable[Document | Skipped]:
    """Paths are read with the config's corpus options; documents pass through as they are."""
    from kg_reasoner.corpus import read_corpus

    if isinstance(corpus, (str, Path)):
        return read_corpus([Path(corpus)], cfg.corpus)
    items = list(corpus)
    if all(isinstance(item, (str, Path)) for item in items):
        return read_corpus([Path(p) for p in items], cfg.corpus)  # type: ignore[arg-type]
    return items  # type: ignore[return-value]


__all__ = ["build", "build_config", "build_graph"]
