"""A SPARQL 1.1 endpoint on localhost: the Oxigraph server, loaded with the built graph.

The ``oxigraph`` package from PyPI ships the server binary (a Rust program, not Python),
so kg does not serve HTTP itself. :func:`running_server` loads the data files into a store
in a temporary directory (``oxigraph load``), starts ``oxigraph serve-read-only`` on it
(``serve`` when asked for a writable endpoint), waits until it answers a SPARQL query,
and on exit stops it and removes the directory. The data files are only ever read.

A ``kill -9`` leaves no exit to run: the Oxigraph child stops with kg (a parent-death
signal), and the store copy stays in the temporary directory. So each running server holds
a lock on its directory, and each start removes the ``kg-serve-*`` directories of this
user whose lock nobody holds any more.

Endpoints, under the server's URL: ``/query`` (SPARQL 1.1 Protocol query), ``/update``
(writable servers only), ``/store`` (Graph Store HTTP Protocol).

The server answers plain ``GET`` requests, so any web page the user visits can make it run
a query, and the Oxigraph server executes ``SERVICE`` (and ``LOAD``) to any host: a page
could have it send requests (it cannot read the answers, but the requests leave). The
server has no option to turn that off, so unless ``allow_remote`` it runs under the
connection filter of :mod:`kg.sparql.sandbox`: it still accepts connections, but cannot
make any, and a ``SERVICE`` fails with "Operation not permitted". Why not a front of kg's
own that reads each request and forwards the safe ones: it would have to read the HTTP
request, its form encoding and the query exactly as the Oxigraph server does (a second
reading that differs is how ``kg query``'s checks were passed), and the server behind it
would still listen on a local port a page can reach. Why not serve from pyoxigraph in kg's
process: kg would re-implement the SPARQL and Graph Store protocols and the query page the
server provides. The kernel's filter holds whatever the request says, at no cost.

A query still running after ``timeout`` seconds is cancelled by the server itself (its
``--timeout-s``), so a page cannot keep it busy with a query that never ends either.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kg.errors import DataError, EndpointError
from kg.rdf.store import check_rdf_file, rdf_format
from kg.sources.http import AttemptFailed, NetworkPolicy, Session, parse_json
from kg.sparql import sandbox

__all__ = [
    "Server", "running_server", "oxigraph_binary", "sparql_select", "DEFAULT_PORT", "DEFAULT_TIMEOUT",
]

log = logging.getLogger(__name__)

DEFAULT_PORT = 7878
"""Oxigraph's own default port."""
DEFAULT_TIMEOUT = 60
"""Seconds a query may run on the server before it is cancelled (``kg serve --timeout``)."""
_HOST = "127.0.0.1"  # localhost only: the endpoint is for this machine's tools
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
_WORKDIR_PREFIX = "kg-serve-"
_LOCK_FILE = "in-use.lock"


def oxigraph_binary() -> Path:
    """The ``oxigraph`` program: next to this Python's scripts (the venv), else on PATH."""
    scripts = Path(sysconfig.get_path("scripts")) / "oxigraph"
    if scripts.is_file():
        return scripts
    found = shutil.which("oxigraph")
    if found is None:
        raise EndpointError(
            "the Oxigraph server is not installed: `pip install oxigraph` (kg depends on it)"
        )
    return Path(found)


@dataclass
class Server:
    """A running Oxigraph server."""

    url: str
    """``http://127.0.0.1:PORT``"""
    process: subprocess.Popen[bytes]
    writable: bool
    triples: int
    """How many triples it serves (counted through the endpoint once it answered)."""
    remote: bool = False
    """It may send requests to other servers (``SERVICE``, ``LOAD``)."""

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.url}/update"

    @property
    def store_url(self) -> str:
        """The Graph Store HTTP Protocol endpoint."""
        return f"{self.url}/store"

    def wait(self) -> int:
        """Block until the server exits (for instance after Ctrl-C); its exit status."""
        return self.process.wait()


def sparql_select(query_url: str, query: str, timeout: float = 30.0) -> list[dict[str, str]]:
    """Rows of a SELECT sent over the SPARQL 1.1 Protocol: variable -> value text.

    Raises EndpointError when the endpoint cannot be reached or does not answer rows.
    """
    with Session(_select_policy(timeout)) as session:
        try:
            return _select(session, query_url, query)
        except AttemptFailed as failure:
            raise EndpointError(f"{query_url}: {failure.reason}") from None


def _select_policy(timeout: float) -> NetworkPolicy:
    return NetworkPolicy(timeout=timeout, connect_timeout=min(timeout, 5.0), deadline=timeout)


