"""A SPARQL 1.1 endpoint on localhost: the Oxigraph server, loaded with the built graph.

The ``oxigraph`` package from PyPI ships the server binary (a Rust program, not Python),
so kg does not serve HTTP itself. :func:`running_server` loads the data files into a store
in a temporary directory (``oxigraph load``), starts ``oxigraph serve-read-only`` on it
(``serve`` when asked for a writable endpoint), waits until it answers a SPARQL query,
and on exit stops it and removes the directory. The data files are only ever read.

Endpoints, under the server's URL: ``/query`` (SPARQL 1.1 Protocol query), ``/update``
(writable servers only), ``/store`` (Graph Store HTTP Protocol).
"""

from __future__ import annotations

import json
import logging
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg.errors import DataError, EndpointError
from kg.rdf.store import rdf_format

__all__ = ["Server", "running_server", "oxigraph_binary", "sparql_select", "DEFAULT_PORT"]

log = logging.getLogger(__name__)

DEFAULT_PORT = 7878
"""Oxigraph's own default port."""
_HOST = "127.0.0.1"  # localhost only: the endpoint is for this machine's tools
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


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
    """Rows of a SELECT sent over the SPARQL 1.1 Protocol: variable -> value text."""
    request = urllib.request.Request(
        f"{query_url}?{urllib.parse.urlencode({'query': query})}",
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        results = json.load(response)
    return [
        {name: cell["value"] for name, cell in row.items()}
        for row in results["results"]["bindings"]
    ]


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
        if not Path(path).is_file():
            raise DataError(f"{path}: no such file (build one with `kg build`)")
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
    while True:
        if server.process.poll() is not None:
            text = log_path.read_text(encoding="utf-8", errors="replace").strip()
            reason = text.splitlines()[-1] if text else f"exit status {server.process.returncode}"
            hint = " (is the port in use? choose another with --port)" if "in use" in text else ""
            raise EndpointError(f"the Oxigraph server did not start: {reason}{hint}")
        try:
            rows = sparql_select(server.query_url, _COUNT, timeout=5.0)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise EndpointError(
                    f"the Oxigraph server did not answer at {server.url} within {timeout:.0f} s"
                ) from None
            time.sleep(0.1)
            continue
        server.triples = int(rows[0]["n"])
        return


def _die_with_parent() -> None:
    """Run in the server's child process before exec: on Linux, ask the kernel to stop it
    when kg dies, so a ``kill -9`` of ``kg serve`` leaves no server holding the port."""
    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1  # from <linux/prctl.h>
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


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
    timeout: float = 60.0,
) -> Iterator[Server]:
    """An Oxigraph server on ``127.0.0.1:port`` serving ``data``; stopped on exit.

    Read-only unless ``writable``. Raises DataError for a data file that cannot be
    loaded (with the line) and EndpointError when the server cannot start.
    """
    binary = oxigraph_binary()
    _check_port_free(port)
    with tempfile.TemporaryDirectory(prefix="kg-serve-") as workdir:
        location = Path(workdir) / "store"
        _load(binary, location, data)
        location.mkdir(exist_ok=True)
        mode = "serve" if writable else "serve-read-only"
        log_path = Path(workdir) / "server.log"
        command = [str(binary), mode, "--location", str(location), "--bind", f"{_HOST}:{port}"]
        log.info("starting %s", " ".join(command))
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        server = Server(url=f"http://{_HOST}:{port}", process=process, writable=writable, triples=0)
        try:
            _wait_until_ready(server, log_path, timeout)
            yield server
        finally:
            _stop(process)
