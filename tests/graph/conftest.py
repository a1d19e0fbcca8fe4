"""Session-wide SPARQL servers on loopback (started on first use, stopped at the end), and the
``store`` fixture: an empty store of every backend, servers included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg_reasoner.graph.stores import GraphStore, open_store
from tests.graph.sparql_servers import oxigraph_server, virtuoso_available, virtuoso_server


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph_server")) as url:
        yield url


@pytest.fixture(scope="session")
def virtuoso_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not virtuoso_available():
        pytest.skip("Virtuoso is not installed: `make test` installs virtuoso-opensource")
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso_server")) as url:
        yield url


SERVERS = {"oxigraph-server": "oxigraph_url", "virtuoso": "virtuoso_url"}
"""Backends on a real SPARQL server (the ``sparql`` backend), by the fixture giving its URL."""
STORE_PARAMS = ("oxigraph", "memory", *SERVERS)


@pytest.fixture(
    params=[pytest.param(p, marks=pytest.mark.slow) if p in SERVERS else p for p in STORE_PARAMS]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store of each backend (a server's store is emptied first: it lives on)."""
    if request.param in SERVERS:
        s = open_store(request.getfixturevalue(SERVERS[request.param]))
        s.remove_documents(s.named_graphs())
    else:
        s = open_store(tmp_path / "store", backend=request.param)
    yield s
    s.close()
