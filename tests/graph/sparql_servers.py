"""Real SPARQL servers on loopback for the tests: Oxigraph's ``oxigraph serve`` and OpenLink
Virtuoso (``virtuoso-t`` with a temporary ini), each started on a free port and stopped after.

Virtuoso's ``/sparql`` endpoint runs as the SQL user ``SPARQL``, which may only read until it
is given ``GRANT SPARQL_UPDATE TO "SPARQL"`` (done here through ``isql`` as ``dba``).
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str | None:
    """``oxigraph`` next to this Python (the ``oxigraph`` PyPI package), or on PATH."""
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.is_file() else shutil.which("oxigraph")


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited: {log.read_text(errors='replace')}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up in {seconds} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def oxigraph_server(directory: Path) -> Iterator[str]:
    """``oxigraph serve`` storing in ``directory``; yields its query URL."""
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("no oxigraph binary: pip install 'kg-reasoner[sparql-server]'")
    port = free_port()
    log = directory / "oxigraph.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "serve", "--location", str(directory / "data"), "--bind", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/query"
    try:
        _wait(url, process, log)
        yield url
    finally:
        _stop(process)


def virtuoso_available() -> bool:
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None


@contextlib.contextmanager
def virtuoso_server(
    directory: Path, *, grant_update: bool = True, max_rows: int = 10_000_000
) -> Iterator[str]:
    """``virtuoso-t`` with a database in ``directory``; yields its ``/sparql`` URL, which
    accepts updates with ``grant_update`` (the ``SPARQL`` user is granted ``SPARQL_UPDATE``) and
    answers a query with at most ``max_rows`` rows (``ResultSetMaxRows``; Virtuoso's default
    ini says 10000)."""
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(
        f"""[Database]
DatabaseFile = {directory}/virtuoso.db
ErrorLogFile = {directory}/virtuoso.log
LockFile = {directory}/virtuoso.lck
TransactionFile = {directory}/virtuoso.trx
xa_persistent_file = {directory}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {directory}/virtuoso-temp.db
TransactionFile = {directory}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {directory}
CaseMode = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {VIRTUOSO_VSP}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
""",
        encoding="utf-8",
    )
    log = directory / "virtuoso.out"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["virtuoso-t", "+foreground", "+configfile", str(ini)],
            cwd=directory,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        _wait(url, process, log)
        if grant_update:
            _grant_update(sql_port)
        yield url
    finally:
        _stop(process)


def _grant_update(sql_port: int) -> None:
    subprocess.run(
        [
            "isql-vt",
            f"127.0.0.1:{sql_port}",
            "dba",
            "dba",
            'exec=GRANT SPARQL_UPDATE TO "SPARQL";',
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
