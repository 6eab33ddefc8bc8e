"""The ``kg`` command: a thin shell over the library.

Each command parses its options, calls one library function and prints. Errors kg raises
on purpose become one line on stderr and exit status 1; usage errors exit with 2.

One module per group of commands (``build``: build and render; ``check``: validate and
stats; ``query``; ``endpoint``: serve and push; ``export``; ``add``), what they share in ``common``.
The commands import the library lazily, so that ``kg --help`` answers at once.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from kg import __version__
from kg.cli.add import add_app
from kg.cli.build import build, render
from kg.cli.check import stats, validate
from kg.cli.common import out
from kg.cli.endpoint import push, serve
from kg.cli.export import export
from kg.cli.insights import diff, insights
from kg.cli.lint import lint
from kg.cli.query import query

__all__ = ["app", "main"]

app = typer.Typer(
    name="kg",
    help="Turn a curated reading list (awesome-list Markdown) into a knowledge graph of its field.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(asked: bool) -> None:
    if asked:
        out.print(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what each stage does.")] = False,
    version: Annotated[
        bool,
        # Eager: answered before kg asks for a command.
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        force=True,  # the semanticscholar client configures the root logger on import
    )


for command in (build, render, validate, stats, lint, insights, diff, export, query, serve, push):
    app.command()(command)
app.add_typer(add_app, name="add")


def main() -> None:
    """Entry point of the ``kg`` console script."""
    app(prog_name="kg")
