"""The ``kg`` command: a thin shell over the library.

Each command parses its options, calls one library function and prints. Errors kg raises
on purpose become one line on stderr and exit status 1; usage errors exit with 2.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg import __version__
from kg.cli_insights import diff as _diff
from kg.cli_insights import insights as _insights
from kg.cli_lint import lint as _lint
from kg.errors import KgError
from kg.model.vocab import DEFAULT_BASE_IRI
from kg.resources import DEFAULT_LIST

if TYPE_CHECKING:
    from kg.map.reduce import Reduction
    from kg.model.graph import KnowledgeGraph
    from kg.model.records import Corpus, Entry
    from kg.rdf.validate import ValidationReport
    from kg.read.additions import Addition, Workspace
    from kg.sources.semantic_scholar import FetchReport

# Commands import the library lazily so that `kg --help` answers at once.

__all__ = ["app", "main"]

app = typer.Typer(
    name="kg",
    help="Turn a curated reading list (awesome-list Markdown) into a knowledge graph of its field.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)
app.command("lint")(_lint)  # kg lint lives in kg/cli_lint.py
app.command("insights")(_insights)  # kg insights and kg diff live in kg/cli_insights.py
app.command("diff")(_diff)

T = TypeVar("T")


def _run(action: Callable[[], T]) -> T:
    """Run a library call; our errors become a clear message and exit status 1."""
    try:
        return action()
    except KgError as error:
        err.print(f"[bold red]error:[/] {error}", highlight=False, markup=True, soft_wrap=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print("interrupted: everything already written is kept.")
        raise typer.Exit(130) from None


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what each stage does.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        out.print(f"kg {__version__}")
        raise typer.Exit()
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        force=True,  # the semanticscholar client configures the root logger on import
    )


class _Bars:
    """Progress bars for the pipeline's stages (kg.pipeline.Progress)."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: TaskID | None = None

    def stage(self, name: str, total: int | None = None) -> None:
        if self._task is not None:
            task = self._progress.tasks[self._task]
            self._progress.update(self._task, completed=task.total or 1, total=task.total or 1)
        self._task = self._progress.add_task(name, total=total)

    def advance(self, amount: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, amount)


def _bars() -> Progress:
    return Progress(
        TextColumn("{task.description:<14}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}", style="dim"),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal,
    )


class MapEngine(StrEnum):
    """What draws the map (kg.render.Engine)."""

    auto = "auto"
    vis = "vis"
    canvas = "canvas"


_ENGINE_HELP = (
    "What draws the map: vis (vis-network, built with pyvis; fine up to ~2,000 nodes and "
    "10,000 edges), canvas (kg's own renderer, for large fields) or auto (vis up to that size)."
)


