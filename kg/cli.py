"""The ``kg`` command: a thin shell over the library.

Each command parses its options, calls one library function and prints. Errors kg raises
on purpose become one line on stderr and exit status 1; usage errors exit with 2.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
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
    import networkx as nx

    from kg.render import Reduction
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
    offline: Annotated[
        bool, typer.Option("--offline", help="Use only the bundled facts and the cache; make no request.")
    ] = False,
    base_iri: Annotated[
        str, typer.Option(help="Namespace for IRIs of things without a stable identifier.")
    ] = DEFAULT_BASE_IRI,
    validate: Annotated[bool, typer.Option(help="Check the result against the SHACL shapes.")] = True,
) -> None:
    """Build the knowledge graph of a reading list: Turtle (kg.ttl) and an offline map (kg.html)."""
    from kg.pipeline import BuildSettings
    from kg.pipeline import build as run_build

    settings = BuildSettings(
        list_path=reading_list or DEFAULT_LIST,
        out_dir=out_dir,
        base_iri=base_iri,
        validate=validate,
    )
    with _bars() as progress:
        result = _run(lambda: run_build(settings, _Bars(progress)))
    out.print(f"{settings.list_path.name}: {_contents(result.graph)}")
    out.print(f"bundled facts described {result.described} resources (no network used)")
    out.print(f"wrote {result.turtle_path} ({result.triples} triples)")
    if result.html_path and result.reduction:
        _print_map(result.html_path, result.reduction)
    if result.report is not None and not result.report.conforms:
        _print_violations(result.report)
        raise typer.Exit(1)


def _contents(graph: nx.MultiDiGraph) -> str:
    groups = [attrs["group"] for _, attrs in graph.nodes(data=True)]
    listed = sum(1 for _, attrs in graph.nodes(data=True) if attrs.get("in_list"))
    return (
        f"{listed} resources, {groups.count('topic')} topics, "
        f"{groups.count('person')} people, {groups.count('work') - listed} other works, "
        f"{sum(1 for *_, k in graph.edges(keys=True) if k == 'cites')} citations"
    )


def _print_map(path: Path, reduction: Reduction) -> None:
    size = path.stat().st_size / 1e6
    out.print(f"wrote {path} ({size:.1f} MB; open it in a browser, it works offline)")
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
) -> None:
    """Draw the interactive offline map (HTML) of an RDF graph, as kg build does."""
    from dataclasses import replace

    from kg.pipeline import RenderSettings
    from kg.pipeline import render as run_render
    from kg.render import MapLimits

    limits = MapLimits()
    limits = replace(
        limits,
        max_nodes=max_nodes or limits.max_nodes,
        max_edges=max_edges or limits.max_edges,
    )
    settings = RenderSettings(
        data=[data], out=out_path or data.with_suffix(".html"), title=title, map_limits=limits
    )
    with _bars() as progress:
        result = _run(lambda: run_render(settings, _Bars(progress)))
    out.print(f"{data.name}: {_contents(result.graph)}")
    _print_map(result.html_path, result.reduction)


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
