"""The ``kg insights`` and ``kg diff`` commands: thin shells over :mod:`kg.analysis`.

Registered by :mod:`kg.cli` like the other commands.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import DEFAULT_DATA, err, run

__all__ = ["ReportFormat", "insights", "diff"]

class ReportFormat(StrEnum):
    """How a report prints."""

    text = "text"
    json = "json"
    md = "md"


def _print(text: str) -> None:
    typer.echo(text, nl=not text.endswith("\n"))


def insights(
    data: Annotated[
        Path, typer.Argument(help="An RDF graph: one kg build wrote, one edited with SPARQL, or one made elsewhere.")
    ] = DEFAULT_DATA,
    output: Annotated[ReportFormat, typer.Option("--format", "-f", help="text for people, md for an issue, json for scripts.")] = ReportFormat.text,
    k: Annotated[int, typer.Option("--k", min=1, help="Least number of list resources a candidate is cited by (and a derivative cites).")] = 2,
    top: Annotated[int, typer.Option("--top", min=1, help="Candidates and derivatives to report; with --patch, candidates to add.")] = 20,
    patch: Annotated[Path | None, typer.Option("--patch", metavar="FILE", help="Write a unified diff adding candidates to the list (needs --list).")] = None,
    reading_list: Annotated[Path | None, typer.Option("--list", metavar="LIST.md", help="The Markdown list the patch adds to (never written).")] = None,
    accept: Annotated[list[str] | None, typer.Option("--accept", metavar="IRI", help="A candidate to add (repeat it); default: the --top best with a proposed topic.")] = None,
) -> None:
    """What the field says about the list: candidates to add, works building on it, misfiled entries, communities, disconnected topics; each with its evidence.

    Computed again from DATA (stored insights may be stale after edits). With --patch, also writes a diff that adds candidates to the list in its own style; apply it with git apply.
    """
    from kg.analysis.insights import InsightSettings
    from kg.analysis.patch import list_patch
    from kg.analysis.report import report_json, report_text
    from kg.files import atomic_write_text
    from kg.pipeline import analyse

    if (patch is None) != (reading_list is None):
        raise typer.BadParameter("--patch and --list go together", param_hint="--patch")
    settings = InsightSettings(k=k, top=max(top, 50) if patch else top)
    graph = run(lambda: analyse([data], settings))
    assert graph.insights is not None
    if output is ReportFormat.json:
        _print(json.dumps(report_json(graph, graph.insights), ensure_ascii=False, indent=2))
    else:
        _print(report_text(graph, graph.insights, markdown=output is ReportFormat.md))
    if patch is not None and reading_list is not None:
        result = run(lambda: list_patch(graph, reading_list, accept=accept or (), top=top, name=_diff_name(reading_list)))
        for iri, reason in result.skipped:
            err.print(f"not added: {iri}: {reason}", highlight=False, markup=False)
        if not result.diff:
            err.print("nothing to add: no patch written")
            raise typer.Exit(1)
        run(lambda: atomic_write_text(patch, result.diff))
        err.print(f"wrote {patch}: {len(result.added)} items for {reading_list} (apply with: git apply {patch})",
                  highlight=False, markup=False)  # fmt: skip


def _diff_name(path: Path) -> str:
    """How the patch names the list: its path from here (run git apply from here), else its name."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.name


def diff(
    old: Annotated[Path, typer.Argument(help="The earlier build (e.g. outputs/previous/kg.ttl).")],
    new: Annotated[Path, typer.Argument(help="The later build (e.g. outputs/kg.ttl).")],
    output: Annotated[ReportFormat, typer.Option("--format", "-f", help="text for people, md for a changelog, json for scripts.")] = ReportFormat.text,
) -> None:
    """What changed in the field between two builds: works and citations added and removed, new citations of list resources, candidates that appeared or rose, communities that split or merged."""
    from kg.analysis.diff import diff_json, diff_text
    from kg.pipeline import compare

    before, after, change = run(lambda: compare(old, new))
    if output is ReportFormat.json:
        _print(json.dumps(diff_json(change, before, after), ensure_ascii=False, indent=2))
    else:
        _print(diff_text(change, before, after, markdown=output is ReportFormat.md))