def _select(session: Session, query_url: str, query: str) -> list[dict[str, str]]:
    reply = session.exchange(
        "GET", f"{query_url}?{urllib.parse.urlencode({'query': query})}",
        headers={"accept": "application/sparql-results+json"},
    )
    if reply.status != 200:
        said = " ".join(reply.text.split())[:300]
        raise EndpointError(f"{query_url}: HTTP {reply.status}{': ' + said if said else ''}")
    try:
        results = parse_json(reply.body)
        return [
            {name: cell["value"] for name, cell in row.items()}
            for row in results["results"]["bindings"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise EndpointError(f"{query_url}: not SPARQL JSON results ({err})") from None


def _check_port_free(port: int) -> None:
    """Fail early on a port in use: a server already there would answer our readiness probe."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the server will: connections closing in TIME_WAIT do not make a port busy.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((_HOST, port))
        except OSError as err:
            raise EndpointError(
                f"port {port} on {_HOST} is in use ({err.strerror}): choose another with --port"
            ) from err


def _load(binary: Path, location: Path, data: Sequence[Path]) -> None:
    for path in data:
        check_rdf_file(Path(path))  # what every reader refuses (a FIFO, a DTD), the server's loader too
        command = [
            str(binary), "load", "--location", str(location), "--file", str(path),
            "--format", rdf_format(Path(path)).file_extension,
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            reason = next(
                (line.split(": ", 1)[-1] for line in done.stderr.splitlines()
                 if line.startswith("Error while loading")),
                done.stderr.strip().splitlines()[0] if done.stderr.strip() else "unknown error",
            )
            raise DataError(f"{path}: not valid RDF: {reason}")


def _wait_until_ready(server: Server, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with Session(_select_policy(5.0)) as session:
        while True:
            if server.process.poll() is not None:
                text = log_path.read_text(encoding="utf-8", errors="replace").strip()
                reason = text.splitlines()[-1] if text else f"exit status {server.process.returncode}"
                hint = " (is the port in use? choose another with --port)" if "in use" in text else ""
                raise EndpointError(f"the Oxigraph server did not start: {reason}{hint}")
            try:
                rows = _select(session, server.query_url, _COUNT)
            except AttemptFailed:  # not listening yet
                if time.monotonic() > deadline:
                    raise EndpointError(
                        f"the Oxigraph server did not answer at {server.url} within {timeout:.0f} s"
                    ) from None
                time.sleep(0.1)
                continue
            server.triples = int(rows[0]["n"])
            return


def _remove_stale_copies(parent: Path) -> list[Path]:
    """Remove the store copies that servers killed without an exit left in ``parent``: the
    ``kg-serve-*`` directories of this user whose lock no process holds."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): leave them to the OS's cleaning
        return []
    removed = []
    for directory in parent.glob(f"{_WORKDIR_PREFIX}*"):
        lock_path = directory / _LOCK_FILE
        try:
            if directory.is_symlink() or directory.stat().st_uid != os.getuid():
                continue
            with lock_path.open("rb") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held: in use, skip it
                shutil.rmtree(directory)
        except OSError:  # no lock file (not kg's), in use, or gone meanwhile
            continue
        log.info("removed %s, left by a server that was killed", directory)
        removed.append(directory)
    return removed


def _hold_lock(workdir: Path) -> IO[bytes] | None:
    """Lock ``workdir`` as in use for as long as the returned file stays open. The lock is
    taken before its file gets its name, so no other start can see it unheld."""
    try:
        import fcntl
    except ImportError:
        return None
    pending = workdir / f".{_LOCK_FILE}"
    lock = pending.open("wb")
    fcntl.flock(lock, fcntl.LOCK_EX)
    pending.rename(workdir / _LOCK_FILE)
    return lock


def _before_exec(allow_remote: bool) -> None:
    """Run in the server's child process before exec (see the module's docstring): on
    Linux the server stops when kg dies, so a ``kill -9`` of ``kg serve`` leaves no server
    holding the port."""
    sandbox.die_with_parent(signal.SIGTERM)
    if not allow_remote:
        sandbox.forbid_connections()


_NO_FILTER = (
    "kg serve cannot keep the Oxigraph server from sending SERVICE and LOAD requests "
    "to other servers here ({reason}); pass --allow-remote to serve all the same"
)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_server(
    data: Sequence[Path] = (),
    *,
    port: int = DEFAULT_PORT,
    writable: bool = False,
    allow_remote: bool = False,
    query_timeout: float = DEFAULT_TIMEOUT,
    timeout: float = 60.0,
) -> Iterator[Server]:
    """An Oxigraph server on ``127.0.0.1:port`` serving ``data``; stopped on exit.

    Read-only unless ``writable``; unable to connect to other servers unless
    ``allow_remote``; a query is cancelled after ``query_timeout`` seconds (0: never).
    ``timeout`` bounds the wait for the server to answer. Raises DataError for a data file
    that cannot be loaded (with the line) and EndpointError when the server cannot start.
    """
    binary = oxigraph_binary()
    filter_ready = sandbox.ready()  # the C library found now: the child only calls it
    if not allow_remote and not filter_ready:
        raise EndpointError(_NO_FILTER.format(reason=f"no connection filter on {sys.platform}"))
    _check_port_free(port)
    _remove_stale_copies(Path(tempfile.gettempdir()))
    workdir = Path(tempfile.mkdtemp(prefix=_WORKDIR_PREFIX))
    lock = _hold_lock(workdir)
    try:
        location = workdir / "store"
        _load(binary, location, data)
        location.mkdir(exist_ok=True)
        mode = "serve" if writable else "serve-read-only"
        log_path = workdir / "server.log"
        command = [str(binary), mode, "--location", str(location), "--bind", f"{_HOST}:{port}"]
        if query_timeout:
            command += ["--timeout-s", str(max(1, round(query_timeout)))]
        log.info("starting %s", " ".join(command))
        with log_path.open("wb") as log_file:
            try:
                process = subprocess.Popen(
                    command, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                    preexec_fn=lambda: _before_exec(allow_remote),
                )
            except subprocess.SubprocessError:  # raised in the child: the filter was refused
                raise EndpointError(
                    _NO_FILTER.format(reason="the kernel refused the connection filter")
                ) from None
        server = Server(
            url=f"http://{_HOST}:{port}", process=process, writable=writable, triples=0,
            remote=allow_remote,
        )
        try:
            _wait_until_ready(server, log_path, timeout)
            yield server
        finally:
            _stop(process)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if lock is not None:  # released only once the directory is gone
            lock.close()
