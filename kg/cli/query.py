"""``kg query``: SPARQL on the graph, read-only unless told otherwise."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kg.cli.common import DEFAULT_DATA, err, out, run

if TYPE_CHECKING:
    from kg.sparql.engine import QueryOutcome

__all__ = ["QueryFormat", "query"]


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    xml = "xml"
    turtle = "turtle"
    ntriples = "ntriples"
    jsonld = "jsonld"


_TABLE_ROWS = 1000
"""Rows a table shows; the standard formats give them all."""


def query(
    query: Annotated[
        str | None,
        typer.Argument(
            metavar="QUERY|FILE.rq|NAME",
            help="SPARQL text, a .rq file, or the name of a query shipped with kg (see --list).",
        ),
    ] = None,
    data: Annotated[
        list[Path] | None,
        typer.Option("--data", "-d", help=f"RDF file(s) to query. Default: {DEFAULT_DATA}."),
    ] = None,
    fmt: Annotated[
        QueryFormat,
        typer.Option(
            "--format", "-f",
            help="table; csv, tsv, json or xml (SPARQL 1.1 results); turtle, ntriples or jsonld for CONSTRUCT/DESCRIBE.",
        ),
    ] = QueryFormat.table,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", metavar="NAME=VALUE", help="Value of a query parameter (its `# param` line)."),
    ] = None,
    list_queries: Annotated[bool, typer.Option("--list", help="List the shipped queries and exit.")] = False,
    allow_update: Annotated[
        bool,
        typer.Option("--allow-update", help="Run a SPARQL update on an in-memory copy (the data file never changes)."),
    ] = False,
    allow_remote: Annotated[
        bool, typer.Option("--allow-remote", help="Let SERVICE and LOAD send requests to other servers.")
    ] = False,
    write_to: Annotated[
        Path | None, typer.Option(help="After an update, write the changed graph here (Turtle).")
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            metavar="SECONDS", min=0,
            help="Stop a query still running after this many seconds (0: no limit).",
        ),
    ] = 60.0,
    memory: Annotated[
        float | None,
        typer.Option(
            metavar="GIB", min=0, show_default=False,
            help="Stop a query that needs more memory than this many GiB "
            "(default: half of this machine's memory; 0: no limit).",
        ),
    ] = None,
) -> None:
    """Run a SPARQL query on the graph (read-only; pyoxigraph engine)."""
    from kg.errors import QueryError
    from kg.rdf.store import load_store, save_store
    from kg.sparql import engine as sparql

    if list_queries:
        _print_named_queries()
        return
    if query is None:
        err.print("give a query, a .rq file or a name (`kg query --list`)")
        raise typer.Exit(2)
    paths = data or [DEFAULT_DATA]

    def run_it() -> QueryOutcome:
        text, source = sparql.load_query(query)
        text = sparql.bind_parameters(text, sparql.parse_assignments(param or []))
        if write_to is not None and any(write_to.resolve() == p.resolve() for p in paths):
            raise QueryError(f"--write-to {write_to}: name another file; the data file is never changed")
        outcome = sparql.run_query(
            lambda: load_store(*paths), text, allow_update=allow_update, allow_remote=allow_remote,
            source=source, timeout=timeout, memory=sparql.DEFAULT_MEMORY if memory is None else memory, fmt=None if fmt is QueryFormat.table else fmt.value,
            limit=_TABLE_ROWS if fmt is QueryFormat.table else None,
        )
        if outcome.store is not None and write_to is not None:
            save_store(outcome.store, write_to)
        return outcome

    outcome = run(run_it)
    if outcome.updated:
        out.print(
            f"update applied in memory: {outcome.triples_before} triples before, "
            f"{outcome.triples_after} after; {', '.join(map(str, paths))} unchanged"
        )
        if write_to is not None:
            out.print(f"wrote {write_to}")
        return
    if outcome.data is not None:  # serialized by the engine, as asked
        # JSON and XML results end without a newline; a shell prompt would follow them.
        ending = b"" if outcome.data.endswith(b"\n") or not outcome.data else b"\n"
        sys.stdout.buffer.write(outcome.data + ending)
        sys.stdout.buffer.flush()
        return
    _print_result_table(outcome)


def _print_named_queries() -> None:
    from kg.sparql.engine import named_queries

    table = Table(show_edge=False, pad_edge=False, show_lines=False)
    table.add_column("name", no_wrap=True)
    table.add_column("what it answers")
    table.add_column("parameters")
    for named in named_queries():
        params = "\n".join(f"{p.name} = {p.default} {p.help}".strip() for p in named.parameters)
        table.add_row(named.name, named.description, params)
    out.print(table)


def _print_result_table(outcome: QueryOutcome) -> None:
    import pyoxigraph as ox

    from kg.sparql.engine import serialize_result, solution_rows

    result = outcome.result
    if isinstance(result, ox.QueryBoolean):
        out.print("true" if bool(result) else "false")
        return
    if isinstance(result, list):  # the triples of a graph
        sys.stdout.buffer.write(serialize_result(result, "turtle"))
        sys.stdout.buffer.flush()
        return
    assert isinstance(result, ox.QuerySolutions)
    names, rows = solution_rows(result)
    table = Table(show_edge=False, pad_edge=False)
    for name in names:
        table.add_column(name, overflow="fold")
    shown = 0
    for row in rows:  # the engine stopped after the rows a table shows
        table.add_row(*row)
        shown += 1
    out.print(table)
    if outcome.truncated:
        err.print(
            f"more than {shown} rows: showing the first {shown} "
            "(--format csv, tsv or json gives them all)"
        )
    else:
        err.print(f"{shown} row{'s' if shown != 1 else ''}", style="dim")
