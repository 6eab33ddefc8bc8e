"""SPARQL on the exported graph: the shipped queries' answers, read-only refusals, errors
that point at the query text, the standard result formats, and time limits. (What is
refused because it would reach another server: test_sparql_remote.py.)"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
import pytest
from cli_runs import kg

from kg.api import query as api_query
from kg.errors import QueryError
from kg.rdf.store import load_store
from kg.sparql import worker
from kg.sparql.engine import (
    bind_parameters,
    load_query,
    named_queries,
    named_query,
    run_query,
    serialize_result,
    solution_rows,
)

FIELD = Path(__file__).parent / "data" / "small-field.ttl"
EX = "https://example.org/synthetic/"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return load_store(FIELD)


def answer(store: ox.Store, name: str, **params: str) -> list[list[str]]:
    """Rows of a shipped query on the small field, IRIs shortened to their local name."""
    found = named_query(name)
    assert found is not None, name
    result = run_query(store, bind_parameters(found.text, params), source=name).result
    assert isinstance(result, ox.QuerySolutions)
    _, rows = solution_rows(result)
    return [[cell.removeprefix(EX) for cell in row] for row in rows]


# --- the shipped queries, on a graph whose answers are known ------------------------------


def test_every_shipped_query_says_what_it_answers() -> None:
    names = {q.name for q in named_queries()}
    assert names == {
        "most-cited", "candidates", "authors-across-topics", "empty-topics",
        "resources-per-year", "co-cited", "insight-candidates", "insight-derivatives", "insight-misfiled",
        "insight-communities", "insight-gaps", "insight-evidence",
    }
    for query in named_queries():
        assert len(query.description) > 40, query.name
        assert query.text.lstrip().startswith("#"), query.name


def test_most_cited(store: ox.Store) -> None:
    assert answer(store, "most-cited") == [
        ["r1", "Resource One", "4", "40"],
        ["r2", "Resource Two", "2", ""],
        ["r3", "Resource Three", "1", ""],
    ]
    assert [row[0] for row in answer(store, "most-cited", min="2")] == ["r1", "r2"]


def test_candidates_to_add_with_the_resources_behind_each(store: ox.Store) -> None:
    rows = answer(store, "candidates")
    assert [row[:3] for row in rows] == [["x", "Cited X", "3"], ["y", "Cited Y", "2"]]
    assert set(rows[0][3].split(" | ")) == {"Resource One", "Resource Two", "Resource Three"}
    assert set(rows[1][3].split(" | ")) == {"Resource One", "Resource Two"}
    assert [row[0] for row in answer(store, "candidates", k="3")] == ["x"]
    assert [row[0] for row in answer(store, "candidates", k="1")] == ["x", "y", "z"]


def test_authors_spanning_the_most_topics(store: ox.Store) -> None:
    rows = answer(store, "authors-across-topics")
    assert [row[:3] for row in rows] == [["alice", "Alice Synthetic", "3"], ["carol", "Carol Synthetic", "2"]]
    assert set(rows[0][3].split(" | ")) == {"Topic A", "Topic B", "Topic A1"}
    # Bob's works are under one list topic; his field of study is not a list topic.
    assert [row[0] for row in answer(store, "authors-across-topics", min="1")][-1] == "bob"


def test_topics_without_resources(store: ox.Store) -> None:
    assert answer(store, "empty-topics") == [
        ["empty", "Empty", "Root"],
        ["empty-child", "Empty child", "Empty"],
    ]


def test_resources_per_year(store: ox.Store) -> None:
    assert answer(store, "resources-per-year") == [["2019", "1"], ["2020", "2"], ["unknown", "1"]]


def test_co_cited_pairs(store: ox.Store) -> None:
    assert [[r[0], r[2], r[4]] for r in answer(store, "co-cited")] == [
        ["r1", "r2", "2"], ["r1", "r3", "1"], ["r2", "r3", "1"],
    ]
    assert [[r[0], r[2]] for r in answer(store, "co-cited", min="2")] == [["r1", "r2"]]


# --- parameters ----------------------------------------------------------------------------


def test_a_parameter_value_is_a_term_never_query_text(store: ox.Store) -> None:
    text = '# param t = "x"\nSELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?t }'
    hostile = '" } ?s ?p ?o { "'
    bound = bind_parameters(text, {"t": hostile})
    rows = list(run_query(store, bound).result)  # type: ignore[arg-type]
    assert rows == []  # the value was looked up as a label, not run as a pattern
    assert bind_parameters(text, {"t": "Cited X"}).endswith('"Cited X" }')


def test_unknown_parameter_is_refused() -> None:
    with pytest.raises(QueryError, match="unknown parameter kk: this query takes k"):
        bind_parameters("# param k = 2\nSELECT * {}", {"kk": "1"})


# --- read-only by construction -------------------------------------------------------------


def test_updates_are_refused_and_say_which_flag_allows_them(store: ox.Store) -> None:
    before = len(store)
    for update in ("DELETE WHERE { ?s ?p ?o }", "prefix ex: <http://e/> insert data { ex:a ex:b ex:c }",
                   "CLEAR ALL", "DROP DEFAULT"):
        with pytest.raises(QueryError, match="read-only; pass --allow-update"):
            run_query(store, update)
    assert len(store) == before


def test_an_allowed_update_changes_only_the_store_in_memory(tmp_path: Path) -> None:
    data = tmp_path / "field.ttl"
    data.write_bytes(FIELD.read_bytes())
    store = load_store(data)
    outcome = run_query(store, "DELETE WHERE { ?s ?p ?o }", allow_update=True)
    assert outcome.triples_before and outcome.triples_after == 0
    assert len(store) == 0  # the engine's process changed its copy; this one follows
    assert data.read_bytes() == FIELD.read_bytes()


# --- errors point at the query text ---------------------------------------------------------


def test_a_syntax_error_names_the_file_line_and_column(tmp_path: Path, store: ox.Store) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("SELECT ?s\nWHERE {\n  ?s ?p ?o ;\n  FILTR(?o > 3) }\n", encoding="utf-8")
    text, source = load_query(str(path))
    with pytest.raises(QueryError) as caught:
        run_query(store, text, source=source)
    message = str(caught.value)
    assert message.startswith(f"{path}: line 4, column 11: expected")
    assert message.endswith("\n    FILTR(?o > 3) }\n  " + " " * 10 + "^")
    with pytest.raises(QueryError, match=r"line 5, column 1 \(the end of the query\)"):
        run_query(store, "SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER(?o > 3 }\n")


def test_a_name_that_is_nothing_says_what_was_expected() -> None:
    with pytest.raises(QueryError, match="kg query --list"):
        load_query("no-such-query")
    with pytest.raises(QueryError, match="missing.rq: cannot read"):
        load_query("missing.rq")


# --- formats ---------------------------------------------------------------------------------


def test_standard_result_formats(store: ox.Store) -> None:
    query = named_query("resources-per-year")
    assert query is not None

    def fresh() -> ox.QuerySolutions:
        result = run_query(store, query.text).result
        assert isinstance(result, ox.QuerySolutions)
        return result

    rows = list(csv.reader(io.StringIO(serialize_result(fresh(), "csv").decode())))
    assert rows[0] == ["year", "resources"] and rows[1:] == [["2019", "1"], ["2020", "2"], ["unknown", "1"]]
    tsv = serialize_result(fresh(), "tsv").decode().splitlines()
    assert tsv[0] == "?year\t?resources" and tsv[1] == '"2019"\t1'
    results = json.loads(serialize_result(fresh(), "json"))
    assert results["head"]["vars"] == ["year", "resources"]
    assert len(results["results"]["bindings"]) == 3
    ask = run_query(store, "ASK { ?s a <http://xmlns.com/foaf/0.1/Person> }").result
    assert json.loads(serialize_result(ask, "json")) == {"head": {}, "boolean": True}  # type: ignore[arg-type]
    graph = run_query(store, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?s = <{EX}x>) }}").result
    turtle = serialize_result(graph, "turtle")  # type: ignore[arg-type]
    assert b"@prefix kg:" in turtle and len(list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))) == 3
    with pytest.raises(QueryError, match="returns a graph"):
        serialize_result(run_query(store, "CONSTRUCT WHERE { ?s ?p ?o }").result, "csv")  # type: ignore[arg-type]


# --- the command, as a user runs it --------------------------------------------------------


def test_kg_query_lists_and_runs_shipped_queries() -> None:
    listed = kg("query", "--list")
    assert listed.returncode == 0
    for query in named_queries():
        assert query.name in listed.stdout
    result = kg("query", "candidates", "--data", str(FIELD), "--format", "csv", "--param", "k=3")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:3] == ["work", "title", "cited_by"] and [r[:3] for r in rows[1:]] == [[EX + "x", "Cited X", "3"]]
    table = kg("query", "most-cited", "--data", str(FIELD))
    assert table.returncode == 0 and "Resource One" in table.stdout and "3 rows" in table.stderr
    as_json = kg("query", "most-cited", "--data", str(FIELD), "--format", "json")
    assert json.loads(as_json.stdout)["head"]["vars"][0] == "resource" and as_json.stdout.endswith("}\n")


def test_kg_query_refuses_an_update_and_leaves_the_file_alone(tmp_path: Path) -> None:
    data = tmp_path / "field.ttl"
    data.write_bytes(FIELD.read_bytes())
    digest, stamp = hashlib.sha256(data.read_bytes()).hexdigest(), data.stat().st_mtime_ns
    result = kg("query", "DELETE WHERE { ?s ?p ?o }", "--data", str(data))
    assert result.returncode == 1
    assert "--allow-update" in result.stderr and "Traceback" not in result.stderr
    allowed = kg("query", "DELETE WHERE { ?s ?p ?o }", "--data", str(data), "--allow-update",
                 "--write-to", str(tmp_path / "emptied.ttl"))
    assert allowed.returncode == 0, allowed.stderr
    assert "unchanged" in allowed.stdout
    assert len(load_store(tmp_path / "emptied.ttl")) == 0
    refused = kg("query", "DELETE WHERE { ?s ?p ?o }", "--data", str(data), "--allow-update", "--write-to", str(data))
    assert refused.returncode == 1 and "never changed" in refused.stderr
    assert hashlib.sha256(data.read_bytes()).hexdigest() == digest and data.stat().st_mtime_ns == stamp


def test_kg_query_reports_a_syntax_error_without_a_traceback() -> None:
    result = kg("query", "SELECT * WHERE { ?s ?p ", "--data", str(FIELD))
    assert result.returncode == 1
    assert "query: line 1, column" in result.stderr and "Traceback" not in result.stderr


# --- time limits, and a table that stops at what it shows (issue 12, item 15) -------------

# 101 triples to the fifth power: 10^10 rows to count, hours of work for the engine.
FIVE_WAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?o ?q }"


def test_a_query_past_its_time_limit_is_stopped() -> None:
    started = time.monotonic()
    result = kg("query", FIVE_WAY, "--data", str(FIELD), "--timeout", "1")
    assert time.monotonic() - started < 20  # a liveness bound: stopped, not left to run
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "stopped: the query ran past its time limit of 1 s" in " ".join(result.stderr.split())
    with pytest.raises(QueryError, match="time limit of 0.5 s"):  # the Python API's limit
        api_query(FIVE_WAY, FIELD, timeout=0.5)


SORTED_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?c ?f ?i ?l"


@pytest.mark.skipif(sys.platform != "linux", reason="the memory limit is set on Linux")
def test_a_query_past_its_memory_limit_is_stopped(store: ox.Store) -> None:
    """A sorted three-way product reached 5.8 GB; under a limit it stops when it reaches it,
    and the data already in memory does not count against the limit."""
    with pytest.raises(QueryError, match=r"query: stopped: the query needed more than its memory limit of 0.25 GiB"):
        run_query(store, SORTED_PRODUCT, memory=0.25, timeout=30)
    held: list[bytearray] = []

    def heavy() -> ox.Store:  # the data takes more than the limit before the query starts
        held.append(bytearray(400 * 2**20))
        return load_store(FIELD)

    counted = run_query(heavy, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", memory=0.25)
    (row,) = counted.result  # type: ignore[misc]
    assert int(row["n"].value) == len(store)  # type: ignore[index, union-attr]
    with pytest.raises(QueryError, match="a memory limit is a number of GiB, not -1"):
        run_query(store, "ASK {}", memory=-1)


def test_a_table_stops_at_the_rows_it_shows() -> None:
    """Counting a million rows to say how many were not shown took the table longer than
    the query; it now says only that there are more."""
    started = time.monotonic()
    result = kg("query", "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "--data", str(FIELD))
    assert time.monotonic() - started < 20  # a liveness bound
    assert result.returncode == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert "more than 1000 rows: showing the first 1000 (--format csv, tsv or json gives them all)" in said
    assert sum(EX in line for line in result.stdout.splitlines()) == 1000


def test_a_limit_says_whether_there_was_more(store: ox.Store) -> None:
    everything = "SELECT * WHERE { ?s ?p ?o }"
    exactly = run_query(store, everything, limit=len(store))
    assert len(list(exactly.result)) == len(store) and not exactly.truncated  # type: ignore[arg-type]
    fewer = run_query(store, everything, limit=len(store) - 1)
    assert len(list(fewer.result)) == len(store) - 1 and fewer.truncated  # type: ignore[arg-type]


def test_the_time_limit_counts_from_when_the_data_is_read(store: ox.Store) -> None:
    def slow_to_read() -> ox.Store:
        time.sleep(0.6)  # stands for a large file: reading it is not the query's time
        return store

    outcome = run_query(slow_to_read, "ASK { ?s ?p ?o }", timeout=0.3)
    assert isinstance(outcome.result, ox.QueryBoolean) and bool(outcome.result)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="without fork the engine runs in this process")
def test_an_engine_that_dies_is_an_error_not_a_hang(store: ox.Store) -> None:
    def dies() -> ox.Store:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel does when memory runs out
        return store

    with pytest.raises(QueryError, match="the query stopped: the engine's process was killed by signal SIGKILL"):
        run_query(dies, "ASK { ?s ?p ?o }")


needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="without fork the work runs in this process")


def _writes_without_end(_: None, out: BinaryIO) -> None:
    block = b"x" * 2**20
    while True:  # as a product streamed out as TSV: the child never grows, its result does
        out.write(block)


@needs_fork
def test_a_result_larger_than_the_memory_limit_is_stopped_not_held() -> None:
    """The parent held every byte the child wrote (2.3 GB in 8 s under --memory 0.5):
    the result counts against the limit too."""
    with pytest.raises(worker.Stopped) as stopped:
        worker.run_forked(lambda: None, _writes_without_end, timeout=3, memory=64 * 2**20)
    assert stopped.value.out_of_memory and not stopped.value.timed_out


class _Panic(BaseException):
    """Stands for pyo3's PanicException, which is no Exception."""


