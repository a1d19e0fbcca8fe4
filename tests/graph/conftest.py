"""Session-wide SPARQL servers on loopback (started on first use, stopped at the end)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

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
