"""SPARQL on the exported graph: read-only by construction, executed by pyoxigraph.

pyoxigraph's engine is linked with an HTTP client: ``SERVICE <url>`` makes a request the
moment the query starts and ``LOAD <url>`` fetches a document. So a text that mentions
either is first parsed (:mod:`kg.sparql.check`, rdflib's SPARQL parser), and a query that
would reach another server is refused unless the caller allows it (``allow_remote``). An
update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``…), as a parse says, is refused unless
the caller allows it (``allow_update``); even then it changes only the in-memory store,
never a file.

What is allowed runs in a child process (:mod:`kg.sparql.worker`) that is stopped when
its time limit passes (``timeout``, 60 s by default) or its memory grows past a limit
(``memory``, half of the machine's by default) and, unless ``allow_remote``, cannot
connect to any server (:mod:`kg.sparql.sandbox`). A caller that shows only the first rows
asks for them (``limit``), and the engine stops there instead of producing every row.

Named queries and their parameters (:mod:`kg.sparql.named`) are imported here too, so
that this module is the one place a caller imports from.

>>> inspect_query("PREFIX ex: <http://e/> DELETE WHERE { ?s ex:p ?o }").form
'update'
>>> inspect_query('SELECT * { SERVICE <http://e/sparql> { ?s ?p "SERVICE" } }').remote
('SERVICE <http://e/sparql>',)
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, cast

import pyoxigraph as ox

from kg.errors import QueryError
from kg.model.vocab import PREFIXES
from kg.sparql import sandbox, worker
from kg.sparql.check import QueryInfo, inspect_query, mentions_remote, warm_up
from kg.sparql.named import (
    QUERIES_DIR,
    NamedQuery,
    Parameter,
    bind_parameters,
    declared_parameters,
    load_query,
    named_queries,
    named_query,
    parse_assignments,
)
from kg.sparql.stats import compact

__all__ = [
    "QueryInfo",
    "NamedQuery",
    "Parameter",
    "QueryOutcome",
    "QueryResult",
    "RESULT_FORMATS",
    "GRAPH_FORMATS",
    "QUERIES_DIR",
    "DEFAULT_MEMORY",
    "DEFAULT_TIMEOUT",
    "inspect_query",
    "named_queries",
    "named_query",
    "declared_parameters",
    "parse_assignments",
    "bind_parameters",
    "load_query",
    "run_query",
    "serialize_result",
    "solution_rows",
    "term_text",
]

log = logging.getLogger(__name__)

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
"""Standard SPARQL 1.1 result formats, for SELECT and ASK."""

GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}
"""RDF formats for what CONSTRUCT and DESCRIBE return."""

# --- running ----------------------------------------------------------------------------

DEFAULT_TIMEOUT = 60.0
"""Seconds a query may run before it is stopped (``kg query --timeout``)."""


def _half_of_memory() -> float | None:
    try:
        return round(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**31, 1)
    except (AttributeError, OSError, ValueError):
        return None


DEFAULT_MEMORY = _half_of_memory()
"""GiB a query may take beyond the data it runs on (``kg query --memory``): half of this
machine's memory, so that one query never makes it swap or wakes the OOM killer. None
where the machine's memory is not known."""

_SYNTAX_POSITION = re.compile(r"^error at (\d+):(\d+)(?:-\d+:\d+)?:?\s*(.*)$", re.S)

QueryResult = ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]
"""Solutions (SELECT), a boolean (ASK), or the triples of a graph (CONSTRUCT, DESCRIBE)."""

# How a result crosses from the engine's process: formats that keep every detail of a term.
_WIRE = {"solutions": "tsv", "boolean": "tsv", "graph": "ntriples", "update": "nquads"}


@dataclass
class QueryOutcome:
    """What a query returned, or what an update did to the in-memory store."""

    info: QueryInfo
    result: QueryResult | None = None
    """Solutions, a boolean or triples; ``None`` after an update, or when the result was
    asked for serialized (:attr:`data`)."""
    data: bytes | None = None
    """The result in the format ``run_query`` was asked for (``fmt``)."""
    truncated: bool = False
    """There were more solutions than the ``limit`` asked for."""
    triples_before: int | None = None
    triples_after: int | None = None
    """Size of the in-memory store around an update."""
    store: ox.Store | None = None
    """The store after an update."""

    @property
    def updated(self) -> bool:
        """It was an update (applied to the store)."""
        return self.triples_before is not None


