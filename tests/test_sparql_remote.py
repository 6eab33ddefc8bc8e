"""No request kg was not told to send (issue 12, item 1): ``SERVICE`` and ``LOAD`` are found
in the parse of the query (rdflib's SPARQL parser, never a word search) and refused unless
``--allow-remote``; and what runs, runs in a process that cannot connect to any server.

Every "nothing was sent" below is a real local server's empty record of requests
(``tests/recorder.py``), and every refusal is shown to matter: allowed, the same query
reaches that server.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
import pytest
from cli_runs import kg
from hypothesis import example, given, settings
from hypothesis import strategies as st
from recorder import ANSWER_ROW, Recorder, recording_server

from kg.errors import QueryError
from kg.rdf.store import load_store
from kg.sparql import engine, sandbox, worker
from kg.sparql.check import QueryInfo, mentions_remote
from kg.sparql.engine import inspect_query, run_query

FIELD = Path(__file__).parent / "data" / "small-field.ttl"

needs_filter = pytest.mark.skipif(
    not sandbox.supported(), reason="the connection filter is Linux's (x86-64, ARM64)"
)


@pytest.fixture(scope="module")
def server() -> Iterator[Recorder]:
    with recording_server() as recorder:
        yield recorder


@pytest.fixture()
def remote(server: Recorder) -> Recorder:
    """The recording server, with no request recorded yet."""
    server.requests.clear()
    return server


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return load_store(FIELD)


# --- the issue's reproductions, as a user runs them ----------------------------------------

REPRODUCTIONS: dict[str, Callable[[str, Path], list[str]]] = {
    # `<2)SERVICE#>` read as an IRI by the old tokenizer: SPARQL sees a less-than sign.
    "less-than": lambda url, tmp: [
        _file(tmp / "lt.rq", f"SELECT * WHERE {{ FILTER(1<2)SERVICE#>\n<{url}/x> {{ ?s ?p ?o }} }}\n")
    ],
    # A comment ends at \r in SPARQL; the old tokenizer read on to the next \n.
    "comment-cr": lambda url, tmp: [f"SELECT * {{ # c\r SERVICE <{url}/y> {{?s ?p ?o}} }}"],
    "load-after-cr": lambda url, tmp: [
        f"INSERT DATA {{<http://a/b> <http://a/c> 1}}; # c\rLOAD <{url}/l>", "--allow-update"
    ],
}


def _file(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8", newline="")
    return str(path)


@pytest.mark.parametrize("case", sorted(REPRODUCTIONS))
def test_the_issues_reproductions_send_nothing(case: str, remote: Recorder, tmp_path: Path) -> None:
    args = REPRODUCTIONS[case](remote.url, tmp_path)
    result = kg("query", *args, "--data", str(FIELD))
    assert result.returncode == 1, result.stdout
    said = " ".join(result.stderr.split())
    assert f"refused: {'LOAD' if 'load' in case else 'SERVICE'} <{remote.url}/" in said
    assert "would send requests to another server; pass --allow-remote" in said
    assert remote.requests == []


def test_with_allow_remote_the_query_reaches_the_server(remote: Recorder) -> None:
    query = f"SELECT ?s WHERE {{ SERVICE <{remote.endpoint()}> {{ ?s ?p ?o }} }}"
    result = kg("query", query, "--data", str(FIELD), "--allow-remote", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["s", ANSWER_ROW]
    assert remote.requests == ["POST /sparql"]


def test_service_is_refused_before_any_request_is_made(store: ox.Store, remote: Recorder) -> None:
    url = remote.endpoint()
    query = f"SELECT ?s WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryError, match=f"SERVICE <{url}> would send requests.*--allow-remote"):
        run_query(store, query)
    assert remote.requests == []
    # The refusal matters: the engine really calls the endpoint when allowed to.
    rows = list(run_query(store, query, allow_remote=True).result)  # type: ignore[arg-type]
    assert [row["s"].value for row in rows] == [ANSWER_ROW]
    assert len(remote.requests) == 1


# --- what the parse finds --------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o . service <http://e/q> { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o.SERVICE<http://e/q>{ ?s ?p ?o } }",
        "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
        "# a comment\nSELECT * { { SERVICE\n<http://e/q> { ?s ?p ?o } } }",
        "PREFIX e: <http://e/> SELECT * { ?s ?p ?o FILTER EXISTS { SERVICE e:q { } } }",
        "SELECT * { { SELECT ?s { SERVICE <http://e/q> { ?s ?p ?o } } } }",
        "SELECT * { ?s ?p ?o # comment\r SERVICE <http://e/q> { } \n }",
        'SELECT * { ?s ?p "\\\\u0022" . SERVICE <http://e/q> { } }',  # an escaped backslash, then u
        # rdflib's parseQuery expands \u0022 before it parses: it would read a long string
        # from the first string to the last, hiding the SERVICE pyoxigraph calls.
        'SELECT * { ?s ?p "\\u0022" . SERVICE <http://e/q> { } ?s ?p "\\u0022" . }',
        "INSERT { ?s ?p 1 } WHERE { SERVICE <http://e/q> { ?s ?p ?o } }",
        "LOAD <http://e/data.ttl>",
        "CLEAR ALL ; load silent <http://e/data.ttl> into graph <http://e/g>",
    ],
)
def test_every_way_of_writing_a_remote_call_is_seen(query: str) -> None:
    assert inspect_query(query).remote


def test_the_calls_are_named_as_the_engine_resolves_them() -> None:
    info = inspect_query("PREFIX e: <http://e/> SELECT * { SERVICE e:q { } SERVICE ?where { } }")
    assert info.remote == ("SERVICE <http://e/q>", "SERVICE ?where")
    assert inspect_query("CLEAR ALL ; LOAD <http://e/d>").remote == ("LOAD <http://e/d>",)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE <http://e/q>" }',
        "SELECT * { ?s ?p '''multi\nSERVICE <http://e/q>''' }",
        "# SERVICE <http://e/q>\nSELECT * { ?s ?p ?o }",
        "PREFIX service: <http://e/> SELECT * { ?s service:load ?o ; <http://e/SERVICE> ?x }",
        "SELECT ?service ?load { ?service ?p ?load }",
        # pyoxigraph reads \u0022 inside a string as a quote character, not as its end.
        'SELECT * { ?s ?p "\\u0022 } SERVICE <http://e/q> { ?s ?p ?o } #" }',
    ],
)
def test_the_words_in_strings_names_and_comments_are_not_calls(query: str) -> None:
    assert inspect_query(query) == QueryInfo("select", "SELECT")


@given(st.text())
def test_no_string_content_reads_as_a_remote_call(text: str) -> None:
    literal = str(ox.Literal(text))  # escaped as SPARQL (and N-Triples) write strings
    assert inspect_query(f"SELECT * {{ ?s ?p {literal} }}") == QueryInfo("select", "SELECT")


def test_a_text_the_parser_cannot_read_is_refused_only_if_it_could_call_out(store: ox.Store) -> None:
    # RDF-star: pyoxigraph reads it, rdflib's parser does not.
    star = "SELECT * { << ?s ?p ?o >> ?q ?z }"
    assert inspect_query(star) == QueryInfo("unknown")
    assert list(run_query(store, star).result) == []  # type: ignore[arg-type]
    with pytest.raises(QueryError, match=r"mentions SERVICE or LOAD.*stops at line 1, column 12.*--allow-remote"):
        run_query(store, star.replace("}", "SERVICE <http://e/q> { } }"))


def test_a_text_that_names_no_call_is_what_the_engine_parses_it_as() -> None:
    """No ``SERVICE`` or ``LOAD`` in it, written or escaped: it can call no server, so the
    engine's own parse says whether it is a query or an update (here one in RDF 1.2 syntax,
    which rdflib cannot read)."""
    update = "INSERT DATA { <http://a/b> <http://a/c> <<( <http://a/x> <http://a/y> <http://a/z> )>> }"
    assert not mentions_remote(update) and inspect_query(update) == QueryInfo("unknown")
    store = load_store(FIELD)
    with pytest.raises(QueryError, match="refused: it is a SPARQL update and kg query is read-only"):
        run_query(store, update)
    assert len(store) == 101
    assert run_query(store, update, allow_update=True).triples_after == len(store) == 102
    assert mentions_remote("SELECT * { \\u0053ERVICE <http://e/q> { } }")  # escaped: still seen
    assert mentions_remote("CLEAR ALL ; \\u004coad <http://e/q>")


@needs_filter
def test_a_broken_text_that_mentions_a_call_gets_the_engines_syntax_error(store: ox.Store) -> None:
    """Where no connection can be made, pyoxigraph may parse what rdflib could not, and its
    error (line, column, the line with a caret) says more than a refusal would."""
    with pytest.raises(QueryError) as caught:
        run_query(store, "SELECT ?loaded\nWHERE { ?loaded ?p }")
    assert str(caught.value).startswith("query: line 2, column 20: expected")
    assert str(caught.value).endswith("WHERE { ?loaded ?p }\n  " + " " * 19 + "^")


# --- and if the parse were wrong: the engine's process cannot connect --------------------


@needs_filter
def test_a_call_the_check_missed_still_sends_nothing(
    store: ox.Store, remote: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = f"SELECT ?s WHERE {{ SERVICE <{remote.endpoint()}> {{ ?s ?p ?o }} }}"
    update = f"LOAD <{remote.endpoint('data.ttl')}>"
    with monkeypatch.context() as as_if:  # the parse sees no call in either
        as_if.setattr(engine, "inspect_query", lambda text: QueryInfo("select", "SELECT"))
        with pytest.raises(QueryError, match="the query failed: .*Operation not permitted"):
            run_query(store, query)
        as_if.setattr(engine, "inspect_query", lambda text: QueryInfo("update", "LOAD"))
        with pytest.raises(QueryError, match="the update failed: .*Operation not permitted"):
            run_query(store, update, allow_update=True)
    assert remote.requests == []
    rows = list(run_query(store, query, allow_remote=True).result)  # type: ignore[arg-type]
    assert [row["s"].value for row in rows] == [ANSWER_ROW] and len(remote.requests) == 1


def _try_the_network(url: str) -> Callable[[None, BinaryIO], dict[str, str]]:
    host, port = url.removeprefix("http://").split(":")

    def attempt(_: None, out: BinaryIO) -> dict[str, str]:
        said = {}
        for name, action in {
            "connect": lambda: socket.create_connection((host, int(port)), timeout=5).close(),
            "datagram": lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", (host, int(port))),
        }.items():
            try:
                action()
                said[name] = "sent"
            except OSError as err:
                said[name] = os.strerror(err.errno) if err.errno else str(err)
        ours, theirs = socket.socketpair()  # what a server does: listen, accept, send
        ours.send(b"through")
        listener = socket.create_server(("127.0.0.1", 0))
        said["serve"] = f"{theirs.recv(16).decode()} {listener.getsockname()[0]}"
        out.write(b"and the pipe to the parent")
        return said

    return attempt


@needs_filter
def test_the_filter_stops_connections_and_datagrams_not_serving(remote: Recorder) -> None:
    done = worker.run_forked(lambda: None, _try_the_network(remote.url), timeout=30)
    assert done.filtered and done.data == b"and the pipe to the parent"
    assert done.value == {
        "connect": "Operation not permitted",
        "datagram": "Operation not permitted",
        "serve": "through 127.0.0.1",
    }
    assert remote.requests == []
    allowed = worker.run_forked(lambda: None, _try_the_network(remote.url), timeout=30, allow_network=True)
    assert not allowed.filtered and allowed.value["connect"] == "sent"


# --- a differential fuzz: whatever the check lets through, pyoxigraph sends nothing ------------

_AROUND = [
    " ", "\n", "\r", "\r\n", "# c", "#>", '"', "'", '"""', "'''", "\\u0022", "\\u0027", "\\\\", "\\",
    "<", ">", "FILTER(1<2)", "<2)", "?s ?p ?o .", "BIND(1 AS ?x)", "{", "}", ";",
    ' ?s ?p "\\u0022" . ', " ?s ?p '\\u0027' . ",
]
_CALLS = [
    "SELECT * {{ {before}SERVICE <{url}> {{ ?s ?p ?o }}{after} }}",
    "SELECT * {{ {before}SERVICE SILENT <{url}> {{ }} }}{after}",
    "INSERT DATA {{ <http://a/b> <http://a/c> 1 }} ; {before}LOAD <{url}>{after}",
]


