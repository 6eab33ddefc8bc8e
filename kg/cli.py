"""The ``kg`` command: a thin shell over the library.

Each command parses its options, calls one library function and prints. Errors kg raises
on purpose become one line on stderr and exit status 1; usage errors exit with 2.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg import __version__
from kg.errors import KgError
from kg.resources import DEFAULT_LIST
from kg.vocab import DEFAULT_BASE_IRI

if TYPE_CHECKING:
    from kg.records import Corpus, Entry
    from kg.sources.semantic_scholar import FetchReport
    from kg.validate import ValidationReport

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
) -> None:
    """Build the knowledge graph of a reading list: Turtle (kg.ttl) and an offline map (kg.html).

    Facts come from the bundled snapshot and from Semantic Scholar (references, citations, authors, fields of study), through an on-disk cache. By default kg asks the API for what the cache lacks and goes on offline, with a warning, when the API cannot be reached.
    """
    from kg.pipeline import BuildSettings
    from kg.pipeline import build as run_build
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
        validate=validate,
        s2=s2,
    )
    with _bars() as progress:
        result = _run(lambda: run_build(settings, _Bars(progress)))
    graph = result.graph
    groups = [attrs["group"] for _, attrs in graph.nodes(data=True)]
    listed = sum(1 for _, attrs in graph.nodes(data=True) if attrs.get("in_list"))
    out.print(
        f"{settings.list_path.name}: {listed} resources, {groups.count('topic')} topics, "
        f"{groups.count('person')} people, {groups.count('work') - listed} other works, "
        f"{sum(1 for *_, k in graph.edges(keys=True) if k == 'cites')} citations"
    )
    out.print(f"bundled facts described {result.described} resources")
    if result.fetch is not None:
        _print_fetch(result.fetch, max_citations)
        _print_unresolved(result.corpus)
    out.print(f"wrote {result.turtle_path} ({result.triples} triples)")
    if result.unvalidated:
        out.print(result.unvalidated, highlight=False, markup=False, soft_wrap=True)
    if result.html_path:
        out.print(f"wrote {result.html_path}  (open it in a browser; it works offline)")
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


def _print_violations(report: ValidationReport) -> None:
    err.print(f"[bold red]{len(report.violations)} SHACL violation(s):[/]")
    for violation in report.violations[:50]:
        err.print(f"  {violation}", highlight=False, markup=False)
    if len(report.violations) > 50:
        err.print(f"  … and {len(report.violations) - 50} more")


@app.command()
def validate(
    data: Annotated[Path, typer.Argument(help="An RDF file (Turtle, N-Triples…).")] = Path("outputs/kg.ttl"),
) -> None:
    """Check a graph against the ontology's SHACL shapes and vocabulary; exit 1 on violations."""
    from rdflib import Graph

    from kg.errors import DataError
    from kg.ontology import load_ontology
    from kg.validate import validate_graph

    def check() -> ValidationReport:
        if not data.is_file():
            raise DataError(f"{data}: no such file (build one with `kg build`)")
        try:
            graph = Graph().parse(data)
        except Exception as error:  # rdflib's parsers raise many types for bad input
            raise DataError(f"{data}: not valid RDF: {error}") from error
        return validate_graph(graph, load_ontology())

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
    from kg.stats import compact, graph_stats
    from kg.store import load_store

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


def main() -> None:
    """Entry point of the ``kg`` console script."""
    app(prog_name="kg")


if __name__ == "__main__":  # pragma: no cover
    main()
