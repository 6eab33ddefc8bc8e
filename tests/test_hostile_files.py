"""Files kg is given to read that would make it fetch, grow or wait (issue 12, items 4, 5
and 13): every command that reads a file refuses them with one line, before reading.

- a JSON-LD file whose ``@context`` is a URL: nothing is fetched (a local listener stands
  in for the context's server and must receive nothing);
- RDF/XML with a DTD: an 800-byte "billion laughs" file expands to 30 GB; it is refused
  before a parser sees it, fast and small, under a guard that fails the test instead of
  eating the machine if that ever regresses (``tests/guards.py``);
- inputs that are not regular files (a directory, a FIFO, ``/dev/zero``): said what they
  are, never opened (a FIFO would wait for ever, ``/dev/zero`` never ends).

All files here are synthetic (made by the tests; the IRIs are example ones).
"""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_runs import Ran, kg
from guards import bounded

# Every command that reads an RDF file, as ``kg COMMAND … FILE`` (FILE last). ``serve``
# hands the file to the Oxigraph server's own loader, ``push`` parses it before uploading.
RDF_READERS: dict[str, tuple[str, ...]] = {
    "stats": ("stats",),
    "validate": ("validate",),
    "render": ("render",),
    "query": ("query", "SELECT * { ?s ?p ?o } LIMIT 1", "--data"),
    "export": ("export", "--format", "jsonld"),
    "insights": ("insights",),
    "serve": ("serve", "--port", "1"),  # refused before any port is bound
    "push": ("push", "--endpoint", "http://127.0.0.1:1/store"),
}


def one_line_error(ran: Ran) -> str:
    """The error line of a run that failed cleanly (exit 1, one line, no traceback)."""
    assert ran.returncode == 1, ran
    assert "Traceback" not in ran.stderr, ran.stderr
    lines = [line for line in ran.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), ran.stderr
    return " ".join(ran.stderr.split())  # the console wraps long lines


class _Listener(http.server.BaseHTTPRequestHandler):
    """Answers any request with a JSON-LD context, and records it."""

    requests: list[str] = []

    def do_GET(self) -> None:
        self.requests.append(f"{self.command} {self.path}")
        body = b'{"@context": {"title": "http://purl.org/dc/terms/title"}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that would serve a remote JSON-LD context; it records requests."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Listener)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Listener.requests
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("command", sorted(RDF_READERS))
def test_a_remote_json_ld_context_is_never_fetched(
    command: str, listener: tuple[str, list[str]], tmp_path: Path
) -> None:
    url, requests = listener
    data = tmp_path / "remote-context.jsonld"
    data.write_text(
        f'{{"@context": "{url}/context.jsonld", "@id": "https://example.org/w", "title": "A synthetic work"}}',
        encoding="utf-8",
    )
    args = RDF_READERS[command]
    if command == "push":
        args = ("push", "--endpoint", f"{url}/store")  # not even the upload may leave
    before = len(requests)
    message = one_line_error(kg(*args, str(data)))
    assert "remote-context.jsonld" in message
    if command not in ("serve", "push"):  # the server's loader says it in its own words; push takes no JSON-LD
        assert "@context is given by address, and kg fetches nothing while reading a file" in message
    assert requests[before:] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["remote-context.jsonld"]  # nothing written


def test_a_json_ld_context_in_the_file_is_read(tmp_path: Path) -> None:
    """The refusal is of fetching, not of JSON-LD: a context written in the file works."""
    data = tmp_path / "inline.jsonld"
    data.write_text(
        '{"@context": {"title": "http://purl.org/dc/terms/title"}, "@id": "https://example.org/w", "title": "A"}',
        encoding="utf-8",
    )
    ran = kg("stats", str(data))
    assert ran.returncode == 0 and ": 1 triples" in " ".join(ran.stdout.split())


def billion_laughs(path: Path) -> Path:
    """An RDF/XML file of about 800 bytes whose nested entities expand to 30 GB."""
    entities = ['<!ENTITY a0 "lollollollollollollollollollol">'] + [
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)
    ]
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "\n]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/terms/">\n'
        ' <rdf:Description rdf:about="https://example.org/w"><dc:title>&a9;</dc:title></rdf:Description>\n'
        "</rdf:RDF>\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("command", sorted(RDF_READERS))
