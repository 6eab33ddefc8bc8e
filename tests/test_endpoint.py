"""The graph on the wire: `kg serve` (a real Oxigraph server) answers SPARQL over HTTP, and
`kg push` lands the graph in a real store through the Graph Store HTTP Protocol."""

from __future__ import annotations

import base64
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from cli_runs import REPO, kg

from kg.errors import DataError, EndpointError
from kg.rdf.store import load_store
from kg.sparql.engine import bind_parameters, named_query, run_query, solution_rows
from kg.sparql.push import push_graph
from kg.sparql.serve import Server, running_server, sparql_select

FIELD = Path(__file__).parent / "data" / "small-field.ttl"
GRAPH = "https://example.org/synthetic/graph"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_serving(port: int) -> tuple[subprocess.Popen[str], str]:
    """`kg serve` on the small field; returns once it says it serves (and what it said)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(FIELD), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    watchdog = threading.Timer(120, process.kill)  # a hung start fails the test, not the run
    watchdog.start()
    said = ""
    try:
        assert process.stdout is not None
        while "Ctrl-C stops the server" not in said:
            line = process.stdout.readline()
            assert line, process.communicate()
            said += line
    finally:
        watchdog.cancel()
    return process, said


def local_rows(text: str) -> list[list[str]]:
    """The rows pyoxigraph answers in this process (its results live and die in this frame:
    they may not be freed from another thread, such as a test server's)."""
    result = run_query(load_store(FIELD), text).result
    assert isinstance(result, ox.QuerySolutions)
    _, rows = solution_rows(result)
    return list(rows)


def count(query_url: str, where: str) -> int:
    return int(sparql_select(query_url, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[0]["n"])


# --- kg serve --------------------------------------------------------------------------------


def test_kg_serve_answers_sparql_over_http_and_stops_cleanly() -> None:
    port = free_port()
    process, said = start_serving(port)
    url = f"http://127.0.0.1:{port}"
    try:
        # A shipped query over the SPARQL 1.1 Protocol answers what pyoxigraph answers here.
        query = named_query("co-cited")
        assert query is not None
        text = bind_parameters(query.text, {})
        over_http = [
            [row["a"], row["b"], row["co_citations"]]
            for row in sparql_select(f"{url}/query", text)
        ]
        assert over_http == [[r[0], r[2], r[4]] for r in local_rows(text)] and len(over_http) == 3
        # Read-only: updates and Graph Store writes are refused by the server itself.
        update = urllib.request.Request(
            f"{url}/update", data=urllib.parse.urlencode({"update": "CLEAR ALL"}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"}, method="POST",
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update, timeout=10)
        assert refused.value.code == 403
        assert count(f"{url}/query", "?s ?p ?o") == len(load_store(FIELD))
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert f"{url}/query" in said and "read-only" in said and "stopped" in stdout
    with pytest.raises(urllib.error.URLError):  # the Oxigraph child went with it
        sparql_select(f"{url}/query", "SELECT * WHERE {} LIMIT 1", timeout=2)


def test_kg_serve_stops_on_sigterm_too() -> None:
    port = free_port()
    process, _ = start_serving(port)
    try:
        assert sparql_select(f"http://127.0.0.1:{port}/query", "SELECT * WHERE {} LIMIT 1") == [{}]
    finally:
        process.terminate()
        stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "stopped" in stdout
    with pytest.raises(urllib.error.URLError):
        sparql_select(f"http://127.0.0.1:{port}/query", "SELECT * WHERE {} LIMIT 1", timeout=2)


@pytest.mark.skipif(sys.platform != "linux", reason="the parent-death signal is Linux's")
def test_kg_serve_killed_with_sigkill_takes_the_server_with_it() -> None:
    port = free_port()
    process, _ = start_serving(port)
    query_url = f"http://127.0.0.1:{port}/query"
    assert sparql_select(query_url, "SELECT * WHERE {} LIMIT 1") == [{}]
    process.kill()  # no handler runs: only the kernel can stop the Oxigraph child now
    process.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            sparql_select(query_url, "SELECT * WHERE {} LIMIT 1", timeout=1)
        except OSError:  # refused, or reset while the server went down
            break
        time.sleep(0.2)
    else:
        pytest.fail(f"the Oxigraph server still answers on port {port} after kg was killed")


def test_kg_serve_names_the_line_of_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("<http://a> <http://b> <http://c> .\n<http://a> <http://b> \"open .\n", encoding="utf-8")
    result = kg("serve", str(bad), "--port", str(free_port()))
    assert result.returncode == 1
    assert "broken.ttl: not valid RDF" in result.stderr and "line 2" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_in_use_is_refused_with_advice() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(EndpointError, match=f"port {port} .* in use.*--port"):
            with running_server([FIELD], port=port):
                pass


# --- kg push ---------------------------------------------------------------------------------


@pytest.fixture()
def store_server() -> Iterator[Server]:
    """A real, writable, empty Oxigraph server for this test."""
    with running_server([], port=free_port(), writable=True) as server:
        yield server


def test_kg_push_lands_the_graph_in_a_real_store(store_server: Server, tmp_path: Path) -> None:
    triples = len(load_store(FIELD))
    pushed = kg("push", str(FIELD), "--endpoint", store_server.store_url, "--graph", GRAPH)
    assert pushed.returncode == 0, pushed.stderr
    assert f"pushed {triples} triples" in pushed.stdout
    in_graph = f"GRAPH <{GRAPH}> {{ ?s ?p ?o }}"
    assert count(store_server.query_url, in_graph) == triples
    assert count(store_server.query_url, "?s ?p ?o") == 0  # the default graph is untouched
    # The graph answers like the file: a named query run against the server.
    query = named_query("candidates")
    assert query is not None
    over_http = sparql_select(
        store_server.query_url,
        bind_parameters(query.text, {}).replace("WHERE {", f"FROM <{GRAPH}>\nWHERE {{", 1),
    )
    assert [row["title"] for row in over_http] == ["Cited X", "Cited Y"]
    # PUT replaces: pushing again leaves the same triples; --add (POST) merges.
    assert kg("push", str(FIELD), "--endpoint", store_server.store_url, "--graph", GRAPH).returncode == 0
    assert count(store_server.query_url, in_graph) == triples
    extra = tmp_path / "extra.ttl"
    extra.write_text("<https://example.org/synthetic/new> <https://example.org/synthetic/p> 1 .\n", encoding="utf-8")
    added = kg("push", str(extra), "--endpoint", store_server.store_url, "--graph", GRAPH, "--add")
    assert added.returncode == 0, added.stderr
    assert count(store_server.query_url, in_graph) == triples + 1
    # Without --graph, the default graph.
    assert kg("push", str(FIELD), "--endpoint", store_server.store_url).returncode == 0
    assert count(store_server.query_url, "?s ?p ?o") == triples


def test_a_bad_file_is_refused_before_anything_is_sent(store_server: Server, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://a> <http://b> .\n", encoding="utf-8")
    with pytest.raises(DataError, match="bad.ttl: not valid RDF"):
        push_graph(bad, store_server.store_url, graph=GRAPH)
    assert count(store_server.query_url, "GRAPH ?g { ?s ?p ?o }") == 0


def test_an_unreachable_endpoint_is_a_clear_error() -> None:
    result = kg("push", str(FIELD), "--endpoint", f"http://127.0.0.1:{free_port()}/store")
    assert result.returncode == 1
    assert "cannot reach" in result.stderr and "Traceback" not in result.stderr


class _Guarded(http.server.BaseHTTPRequestHandler):
    """A Graph Store that wants basic auth (user "curator", password "s3cret")."""

    seen: list[tuple[str, str, str]] = []

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append((self.path, self.headers.get("Authorization", ""), self.headers["Content-Type"]))
        expected = "Basic " + base64.b64encode(b"curator:s3cret").decode()
        self.send_response(204 if self.headers.get("Authorization") == expected and body else 401)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_basic_auth_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    _Guarded.seen = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Guarded)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()  # quick to shut down
    endpoint = f"http://127.0.0.1:{server.server_port}/ds/data"
    try:
        monkeypatch.setenv("KG_PUSH_USER", "curator")
        monkeypatch.setenv("KG_PUSH_PASSWORD", "wrong")
        refused = kg("push", str(FIELD), "--endpoint", endpoint)
        assert refused.returncode == 1
        assert "HTTP 401" in refused.stderr and "KG_PUSH_USER" in refused.stderr
        assert "wrong" not in refused.stderr + refused.stdout  # never shown
        monkeypatch.setenv("KG_PUSH_PASSWORD", "s3cret")
        accepted = kg("push", str(FIELD), "--endpoint", endpoint, "--graph", GRAPH)
        assert accepted.returncode == 0, accepted.stderr
    finally:
        server.shutdown()
        server.server_close()
    assert [path for path, _, _ in _Guarded.seen] == [
        "/ds/data?default", "/ds/data?" + urllib.parse.urlencode({"graph": GRAPH})
    ]
    assert {content_type for _, _, content_type in _Guarded.seen} == {"text/turtle"}
