"""What every command shares: the consoles, error handling, progress bars, map options and
the few summaries several commands print.

Only typer and rich are imported here; the library is imported inside the commands, so
that ``kg --help`` answers at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

from kg.errors import KgError
from kg.resources import DEFAULT_DATA, DEFAULT_OUT_DIR

if TYPE_CHECKING:
    from kg.map.reduce import MapLimits, Reduction
    from kg.model.graph import KnowledgeGraph
    from kg.rdf.validate import ValidationReport

__all__ = [
    "BaseIriOption",
    "DEFAULT_DATA",
    "DEFAULT_OUT_DIR",
    "ENGINE_HELP",
    "MapEngine",
    "MaxEdgesOption",
    "MaxNodesOption",
    "err",
    "map_limits",
    "one_line",
    "out",
    "print_map",
    "print_violations",
    "progress_bars",
    "run",
    "summarize_graph",
]


# Soft wrap: a message is one line however narrow the terminal, or 80 columns when piped,
# so that grep finds it whole; the terminal wraps what it shows. Tables still fit the width.
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

T = TypeVar("T")


def run(action: Callable[[], T]) -> T:
    """Run a library call; our errors, and any error of the operating system about a
    file, become a clear message and exit status 1."""
    try:
        return action()
    except KgError as error:
        _print_error(str(error))
        raise typer.Exit(1) from None
    except OSError as error:
        # One the library did not turn into a KgError (it does for the files it writes and
        # reads): still one line naming the file, never a traceback.
        from kg.files import what_to_do

        where = f"{error.filename}: " if error.filename else ""
        # Read or written, no one knows here: the advice must fit both.
        _print_error(f"{where}{what_to_do(error, writing=False)}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print("interrupted: everything already written is kept.")
        raise typer.Exit(130) from None


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` with line breaks and control characters written as escapes (``\\n``,
    ``\\x1b``): a message quoting a file stays one line, and sends the terminal nothing
    but text.

    >>> one_line("Invalid IRI code point '\\n' at \\x1b[31m")
    "Invalid IRI code point '\\\\n' at \\\\x1b[31m"
    """
    return _CONTROLS.sub(lambda found: repr(found.group())[1:-1], text)


def _print_error(message: str) -> None:
    # Text, not markup: a message quotes titles and URLs, which may hold [brackets].
    err.print(Text.assemble(("error:", "bold red"), f" {one_line(message)}"), highlight=False)


class _Bars:
    """Progress bars for the pipeline's stages (kg.progress.Progress)."""

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


@contextmanager
def progress_bars() -> Iterator[_Bars]:
    """Bars on stderr while the pipeline runs (none when stderr is not a terminal)."""
    with Progress(
        TextColumn("{task.description:<14}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}", style="dim"),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal,
    ) as progress:
        yield _Bars(progress)


class MapEngine(StrEnum):
    """What draws the map (kg.map.reduce.Engine)."""

    auto = "auto"
    vis = "vis"
    canvas = "canvas"


ENGINE_HELP = (
    "What draws the map: vis (vis-network, built with pyvis; fine up to ~2,000 nodes and "
    "10,000 edges), canvas (kg's own renderer, for large fields) or auto (vis up to that size)."
)
MaxNodesOption = Annotated[
    int | None,
    typer.Option(min=1, help="Most nodes to draw; a larger graph keeps every list resource and topic "
                 "and the most influential works. Default: 30,000."),
]
MaxEdgesOption = Annotated[int | None, typer.Option(min=1, help="Most edges to draw. Default: 300,000.")]


def _base_iri(value: str) -> str:
    from kg.model.iris import check_base_iri

    try:
        return check_base_iri(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


BaseIriOption = Annotated[
    str,
    typer.Option("--base-iri", callback=_base_iri, help="Namespace for IRIs of things without a stable identifier: "
                 "an http(s) address ending in / or #."),
]


def map_limits(max_nodes: int | None, max_edges: int | None, engine: MapEngine) -> MapLimits:
    """The map options of ``kg build`` and ``kg render`` as the library's limits."""
    from kg.map.reduce import MapLimits

    defaults = MapLimits()
    return MapLimits(
        max_nodes=max_nodes or defaults.max_nodes,
        max_edges=max_edges or defaults.max_edges,
        engine=engine.value,
    )


def summarize_graph(graph: KnowledgeGraph) -> str:
    """What a built or read graph holds, in one line (the one place the CLI reads the graph)."""
    from kg.model.nodes import Cites

    works = list(graph.works())
    listed = sum(1 for work in works if work.in_list)
    return (
        f"{listed} resources, {sum(1 for _ in graph.topics())} topics, "
        f"{sum(1 for _ in graph.people())} people, {len(works) - listed} other works, "
        f"{sum(1 for _ in graph.edges(Cites))} citations"
    )


def print_map(path: Path, reduction: Reduction) -> None:
    size = path.stat().st_size / 1e6
    drawn_by = "vis-network" if reduction.engine == "vis" else "canvas"
    out.print(
        f"wrote {path} ({size:.1f} MB, drawn by {drawn_by}; open it in a browser, it works offline)"
    )
    if reduction.reduced:
        out.print(
            f"the map shows {reduction.shown_nodes:,} of {reduction.total_nodes:,} nodes and "
            f"{reduction.shown_edges:,} of {reduction.total_edges:,} edges (the page says "
            "what it leaves out; raise --max-nodes/--max-edges to see more)"
        )


def print_violations(report: ValidationReport) -> None:
    err.print(f"[bold red]{len(report.violations)} SHACL violation(s):[/]")
    for violation in report.violations[:50]:
        err.print(f"  {one_line(str(violation))}", highlight=False, markup=False)
    if len(report.violations) > 50:
        err.print(f"  … and {len(report.violations) - 50} more")