@dataclass(frozen=True)
class _Done:
    """What the engine's process reports besides the bytes it wrote (see :func:`_evaluate`)."""

    info: QueryInfo
    kind: str
    """``solutions``, ``boolean``, ``graph`` or ``update``: the bytes are in the format
    asked for, else in the kind's wire format."""
    truncated: bool = False
    triples_before: int | None = None
    triples_after: int | None = None


def run_query(
    store: ox.Store | Callable[[], ox.Store],
    text: str,
    *,
    allow_update: bool = False,
    allow_remote: bool = False,
    source: str = "query",
    timeout: float | None = DEFAULT_TIMEOUT,
    memory: float | None = DEFAULT_MEMORY,
    fmt: str | None = None,
    limit: int | None = None,
) -> QueryOutcome:
    """Run a SPARQL query (or, if allowed, an update) on ``store``: an in-memory store, or
    a function that makes one (called in the engine's process: the data is then read
    there, once, rather than shared with it page by page).

    ``timeout`` seconds (``None`` or 0: no limit) bound the run, from when the store is
    ready; ``memory`` GiB (``None`` or 0: no limit) bound what it may add to the engine's
    process (Linux); ``fmt`` (a name in :data:`RESULT_FORMATS` or :data:`GRAPH_FORMATS`) returns the
    result serialized, in ``data``; else ``limit`` stops after that many solutions, saying
    whether there were more. After an update, ``store`` (or the outcome's ``store``, when
    given a function) holds the changed graph.

    Raises QueryError, naming ``source`` and the line and column of a syntax error, saying
    which flag would allow what was refused, or that the time limit passed.
    """
    if timeout is not None and timeout < 0:
        raise QueryError(f"a time limit is a number of seconds, not {timeout:g}")
    if memory is not None and memory < 0:
        raise QueryError(f"a memory limit is a number of GiB, not {memory:g}")
    if fmt is not None and limit is not None:
        raise ValueError("a limit is for results read back, not serialized (fmt)")
    if mentions_remote(text):
        warm_up()  # the parser imported and prepared once, here, not in every child
    prepare = store if callable(store) else lambda: store

    def work(prepared: ox.Store, out: BinaryIO) -> _Done:
        return _evaluate(prepared, text, out, allow_update=allow_update,
                         allow_remote=allow_remote, source=source, fmt=fmt, limit=limit)

    try:
        if worker.forking():
            done = worker.run_forked(prepare, work, timeout=timeout or None,
                                     memory=int(memory * 2**30) if memory else None, allow_network=allow_remote)
        else:
            done = worker.run_here(prepare, work)
    except worker.Stopped as stop:
        if stop.timed_out:
            raise QueryError(
                f"{source}: stopped: the query ran past its time limit of {timeout:g} s "
                "(--timeout SECONDS allows longer; 0 for no limit)"
            ) from None
        if stop.out_of_memory:
            raise QueryError(
                f"{source}: stopped: the query needed more than its memory limit of {memory:g} GiB "
                "(--memory GIB allows more; 0 for no limit)"
            ) from None
        raise QueryError(f"{source}: the query stopped: {stop}") from None
    return _outcome(store, done, fmt)


def _outcome(
    store: ox.Store | Callable[[], ox.Store], done: worker.Finished[_Done], fmt: str | None
) -> QueryOutcome:
    """The outcome as the caller sees it: what came through the pipe, read back."""
    report, data = done.value, done.data
    outcome = QueryOutcome(report.info, truncated=report.truncated,
                           triples_before=report.triples_before, triples_after=report.triples_after)
    if report.kind == "update":
        # The store the update changed is gone with the child (or was made in the work):
        # the one here takes its content.
        target = store if isinstance(store, ox.Store) else ox.Store()
        if done.isolated or target is not store:
            target.clear()
            target.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        outcome.store = target
        return outcome
    if fmt is not None:
        outcome.data = data  # serialized as asked
    elif report.kind == "graph":
        outcome.result = [quad.triple for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    else:
        outcome.result = ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)
    return outcome