def test_billion_laughs_is_refused_before_it_expands(command: str, tmp_path: Path) -> None:
    data = billion_laughs(tmp_path / "laughs.rdf")
    assert 700 < data.stat().st_size < 900
    # Before the fix: stats and query took 15 GB, validate and render ran past a minute.
    ran = bounded(lambda: kg(*RDF_READERS[command], str(data)), seconds=15, extra_memory=2**30)
    message = one_line_error(ran)
    assert "laughs.rdf: line 2: RDF/XML with a DTD" in message and "remove the DOCTYPE" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["laughs.rdf"]


def test_rdf_xml_without_a_dtd_is_read(tmp_path: Path) -> None:
    data = tmp_path / "plain.rdf"
    data.write_text(
        '<?xml version="1.0"?>\n<!-- synthetic -->\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/terms/">\n'
        ' <rdf:Description rdf:about="https://example.org/w"><dc:title>A &amp; B</dc:title></rdf:Description>\n'
        "</rdf:RDF>\n",
        encoding="utf-8",
    )
    ran = kg("query", "SELECT ?t { ?s ?p ?t }", "--data", str(data), "--format", "csv")
    assert ran.returncode == 0 and "A & B" in ran.stdout


# --- inputs that are not regular files ----------------------------------------------------

# Every command that reads a file, as ``kg COMMAND … FILE``: the RDF readers, and the
# readers of reading lists.
READERS = {**RDF_READERS, "build": ("build", "--offline", "--out", "OUT"), "lint": ("lint",)}


@pytest.fixture(params=["directory", "fifo", "device"])
def not_a_file(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A path that is not a regular file, and what kg must call it."""
    if request.param == "directory":
        path = tmp_path / "graph.ttl"
        path.mkdir()
        yield path, "a directory, not a file"
    elif request.param == "fifo":
        path = tmp_path / "graph.ttl"
        os.mkfifo(path)
        yield path, "a named pipe (FIFO), not a file"
    else:
        yield Path("/dev/zero"), "a character device, not a file"


@pytest.mark.parametrize("command", sorted(READERS))
def test_an_input_that_is_not_a_file_is_named_for_what_it_is(
    command: str, not_a_file: tuple[Path, str], tmp_path: Path
) -> None:
    path, what = not_a_file
    args = [str(tmp_path / "out") if arg == "OUT" else arg for arg in READERS[command]]
    # Before the fix: a FIFO waited for a writer, /dev/zero was read until memory ran out,
    # and each was "no such file (build one with kg build)".
    message = one_line_error(bounded(lambda: kg(*args, str(path)), seconds=10, extra_memory=2**30))
    assert f"{path}: {what}: give the path of" in message
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("port", ["0", "-1", "70000"])
def test_serve_refuses_a_port_it_cannot_bind_at_once(port: str, seed_build_turtle: Path) -> None:
    """Port 0 is refused rather than picked for the user: the server's address must be
    known before it starts (it used to wait 60 s, then report http://127.0.0.1:0)."""
    ran = bounded(lambda: kg("serve", str(seed_build_turtle), "--port", port), seconds=10)
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    assert "--port" in ran.stderr


@pytest.fixture
def seed_build_turtle(tmp_path: Path) -> Path:
    data = tmp_path / "kg.ttl"
    data.write_text('<https://example.org/w> <http://purl.org/dc/terms/title> "A synthetic work" .\n', encoding="utf-8")
    return data


@pytest.mark.parametrize("kind", ["directory", "fifo"])
def test_a_query_file_that_is_not_a_file_is_named_for_what_it_is(
    kind: str, seed_build_turtle: Path, tmp_path: Path
) -> None:
    query = tmp_path / "ask.rq"
    if kind == "directory":
        query.mkdir()
    else:
        os.mkfifo(query)
    ran = bounded(lambda: kg("query", str(query), "--data", str(seed_build_turtle)), seconds=10)
    what = "a directory" if kind == "directory" else "a named pipe (FIFO)"
    assert f"ask.rq: {what}, not a file: give the path of a query file" in one_line_error(ran)