@settings(max_examples=150, deadline=None)
@given(
    call=st.sampled_from(_CALLS),
    before=st.lists(st.sampled_from(_AROUND), max_size=4).map("".join),
    after=st.lists(st.sampled_from(_AROUND), max_size=3).map("".join),
)
@example(call=_CALLS[0], before="FILTER(1<2)", after="").via("the issue: <2)SERVICE#>")
@example(call=_CALLS[0], before="# c\r", after="").via("the issue: a comment ended by \\r")
@example(call=_CALLS[2], before="# c\r", after="").via("the issue: LOAD after \\r")
@example(call=_CALLS[0], before=_AROUND[-2], after=_AROUND[-2]).via("rdflib's own \\u expansion")
def test_what_the_check_lets_through_calls_no_server(
    server: Recorder, call: str, before: str, after: str
) -> None:
    """Run by pyoxigraph itself, here, without the filter: only the check stands."""
    text = call.format(before=before, after=after, url=server.endpoint())
    info = inspect_query(text)
    if info.remote or info.unchecked:
        return  # refused
    server.requests.clear()
    store = ox.Store()  # what the patterns around a call match, so the engine goes on to it
    for value in ('"', "'", "x"):
        store.add(ox.Quad(ox.NamedNode("http://a/b"), ox.NamedNode("http://a/c"), ox.Literal(value)))
    for run in (store.query, store.update):
        try:
            result = run(text)
            if result is not None and not isinstance(result, ox.QueryBoolean):
                list(result)
        except (SyntaxError, OSError, RuntimeError, ValueError):
            pass
    assert server.requests == [], f"{text!r} was let through and called {server.requests}"