def _evaluate(
    store: ox.Store,
    text: str,
    out: BinaryIO,
    *,
    allow_update: bool,
    allow_remote: bool,
    source: str,
    fmt: str | None,
    limit: int | None,
) -> _Done:
    """Check, run and serialize one query into ``out``: what runs in the engine's process.

    A text that could call another server (it mentions ``SERVICE`` or ``LOAD``) is read by
    rdflib's parser first (:mod:`kg.sparql.check`) and refused as its parse says. Any other
    text cannot call one: the engine's own parse then says what it is, a query, or else an
    update (parsed on an empty store, so that a refused update changes nothing).
    """
    could_call = mentions_remote(text)
    info = inspect_query(text) if could_call else QueryInfo("unknown")
    if info.unchecked and not allow_remote and sandbox.installed():
        _syntax_check(text, source, allow_update)  # its own error says more than a refusal
    _refuse_remote(info, source, allow_remote=allow_remote)
    if info.form == "update":
        _refuse_update(info.keyword, source, allow_update=allow_update)
        return _update(store, text, out, info, source)
    try:
        result = store.query(text)
    except SyntaxError as err:
        if info.form != "unknown":
            raise _syntax_error(err, text, source) from err
        if could_call:  # only allowed remote calls get here: try it once, for real
            if not allow_update:
                raise _syntax_error(err, text, source) from err
            return _update(store, text, out, info, source, query_error=err)
        update_error = _update_syntax_error(text)
        if update_error is not None:
            raise _syntax_error(_farther(err, update_error), text, source) from err
        _refuse_update("", source, allow_update=allow_update)
        return _update(store, text, out, info, source)
    except (OSError, RuntimeError, ValueError) as err:
        raise QueryError(f"{source}: the query failed: {err}") from err
    try:
        return _write_result(result, out, info, fmt, limit)
    except (OSError, RuntimeError, ValueError) as err:  # evaluation goes on while it is written
        raise QueryError(f"{source}: the query failed: {err}") from err


def _update_syntax_error(text: str) -> SyntaxError | None:
    """pyoxigraph's syntax error for ``text`` as an update, or None if it parses as one
    (it is applied to an empty store: this is for a text that calls no other server)."""
    try:
        ox.Store().update(text)
    except SyntaxError as err:
        return err
    except (OSError, RuntimeError, ValueError):
        pass  # it parses; it failed on the empty store
    return None


def _syntax_check(text: str, source: str, allow_update: bool) -> None:
    """Raise pyoxigraph's syntax error for ``text``, if it has one, by running it on an
    empty store: only where no connection can be made, as a ``SERVICE`` would run too."""
    try:
        ox.Store().query(text)
        return
    except SyntaxError as err:
        query_error = err
    except (OSError, RuntimeError, ValueError):
        return  # it parses
    update_error = _update_syntax_error(text) if allow_update else query_error
    if update_error is None:
        return
    farther = _farther(query_error, update_error)
    raise _syntax_error(farther, text, source) from farther


def _refuse_remote(info: QueryInfo, source: str, *, allow_remote: bool) -> None:
    if not allow_remote and info.remote:
        raise QueryError(
            f"{source}: refused: {', '.join(info.remote)} would send requests to another "
            "server; pass --allow-remote to allow it"
        )
    if not allow_remote and info.unchecked:
        raise QueryError(
            f"{source}: refused: it mentions SERVICE or LOAD, and the SPARQL parser kg finds "
            f"requests to other servers with (rdflib's) stops at {info.unchecked}; pass "
            "--allow-remote to run it unchecked"
        )


def _refuse_update(keyword: str, source: str, *, allow_update: bool) -> None:
    if not allow_update:
        raise QueryError(
            f"{source}: refused: {keyword or 'it'} is a SPARQL update and kg query is "
            "read-only; pass --allow-update to apply it to an in-memory copy (the data "
            "file is never changed)"
        )


def _update(
    store: ox.Store, text: str, out: BinaryIO, info: QueryInfo, source: str,
    query_error: SyntaxError | None = None,
) -> _Done:
    """Apply an update, and write the store's new content (the parent's copy is older)."""
    before = len(store)
    try:
        store.update(text)
    except SyntaxError as err:
        if query_error is not None and _position(query_error) >= _position(err):
            err = query_error  # the one that read further is the likelier intent
        raise _syntax_error(err, text, source) from err
    except (OSError, RuntimeError, ValueError) as err:
        raise QueryError(f"{source}: the update failed: {err}") from err
    store.dump(out, format=ox.RdfFormat.N_QUADS)
    return _Done(info, "update", triples_before=before, triples_after=len(store))


def _write_result(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    out: BinaryIO,
    info: QueryInfo,
    fmt: str | None,
    limit: int | None,
) -> _Done:
    if isinstance(result, ox.QueryBoolean):
        chosen = fmt or _WIRE["boolean"]
        out.write(result.serialize(format=_results_format(chosen)) or b"")
        return _Done(info, "boolean")
    if isinstance(result, ox.QueryTriples):
        chosen = fmt or _WIRE["graph"]
        ox.serialize(result, out, format=_graph_format(chosen), prefixes=dict(PREFIXES))
        return _Done(info, "graph")
    chosen = fmt or _WIRE["solutions"]
    results_format = _results_format(chosen)
    if limit is None:
        result.serialize(out, format=results_format)
        return _Done(info, "solutions")
    lines = _FirstLines(out, limit + 1)  # the header, then one line per solution
    try:
        result.serialize(cast(BinaryIO, lines), format=ox.QueryResultsFormat.TSV)
    except _Enough:
        return _Done(info, "solutions", truncated=True)
    return _Done(info, "solutions")