def _panics(_: None, out: BinaryIO) -> None:
    raise _Panic("the engine panicked")


@needs_fork
def test_an_error_that_is_no_exception_is_named_not_an_exit_status() -> None:
    with pytest.raises(worker.Stopped, match="_Panic: the engine panicked"):
        worker.run_forked(lambda: None, _panics, timeout=10)


@needs_fork
def test_the_work_runs_when_this_process_holds_many_files() -> None:
    """select() refuses a descriptor numbered 1024 or more ("filedescriptor out of range")."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip("this system allows fewer than 1200 open files")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        done = worker.run_forked(lambda: None, lambda _, out: out.write(b"ok") and 1, timeout=10)
        assert (done.value, done.data) == (1, b"ok")
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _says_and_returns(_: None, out: BinaryIO) -> int:
    os.write(2, b"a warning from the engine\n")
    return 7


def _aborts(_: None, out: BinaryIO) -> None:
    os.write(2, b"something else went wrong\n")
    os.abort()


@needs_fork
def test_what_the_engine_writes_to_stderr_is_passed_on_or_explains_its_death(capsys: pytest.CaptureFixture[str]) -> None:
    """The child's standard error is kept: passed on when it finishes, its last line given
    as the reason when it dies; an abort that is no allocation failure is not called out
    of memory, even under a limit."""
    assert worker.run_forked(lambda: None, _says_and_returns, timeout=10).value == 7
    assert capsys.readouterr().err == "a warning from the engine\n"
    with pytest.raises(worker.Stopped) as stopped:
        worker.run_forked(lambda: None, _aborts, timeout=10, memory=2**30)
    assert not stopped.value.out_of_memory
    assert str(stopped.value) == "the engine's process was killed by signal SIGABRT: something else went wrong"


def test_a_memory_stop_and_a_crash_are_each_one_line(tmp_path: Path) -> None:
    """Rust wrote two lines of its own before kg's (the allocation failure and a note on
    backtraces); a query nested 20,000 deep overflows the engine's stack."""
    ran = kg("query", SORTED_PRODUCT, "--data", str(FIELD), "--memory", "0.25")
    assert [line for line in ran.stderr.splitlines() if line.strip()] == [
        "error: query: stopped: the query needed more than its memory limit of 0.25 GiB "
        "(--memory GIB allows more; 0 for no limit)"
    ]
    deep = tmp_path / "deep.rq"
    deep.write_text("SELECT * { FILTER(" + "(" * 20000 + "1" + ")" * 20000 + ") }", encoding="utf-8")
    crashed = kg("query", str(deep), "--data", str(FIELD))
    assert crashed.returncode == 1
    (line,) = [line for line in crashed.stderr.splitlines() if line.strip()]
    assert line.endswith("killed by signal SIGSEGV (a query nested very deep does this: write it flatter)")