@app.command()
def build(
    reading_list: Annotated[
        Path | None,
        typer.Argument(help="The Markdown reading list. Default: the deep-learning-theory list shipped with kg."),
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Directory for kg.ttl and kg.html.")] = Path("outputs"),
    online: Annotated[
        bool, typer.Option("--online", help="Fetch from Semantic Scholar what the cache lacks; fail if it cannot be reached.")
    ] = False,
    offline: Annotated[
        bool, typer.Option("--offline", help="Use only the bundled facts and the cache; make no request.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask Semantic Scholar again for everything, replacing the cache's answers.")
    ] = False,
    max_age: Annotated[
        str | None, typer.Option("--max-age", metavar="AGE", help="Ask again for answers older than AGE (30d, 12h, 90m).")
    ] = None,
    api_url: Annotated[
        str | None, typer.Option("--api-url", metavar="URL", envvar="S2_API_URL", show_default="https://api.semanticscholar.org",
                                 help="Root of a server speaking the Semantic Scholar Graph API (/graph/v1/... is appended).")
    ] = None,
    cache: Annotated[
        Path | None, typer.Option("--cache", metavar="DIR", help="Directory of the response cache. Default: the user cache directory.")
    ] = None,
    max_citations: Annotated[
        int, typer.Option("--max-citations", metavar="N", min=0, help="Citing papers to fetch per work at most; the true total is recorded.")
    ] = 1000,
    rate: Annotated[
        float | None, typer.Option("--rate", metavar="RPS", min=0.01,
                                   help="Requests per second at most. Default: 1 with S2_API_KEY, 0.5 without.")
    ] = None,
    base_iri: Annotated[
        str, typer.Option(help="Namespace for IRIs of things without a stable identifier.")
    ] = DEFAULT_BASE_IRI,
    validate: Annotated[bool, typer.Option(help="Check the result against the SHACL shapes.")] = True,
    extensions: Annotated[
        Path | None,
        typer.Option(help="Directory of extension files (*.ttl). Default: ./ontology/extensions if present."),
    ] = None,
    engine: Annotated[MapEngine, typer.Option(help=_ENGINE_HELP)] = MapEngine.auto,
    insights: Annotated[
        bool, typer.Option(help="Store what the field says about the list (kg insights) in kg.ttl and on the map.")
    ] = True,
) -> None:
    """Build the knowledge graph of a reading list: Turtle (kg.ttl) and an offline map (kg.html).

    Facts come from the bundled snapshot and from Semantic Scholar (references, citations, authors, fields of study), through an on-disk cache. By default kg asks the API for what the cache lacks and goes on offline, with a warning, when the API cannot be reached.
    """
    from kg.analysis.insights import InsightSettings
    from kg.map.reduce import MapLimits
    from kg.pipeline import BuildSettings
    from kg.pipeline import build as run_build
    from kg.read.extensions import extension_files
    from kg.sources.http import NetworkPolicy
    from kg.sources.semantic_scholar import DEFAULT_API_URL, Mode, S2Settings

    if online and offline:
        raise typer.BadParameter("choose one of --online and --offline", param_hint="--online")
    if refresh and offline:
        raise typer.BadParameter("--refresh asks the API again; it cannot go with --offline", param_hint="--refresh")
    mode: Mode = "online" if online else "offline" if offline else "auto"
    try:
        s2 = S2Settings(
            mode=mode,
            api_url=api_url or DEFAULT_API_URL,
            cache_dir=cache,
            refresh=refresh,
            max_age=_parse_age(max_age) if max_age else None,
            max_citations=max_citations,
            network=NetworkPolicy.from_env(rate=rate),
        )
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--api-url") from None
    settings = BuildSettings(
        list_path=reading_list or DEFAULT_LIST,
        out_dir=out_dir,
        base_iri=base_iri,
        extensions=_run(lambda: extension_files(extensions)),
        validate=validate,
        s2=s2,
        map_limits=MapLimits(engine=engine.value),
        insights=InsightSettings() if insights else None,
    )
    with _bars() as progress:
        result = _run(lambda: run_build(settings, _Bars(progress)))
    out.print(f"{settings.list_path.name}: {_contents(result.graph)}")
    added = [e for e in result.corpus.entries if e.source]
    if added:
        topics = sum(1 for e in added if e.is_topic)
        out.print(
            f"extensions added {len(added) - topics} resources and {topics} topics "
            f"from {len(settings.extensions)} file(s)"
        )
    out.print(f"bundled facts described {result.described} resources")
    if result.fetch is not None:
        _print_fetch(result.fetch, max_citations)
        _print_unresolved(result.corpus)
    out.print(f"wrote {result.turtle_path} ({result.triples} triples)")
    if result.previous is not None:
        change = result.change.summary() if result.change is not None else "could not be compared (see the log)"
        out.print(f"since the previous build (kept as {result.previous}): {change}", highlight=False)
    if result.unvalidated:
        out.print(result.unvalidated, highlight=False, markup=False, soft_wrap=True)
    if result.html_path and result.reduction:
        _print_map(result.html_path, result.reduction)
    if result.report is not None and not result.report.conforms:
        _print_violations(result.report)
        raise typer.Exit(1)


_AGE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def _parse_age(text: str) -> timedelta:
    """``30d``, ``12h``, ``90m``, ``2w`` (a bare number is days)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", text.lower())
    if not match:
        raise typer.BadParameter(f"{text!r}: write an age such as 30d, 12h or 90m", param_hint="--max-age")
    return timedelta(seconds=float(match.group(1)) * _AGE_UNITS[match.group(2) or "d"])


def _print_fetch(report: FetchReport, max_citations: int) -> None:
    """The closing summary of the Semantic Scholar stage."""
    if report.fallback:
        err.print(
            f"[yellow]warning:[/] Semantic Scholar cannot be reached ({report.fallback}); "
            "built offline from the cache and the bundled facts",
            highlight=False, soft_wrap=True,
        )
    where = f"cache {report.cache}" if report.cache else "no cache yet"
    how = "online" if report.mode == "online" else "offline: cache and bundled facts only"
    out.print(f"Semantic Scholar ({how}; {where}):", highlight=False, soft_wrap=True)
    out.print(
        f"  resolved {report.resolved}/{report.resources} resources; {report.papers} papers, "
        f"{report.authors} authors, {report.citations} citation edges",
        highlight=False,
    )
    retried = f" ({report.retries} of them retries)" if report.retries else ""
    out.print(f"  {report.requests} requests made{retried}, {report.cache_hits} cache hits"
              + (f", {report.not_cached} answers not in the cache" if report.not_cached else ""),
              highlight=False)
    if report.partial:
        shown = "; ".join(
            f"{p.label[:60]} ({p.fetched} of {p.total if p.total is not None else '?'})"
            for p in report.partial[:5]
        )
        more = f"; … and {len(report.partial) - 5} more" if len(report.partial) > 5 else ""
        out.print(
            f"  partial: citations of {len(report.partial)} work(s) not all fetched "
            f"(--max-citations {max_citations}): {shown}{more}",
            highlight=False, soft_wrap=True,
        )


def _print_unresolved(corpus: Corpus, shown: int = 8) -> None:
    """The list resources no source resolved, with the reason (alike reasons together)."""
    entries = {entry.key: entry for entry in corpus.entries}
    groups: dict[str, list[Entry]] = {}
    for key, reason in corpus.unresolved.items():
        groups.setdefault(reason, []).append(entries[key])
    if not groups:
        return
    out.print(f"  unresolved {len(corpus.unresolved)}:", highlight=False)
    ordered = sorted(groups.items(), key=lambda group: min(e.line for e in group[1]))
    for reason, members in ordered[:shown]:
        lines = sorted(e.line for e in members)
        if len(members) == 1:
            where = f"line {lines[0]} {members[0].title[:50]!r}"
        else:
            where = f"{len(members)} (lines {', '.join(map(str, lines[:6]))}{', …' if len(lines) > 6 else ''})"
        out.print(f"    {where}: {reason}", highlight=False, markup=False, soft_wrap=True)
    if len(ordered) > shown:
        rest = sum(len(members) for _, members in ordered[shown:])
        out.print(f"    … and {rest} more", highlight=False)


def _contents(graph: KnowledgeGraph) -> str:
    from kg.model.nodes import Cites

    works = list(graph.works())
    listed = sum(1 for work in works if work.in_list)
    return (
        f"{listed} resources, {sum(1 for _ in graph.topics())} topics, "
        f"{sum(1 for _ in graph.people())} people, {len(works) - listed} other works, "
        f"{sum(1 for _ in graph.edges(Cites))} citations"
    )


def _print_map(path: Path, reduction: Reduction) -> None:
    size = path.stat().st_size / 1e6
    drawn_by = "vis-network" if reduction.engine == "vis" else "canvas"
    out.print(f"wrote {path} ({size:.1f} MB, drawn by {drawn_by}; open it in a browser, it works offline)")
    if reduction.reduced:
        out.print(
            f"the map shows {reduction.shown_nodes:,} of {reduction.total_nodes:,} nodes and "
            f"{reduction.shown_edges:,} of {reduction.total_edges:,} edges (the page says "
            "what it leaves out; raise --max-nodes/--max-edges to see more)"
        )


@app.command()
def render(
    data: Annotated[
        Path,
        typer.Argument(
            help="An RDF graph (Turtle, N-Triples…): one kg build wrote, one edited with "
            "SPARQL, or one made elsewhere with DCTerms/CiTO/FOAF/SKOS/schema.org terms."
        ),
    ] = Path("outputs/kg.ttl"),
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="The page to write. Default: DATA with .html.")
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="Page title. Default: the list's title in DATA, else its file name.")
    ] = None,
    max_nodes: Annotated[
        int | None,
        typer.Option(min=1, help="Most nodes to draw; a larger graph keeps every list resource and topic "
                     "and the most influential works. Default: 30,000."),
    ] = None,
    max_edges: Annotated[
        int | None, typer.Option(min=1, help="Most edges to draw. Default: 300,000.")
    ] = None,
    engine: Annotated[MapEngine, typer.Option(help=_ENGINE_HELP)] = MapEngine.auto,
    extensions: Annotated[
        Path | None,
        typer.Option(help="Directory of extension files whose kinds the map names. Default: ./ontology/extensions if present."),
    ] = None,
) -> None:
    """Draw the interactive offline map (HTML) of an RDF graph, as kg build does."""
    from dataclasses import replace

    from kg.map.reduce import MapLimits
    from kg.pipeline import RenderSettings
    from kg.pipeline import render as run_render
    from kg.read.extensions import extension_files

    limits = MapLimits()
    limits = replace(
        limits,
        max_nodes=max_nodes or limits.max_nodes,
        max_edges=max_edges or limits.max_edges,
        engine=engine.value,
    )
    settings = RenderSettings(
        data=[data],
        out=out_path or data.with_suffix(".html"),
        title=title,
        extensions=_run(lambda: extension_files(extensions)),
        map_limits=limits,
    )
    with _bars() as progress:
        result = _run(lambda: run_render(settings, _Bars(progress)))
    out.print(f"{data.name}: {_contents(result.graph)}")
    _print_map(result.html_path, result.reduction)


def _print_violations(report: ValidationReport) -> None:
    err.print(f"[bold red]{len(report.violations)} SHACL violation(s):[/]")
    for violation in report.violations[:50]:
        err.print(f"  {violation}", highlight=False, markup=False, soft_wrap=True)
    if len(report.violations) > 50:
        err.print(f"  … and {len(report.violations) - 50} more")


@app.command()
def validate(
    data: Annotated[Path, typer.Argument(help="An RDF file (Turtle, N-Triples…).")] = Path("outputs/kg.ttl"),
    extensions: Annotated[
        Path | None,
        typer.Option(help="Directory of extension files whose kinds count as declared. Default: ./ontology/extensions if present."),
    ] = None,
) -> None:
    """Check a graph against the ontology's SHACL shapes and vocabulary; exit 1 on violations."""
    from rdflib import Graph

    from kg.errors import DataError
    from kg.model.ontology import load_ontology
    from kg.rdf.validate import validate_graph
    from kg.read.extensions import extension_files

    def check() -> ValidationReport:
        if not data.is_file():
            raise DataError(f"{data}: no such file (build one with `kg build`)")
        try:
            graph = Graph().parse(data)
        except Exception as error:  # rdflib's parsers raise many types for bad input
            raise DataError(f"{data}: not valid RDF: {error}") from error
        return validate_graph(graph, load_ontology(extension_files(extensions)))

    report = _run(check)
    if report.conforms:
        out.print(f"{data}: conforms to the kg shapes")
        return
    _print_violations(report)
    raise typer.Exit(1)


@app.command()
def stats(
    data: Annotated[Path, typer.Argument(help="An RDF file (Turtle, N-Triples…).")] = Path("outputs/kg.ttl"),
) -> None:
    """Count triples, instances per class, uses per property and resources per topic."""
    from kg.rdf.store import load_store
    from kg.sparql.stats import compact, graph_stats

    result = _run(lambda: graph_stats(load_store(data)))
    out.print(f"{data}: {result.triples} triples")
    for title, rows in (
        ("class", [(compact(c), n) for c, n in result.classes]),
        ("property", [(compact(p), n) for p, n in result.properties]),
        ("topic", [(label, n) for _, label, n in result.topics]),
    ):
        table = Table(title=None, show_edge=False, pad_edge=False)
        table.add_column(title)
        table.add_column("resources" if title == "topic" else "count", justify="right")
        for name, count in rows:
            table.add_row(name, str(count))
        out.print(table)


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


@app.command()
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
        typer.Option("--data", "-d", help="RDF file(s) to query. Default: outputs/kg.ttl."),
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
    paths = data or [Path("outputs/kg.ttl")]

    def run() -> sparql.QueryOutcome:
        text, source = sparql.load_query(query)
        text = sparql.bind_parameters(text, sparql.parse_assignments(param or []))
        if write_to is not None and any(write_to.resolve() == p.resolve() for p in paths):
            raise QueryError(f"--write-to {write_to}: name another file; the data file is never changed")
        store = load_store(*paths)
        outcome = sparql.run_query(
            store, text, allow_update=allow_update, allow_remote=allow_remote, source=source
        )
        if outcome.result is None and write_to is not None:
            save_store(store, write_to)
        return outcome

    outcome = _run(run)
    if outcome.result is None:
        out.print(
            f"update applied in memory: {outcome.triples_before} triples before, "
            f"{outcome.triples_after} after; {', '.join(map(str, paths))} unchanged"
        )
        if write_to is not None:
            out.print(f"wrote {write_to}")
        return
    result = outcome.result
    if fmt is QueryFormat.table:
        _print_result_table(result)
        return
    data_bytes = _run(lambda: sparql.serialize_result(result, fmt.value))
    sys.stdout.buffer.write(data_bytes)
    sys.stdout.buffer.flush()


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


def _print_result_table(result: object) -> None:
    import pyoxigraph as ox

    from kg.sparql.engine import serialize_result, solution_rows

    if isinstance(result, ox.QueryBoolean):
        out.print("true" if bool(result) else "false")
        return
    if isinstance(result, ox.QueryTriples):
        sys.stdout.buffer.write(serialize_result(result, "turtle"))
        sys.stdout.buffer.flush()
        return
    assert isinstance(result, ox.QuerySolutions)
    names, rows = solution_rows(result)
    table = Table(show_edge=False, pad_edge=False)
    for name in names:
        table.add_column(name, overflow="fold")
    shown = total = 0
    for row in rows:
        total += 1
        if shown < _TABLE_ROWS:
            table.add_row(*row)
            shown += 1
    out.print(table)
    if total > shown:
        err.print(f"showing {shown} of {total} rows; --format csv (or tsv, json) gives them all")
    else:
        err.print(f"{total} row{'s' if total != 1 else ''}", style="dim")


@app.command()
def serve(
    data: Annotated[Path, typer.Argument(help="The RDF file to serve.")] = Path("outputs/kg.ttl"),
    port: Annotated[int, typer.Option("--port", "-p", help="Port on 127.0.0.1.")] = 7878,
    writable: Annotated[
        bool, typer.Option("--writable", help="Accept SPARQL updates and Graph Store writes (to a temporary copy).")
    ] = False,
) -> None:
    """Serve the graph as a SPARQL 1.1 endpoint on localhost (Oxigraph server; Ctrl-C stops it)."""
    from kg.errors import EndpointError
    from kg.sparql.serve import running_server

    _interrupt_on_sigterm()

    def run() -> None:
        with running_server([data], port=port, writable=writable) as server:
            mode = "read-write (a temporary copy)" if writable else "read-only"
            try:  # a stop may come as soon as the first line is out
                out.print(f"serving {data} ({server.triples} triples), {mode}")
                out.print(f"SPARQL endpoint: {server.query_url}")
                out.print(f"Graph Store:     {server.store_url}")
                out.print(f"in a browser:    {server.url}/   (Ctrl-C stops the server)")
                status = server.wait()
            except KeyboardInterrupt:
                return
            raise EndpointError(f"the Oxigraph server stopped on its own (exit status {status})")

    _run(run)
    out.print("stopped")


def _interrupt_on_sigterm() -> None:
    """Stop on SIGTERM as on Ctrl-C, so the server child is stopped and its files removed."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


@app.command()
def push(
    endpoint: Annotated[
        str,
        typer.Option(
            help="Graph Store HTTP Protocol URL, e.g. http://localhost:7878/store (Oxigraph), "
            "http://localhost:3030/DATASET/data (Fuseki).",
        ),
    ],
    data: Annotated[Path, typer.Argument(help="The RDF file to upload.")] = Path("outputs/kg.ttl"),
    graph: Annotated[
        str | None, typer.Option(help="IRI of the named graph to write. Default: the default graph.")
    ] = None,
    add: Annotated[bool, typer.Option("--add", help="Add to the graph (POST) instead of replacing it (PUT).")] = False,
) -> None:
    """Upload the graph to a SPARQL store (Graph Store HTTP Protocol; auth from KG_PUSH_USER/KG_PUSH_PASSWORD)."""
    from kg.sparql.push import push_graph

    result = _run(
        lambda: push_graph(
            data, endpoint, graph=graph, replace=not add,
            user=os.environ.get("KG_PUSH_USER"), password=os.environ.get("KG_PUSH_PASSWORD"),
        )
    )
    action = "added" if add else "replaced"
    target = f"graph <{graph}>" if graph else "the default graph"
    out.print(f"pushed {result.triples} triples to {endpoint}: {target} {action} (HTTP {result.status})")


add_app = typer.Typer(
    name="add",
    help="Extend the ontology and the list: a new resource, topic or kind, checked, then "
    "written to ontology/extensions/ (the next `kg build` includes it).",
    no_args_is_help=True,
)
app.add_typer(add_app, name="add")

_ListOption = Annotated[
    Path | None,
    typer.Option("--list", help="The reading list the entry extends. Default: the shipped list."),
]
_ExtensionsOption = Annotated[
    Path, typer.Option("--extensions", help="Directory of extension files (created if missing).")
]
_BaseIriOption = Annotated[
    str, typer.Option("--base-iri", help="Namespace of IRIs of topics and pages (as for kg build).")
]


def _add(action: Callable[[Workspace], Addition], reading_list: Path | None, extensions: Path, base_iri: str) -> None:
    from kg.read.additions import Workspace
    from kg.read.markdown import read_reading_list

    def run() -> Addition:
        ws = Workspace(extensions, read_reading_list(reading_list or DEFAULT_LIST), base_iri)
        return action(ws)

    added = _run(run)
    out.print(
        f"added <{added.iri}> to {added.path} (line {added.line}); `kg build` includes it",
        soft_wrap=True, highlight=False, markup=False,
    )
    out.print(added.turtle, soft_wrap=True, highlight=False, markup=False, end="")


@add_app.command("resource")
def add_resource(
    ref: Annotated[str, typer.Argument(help="The resource's URL, arXiv id (2106.10165) or DOI.")],
    title: Annotated[str, typer.Option(help="Its title.")],
    topic: Annotated[str, typer.Option(help="The topic it goes under: a label, the end of a path (\"Optimization / SGD\") or an IRI.")],
    kind: Annotated[str | None, typer.Option(help="Its kind (Preprint, Book, Course, … or a kind you added). Default: guessed like the list's own.")] = None,
    note: Annotated[str | None, typer.Option(help="The curator's note.")] = None,
    lang: Annotated[str | None, typer.Option(help="Language of the note (en, zh…). Default: from its script.")] = None,
    year: Annotated[int | None, typer.Option(help="The year to show beside it.")] = None,
    reading_list: _ListOption = None,
    extensions: _ExtensionsOption = Path("ontology/extensions"),
    base_iri: _BaseIriOption = DEFAULT_BASE_IRI,
) -> None:
    """Add a resource to the list (written to ontology/extensions/resources.ttl)."""
    from kg.read.additions import add_resource as add

    _add(lambda ws: add(ws, ref, title=title, topic=topic, kind=kind, note=note, note_lang=lang, year=year),
         reading_list, extensions, base_iri)


@add_app.command("topic")
def add_topic(
    label: Annotated[str, typer.Argument(help="The new topic's label.")],
    broader: Annotated[str | None, typer.Option(help="The topic it goes under (label, end of a path, or IRI). Default: the top of the list.")] = None,
    lang: Annotated[str | None, typer.Option(help="Language of the label. Default: from its script.")] = None,
    reading_list: _ListOption = None,
    extensions: _ExtensionsOption = Path("ontology/extensions"),
    base_iri: _BaseIriOption = DEFAULT_BASE_IRI,
) -> None:
    """Add a topic to the list (written to ontology/extensions/topics.ttl)."""
    from kg.read.additions import add_topic as add

    _add(lambda ws: add(ws, label, broader=broader, lang=lang), reading_list, extensions, base_iri)


@add_app.command("kind")
def add_kind(
    name: Annotated[str, typer.Argument(help="The new kind's name, one CamelCase word (LectureNotes).")],
    parent: Annotated[str, typer.Option(help="The existing kind it is a kind of (Book, Paper, Course…).")],
    label: Annotated[str | None, typer.Option(help="Its label. Default: from the name (\"Lecture notes\").")] = None,
    comment: Annotated[str | None, typer.Option(help="What it is, in a sentence.")] = None,
    reading_list: _ListOption = None,
    extensions: _ExtensionsOption = Path("ontology/extensions"),
    base_iri: _BaseIriOption = DEFAULT_BASE_IRI,
) -> None:
    """Declare a new kind of resource, a subclass of an existing one (ontology/extensions/kinds.ttl)."""
    from kg.read.additions import add_kind as add

    _add(lambda ws: add(ws, name, parent=parent, label=label, comment=comment), reading_list, extensions, base_iri)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    app(prog_name="kg")


if __name__ == "__main__":  # pragma: no cover
    main()