class _Enough(Exception):
    """Raised into the serializer once the rows asked for are written."""


class _FirstLines:
    """A writer that keeps the first ``lines`` lines and stops the writing at the first
    byte after them. TSV results hold one solution a line (line breaks in values are
    escaped), so the engine stops producing solutions there."""

    def __init__(self, out: BinaryIO, lines: int) -> None:
        self._out = out
        self._left = lines

    def write(self, data: bytes) -> int:
        if not data:
            return 0
        if self._left == 0:
            raise _Enough
        chunk = bytes(data)
        end = 0
        while self._left and end < len(chunk):
            found = chunk.find(b"\n", end)
            if found < 0:
                end = len(chunk)
                break
            end = found + 1
            self._left -= 1
        self._out.write(chunk[:end])
        if end < len(chunk):
            raise _Enough
        return len(chunk)

    def flush(self) -> None:
        self._out.flush()


def _results_format(fmt: str) -> ox.QueryResultsFormat:
    if fmt not in RESULT_FORMATS:
        raise QueryError(
            f"SELECT and ASK results come as {', '.join(RESULT_FORMATS)} (or table), not {fmt}"
        )
    return RESULT_FORMATS[fmt]


def _graph_format(fmt: str) -> ox.RdfFormat:
    if fmt not in GRAPH_FORMATS:
        raise QueryError(
            f"a CONSTRUCT or DESCRIBE query returns a graph: use --format "
            f"{', '.join(GRAPH_FORMATS)}, not {fmt}"
        )
    return GRAPH_FORMATS[fmt]


def _position(err: SyntaxError) -> tuple[int, int]:
    match = _SYNTAX_POSITION.match(str(err))
    return (int(match[1]), int(match[2])) if match else (0, 0)


def _farther(as_query: SyntaxError, as_update: SyntaxError) -> SyntaxError:
    """Of a text's syntax errors read as a query and as an update, the one that got
    farther: that reading is the one the author meant."""
    return as_query if _position(as_query) >= _position(as_update) else as_update


def _syntax_error(err: SyntaxError, text: str, source: str) -> QueryError:
    """pyoxigraph's "error at 3:14: expected …" as "SOURCE: line 3, column 14: …" plus the
    line itself with a caret under the column (the parser reports the farthest point it
    reached, which is the end of the query when something is left open)."""
    message = str(err)
    match = _SYNTAX_POSITION.match(message)
    if match is None:
        return QueryError(f"{source}: {message}")
    line, column, reason = int(match[1]), int(match[2]), _readable(match[3])
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return QueryError(f"{source}: line {line}, column {column} (the end of the query): {reason}")
    shown = lines[line - 1].expandtabs(1)
    caret = " " * (max(column, 1) - 1) + "^"
    return QueryError(f"{source}: line {line}, column {column}: {reason}\n  {shown}\n  {caret}")


def _readable(reason: str) -> str:
    """The parser's reason without the Unicode character classes it lists in full."""
    reason = " ".join(reason.split())
    cut = reason.find(", [")
    if cut > 0:
        reason = reason[:cut] + ", …"
    return reason if len(reason) <= 200 else reason[:199] + "…"


def serialize_result(result: QueryResult, fmt: str) -> bytes:
    """Results in a standard format: SPARQL JSON/CSV/TSV/XML, or Turtle/N-Triples/JSON-LD
    for a graph (prefixed with kg's usual prefixes)."""
    if isinstance(result, list):
        data = ox.serialize(result, format=_graph_format(fmt), prefixes=dict(PREFIXES))
    else:
        data = result.serialize(format=_results_format(fmt))
    assert data is not None  # serialize returns bytes when given no output
    return data


def term_text(term: object, short: bool = True) -> str:
    """A term as a person reads it: a prefixed name or IRI, a literal's text, a blank
    node's label; ``""`` for an unbound variable. (Standard formats keep every detail.)"""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value) if short else term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def solution_rows(result: ox.QuerySolutions) -> tuple[list[str], Iterator[list[str]]]:
    """Variable names and rows of readable cell texts."""
    names = [v.value for v in result.variables]

    def rows() -> Iterator[list[str]]:
        for solution in result:
            yield [term_text(solution[name]) for name in names]

    return names, rows()
