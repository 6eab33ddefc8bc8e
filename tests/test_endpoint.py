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
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from cli_runs import REPO, kg
from recorder import ANSWER_ROW, recording_server
from typer.testing import CliRunner, Result

from kg.cli import app
from kg.errors import DataError, EndpointError
from kg.rdf.store import load_store
from kg.sources.http import NetworkPolicy
from kg.sparql import sandbox
from kg.sparql.engine import bind_parameters, named_query, run_query, solution_rows
from kg.sparql.push import PUSH_POLICY, push_graph
from kg.sparql.serve import Server, running_server, sparql_select

FIELD = Path(__file__).parent / "data" / "small-field.ttl"
GRAPH = "https://example.org/synthetic/graph"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_serving(port: int, tmpdir: Path | None = None) -> tuple[subprocess.Popen[str], str]:
    """`kg serve` on the small field; returns once it says it serves (and what it said)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), **({"TMPDIR": str(tmpdir)} if tmpdir else {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(FIELD), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
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
        refused = httpx.post(f"{url}/update", data={"update": "CLEAR ALL"}, timeout=10)
        assert refused.status_code == 403
        assert count(f"{url}/query", "?s ?p ?o") == len(load_store(FIELD))
        # A web page can send the endpoint a query with a plain GET: a SERVICE in it
        # reaches no server (issue 12, item 2); --allow-remote lets it (the next test).
        with recording_server() as remote:
            called = f"SELECT ?s WHERE {{ SERVICE <{remote.endpoint()}> {{ ?s ?p ?o }} }}"
            answer = httpx.get(f"{url}/query", params={"query": called}, timeout=10)
        assert remote.requests == [] and "Operation not permitted" in answer.text
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert f"{url}/query" in said and "read-only" in said and "stopped" in stdout
    assert "SERVICE and LOAD to other servers: refused (--allow-remote allows them)" in said
    with pytest.raises(EndpointError, match="cannot connect"):  # the Oxigraph child went with it
        sparql_select(f"{url}/query", "SELECT * WHERE {} LIMIT 1", timeout=2)


@pytest.mark.skipif(not sandbox.supported(), reason="the connection filter is Linux's (x86-64, ARM64)")
def test_a_server_allowed_remote_calls_makes_them_and_cancels_a_query_past_its_limit() -> None:
    with recording_server() as remote, running_server(
        [FIELD], port=free_port(), allow_remote=True, query_timeout=1
    ) as server:
        called = f"SELECT ?s WHERE {{ SERVICE <{remote.endpoint()}> {{ ?s ?p ?o }} }}"
        assert sparql_select(server.query_url, called) == [{"s": ANSWER_ROW}]
        assert remote.requests == ["POST /sparql"]
        started = time.monotonic()  # 10^8 rows to count: 17 s here without a limit
        long = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        answer = httpx.get(server.query_url, params={"query": long}, timeout=60)
        assert "The SPARQL operation has been cancelled" in answer.text
        assert time.monotonic() - started < 10  # a liveness bound: the server's limit stopped it


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
    with pytest.raises(EndpointError, match="cannot connect"):
        sparql_select(f"http://127.0.0.1:{port}/query", "SELECT * WHERE {} LIMIT 1", timeout=2)


@pytest.mark.skipif(sys.platform != "linux", reason="the parent-death signal is Linux's")
def test_kg_serve_killed_with_sigkill_takes_the_server_with_it_and_its_copy_goes_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    process, _ = start_serving(port, tmpdir=tmp_path)
    query_url = f"http://127.0.0.1:{port}/query"
    assert sparql_select(query_url, "SELECT * WHERE {} LIMIT 1") == [{}]
    process.kill()  # no handler runs: only the kernel can stop the Oxigraph child now
    process.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            sparql_select(query_url, "SELECT * WHERE {} LIMIT 1", timeout=1)
        except EndpointError:  # refused, or reset while the server went down
            break
        time.sleep(0.2)  # polling the child's exit: no signal of its own to wait for
    else:
        pytest.fail(f"the Oxigraph server still answers on port {port} after kg was killed")
    left = list(tmp_path.glob("kg-serve-*"))
    assert len(left) == 1 and (left[0] / "store").is_dir()  # no exit ran to remove it
    # The next start removes it (and only it: a running server's copy is locked).
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with running_server([FIELD], port=free_port()) as first, running_server([], port=free_port(), writable=True):
        assert first.triples == len(load_store(FIELD))
        running = list(tmp_path.glob("kg-serve-*"))
        assert len(running) == 2 and left[0] not in running
    assert list(tmp_path.glob("kg-serve-*")) == []


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


def push_in_process(*args: str) -> Result:
    """`kg push` through the real command line, in this process."""
    return CliRunner().invoke(app, ["push", *args])


@pytest.fixture()
def store_server() -> Iterator[Server]:
    """A real, writable, empty Oxigraph server for this test."""
    with running_server([], port=free_port(), writable=True) as server:
        yield server


def test_kg_push_lands_the_graph_in_a_real_store(store_server: Server, tmp_path: Path) -> None:
    triples = len(load_store(FIELD))
    pushed = push_in_process(str(FIELD), "--endpoint", store_server.store_url, "--graph", GRAPH)
    assert pushed.exit_code == 0, pushed.stderr
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
    assert push_in_process(str(FIELD), "--endpoint", store_server.store_url, "--graph", GRAPH).exit_code == 0
    assert count(store_server.query_url, in_graph) == triples
    extra = tmp_path / "extra.ttl"
    extra.write_text("<https://example.org/synthetic/new> <https://example.org/synthetic/p> 1 .\n", encoding="utf-8")
    added = push_in_process(str(extra), "--endpoint", store_server.store_url, "--graph", GRAPH, "--add")
    assert added.exit_code == 0, added.stderr
    assert count(store_server.query_url, in_graph) == triples + 1
    # Without --graph, the default graph.
    assert push_in_process(str(FIELD), "--endpoint", store_server.store_url).exit_code == 0
    assert count(store_server.query_url, "?s ?p ?o") == triples


def test_a_bad_file_is_refused_before_anything_is_sent(store_server: Server, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://a> <http://b> .\n", encoding="utf-8")
    with pytest.raises(DataError, match="bad.ttl: not valid RDF"):
        push_graph(bad, store_server.store_url, graph=GRAPH)
    assert count(store_server.query_url, "GRAPH ?g { ?s ?p ?o }") == 0


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
        refused = push_in_process(str(FIELD), "--endpoint", endpoint)
        assert refused.exit_code == 1
        assert "HTTP 401" in refused.stderr and "KG_PUSH_USER" in refused.stderr
        assert "wrong" not in refused.stderr + refused.stdout  # never shown
        monkeypatch.setenv("KG_PUSH_PASSWORD", "s3cret")
        accepted = push_in_process(str(FIELD), "--endpoint", endpoint, "--graph", GRAPH)
        assert accepted.exit_code == 0, accepted.stderr
    finally:
        server.shutdown()
        server.server_close()
    assert [path for path, _, _ in _Guarded.seen] == [
        "/ds/data?default", "/ds/data?" + urllib.parse.urlencode({"graph": GRAPH})
    ]
    assert {content_type for _, _, content_type in _Guarded.seen} == {"text/turtle"}


# --- what kg push refuses (issue 12, item 3) ----------------------------------------------


@dataclass
class Scripted:
    """A Graph Store that answers each request as its script says, and records them."""

    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    """(status, headers) per request in turn; 204 once the script runs out."""
    seen: list[tuple[str, str, str]] = field(default_factory=list)
    """(method, path, Authorization header) of each request."""
    url: str = ""


@contextmanager
def scripted_store(script: list[tuple[int, dict[str, str]]] | None = None) -> Iterator[Scripted]:
    state = Scripted(script=list(script or []))

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state.seen.append((self.command, self.path, self.headers.get("Authorization", "")))
            status, headers = state.script.pop(0) if state.script else (204, {})
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_PUT = do_POST = do_GET = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def test_kg_push_add_follows_no_redirect_and_says_nothing_was_pushed(monkeypatch: pytest.MonkeyPatch) -> None:
    """urllib re-sent the POST redirected by a 302 as a GET to the other host, with the
    basic-auth credentials, and kg said "pushed … (HTTP 200)" and exited 0."""
    monkeypatch.setenv("KG_PUSH_USER", "curator")
    monkeypatch.setenv("KG_PUSH_PASSWORD", "s3cret")
    with scripted_store() as elsewhere, scripted_store() as endpoint:
        endpoint.script = [(302, {"Location": f"{elsewhere.url}/stolen"})]
        result = push_in_process(str(FIELD), "--endpoint", f"{endpoint.url}/store", "--add")
    assert result.exit_code == 1, result.stdout
    assert "pushed" not in result.stdout and isinstance(result.exception, SystemExit)
    said = " ".join(result.stderr.split())
    assert f"HTTP 302: the endpoint redirects the upload to '{elsewhere.url}/stolen'" in said
    assert "the data and the credentials would go along" in said and "nothing was pushed" in said
    assert "s3cret" not in said
    assert elsewhere.seen == []  # neither the data nor the credentials went there
    assert [(method, auth.startswith("Basic ")) for method, _, auth in endpoint.seen] == [("POST", True)]


@pytest.mark.parametrize("replace", [True, False], ids=["PUT", "POST"])
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_no_redirect_of_an_upload_is_followed(status: int, replace: bool) -> None:
    with scripted_store() as elsewhere, scripted_store() as endpoint:
        endpoint.script = [(status, {"Location": f"{elsewhere.url}/store"})]
        with pytest.raises(EndpointError, match=f"HTTP {status}: the endpoint redirects the upload"):
            push_graph(FIELD, f"{endpoint.url}/store", replace=replace, user="curator", password="s3cret")
    assert elsewhere.seen == [] and len(endpoint.seen) == 1


def test_a_redirect_to_the_same_host_is_refused_too() -> None:
    with scripted_store([(301, {"Location": "/other/store"})]) as endpoint:
        with pytest.raises(EndpointError, match="HTTP 301: the endpoint redirects the upload to '/other/store'"):
            push_graph(FIELD, f"{endpoint.url}/store")
    assert len(endpoint.seen) == 1


QUICK = NetworkPolicy(**{**PUSH_POLICY.__dict__, "backoff_base": 0.01, "backoff_cap": 0.02})


def test_a_replacing_push_is_sent_again_after_a_503_an_adding_one_is_not() -> None:
    with scripted_store([(503, {"Retry-After": "0"})]) as endpoint:
        result = push_graph(FIELD, f"{endpoint.url}/store", policy=QUICK)
    assert result.status == 204 and [m for m, _, _ in endpoint.seen] == ["PUT", "PUT"]
    with scripted_store([(503, {})]) as endpoint:  # POST twice could add the triples twice
        with pytest.raises(EndpointError, match="HTTP 503"):
            push_graph(FIELD, f"{endpoint.url}/store", replace=False, policy=QUICK)
    assert [m for m, _, _ in endpoint.seen] == ["POST"]


def test_an_unreachable_endpoint_is_a_clear_error_and_an_adding_push_is_tried_again() -> None:
    port = free_port()
    sleeps: list[float] = []
    with pytest.raises(EndpointError, match=f"cannot reach http://127.0.0.1:{port}/store"):
        push_graph(FIELD, f"http://127.0.0.1:{port}/store", replace=False, policy=QUICK, sleep=sleeps.append)
    assert len(sleeps) == QUICK.max_attempts - 1  # nothing was sent: safe to try again


@contextmanager
def answering(status: int, body: bytes) -> Iterator[str]:
    """A local endpoint that gives every request the same answer: its query URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/query"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("status", "body", "says"),
    [
        (400, b"Parser error:\n  unexpected end", r"HTTP 400: Parser error: unexpected end"),
        (200, b"<html>a login page</html>", r"not SPARQL JSON results"),
        (200, b'{"head": {"vars": ["n"]}}', r"not SPARQL JSON results \('results'\)"),
    ],
)
def test_an_endpoint_that_answers_no_rows_is_named_with_what_it_said(status: int, body: bytes, says: str) -> None:
    with answering(status, body) as url, pytest.raises(EndpointError, match=f"^{url}: {says}"):
        sparql_select(url, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", timeout=5)


def test_a_missing_oxigraph_server_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from kg.sparql import serve

    monkeypatch.setattr(serve.sysconfig, "get_path", lambda name: str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EndpointError, match=r"the Oxigraph server is not installed: `pip install oxigraph`"):
        serve.oxigraph_binary()
