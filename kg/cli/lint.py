"""The ``kg lint`` command: a thin shell over :mod:`kg.lint`.

Registered by :mod:`kg.cli` like the other commands.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from kg.cli.common import out, run
from kg.resources import DEFAULT_LIST

__all__ = ["LintFormat", "lint"]


class LintFormat(StrEnum):
    """How ``kg lint`` prints its findings."""

    text = "text"
    json = "json"


def lint(
    reading_list: Annotated[
        Path | None, typer.Argument(help="The Markdown reading list. Default: the list shipped with kg.")
    ] = None,
    output: Annotated[
        LintFormat, typer.Option("--format", "-f", help="text for people, json for CI.")
    ] = LintFormat.text,
    cache: Annotated[
        Path | None,
        typer.Option("--cache", metavar="DIR", help="Response cache of earlier builds to consult (read only). Default: the user cache directory."),
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Consult no cache; the bundled facts only.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit with status 1 on warnings too.")] = False,
) -> None:
    """Check a reading list before publishing it: the same work twice, broken or tracking links, entries outside any section, empty sections, mixed habits.

    Offline: never fetches a link. Each finding gives file:line and a fix; exit status 1 when there are errors (or warnings, with --strict).
    """
    from kg.lint import lint_reading_list

    path = reading_list or DEFAULT_LIST
    report = run(lambda: lint_reading_list(path, cache_dir=cache, use_cache=not no_cache))
    if output is LintFormat.json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for finding in report.findings:
            colour = "red" if finding.severity == "error" else "yellow"
            out.print(
                Text.assemble(
                    f"{report.source}:{finding.line}: ", (finding.severity, colour),
                    f": {finding.message} ", (f"[{finding.rule}]", "dim"),
                )
            )
            out.print(f"    fix: {finding.fix}", highlight=False, markup=False)
        out.print(
            f"{report.source}: {report.errors} error(s), {report.warnings} warning(s) "
            f"in {report.resources} resources",
            highlight=False, markup=False,
        )
    if report.failed(strict=strict):
        raise typer.Exit(1)
