"""``kg validate`` (SHACL shapes and vocabulary) and ``kg stats`` (what the graph holds)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kg.cli.common import DEFAULT_DATA, out, print_violations, run

if TYPE_CHECKING:
    from kg.rdf.validate import ValidationReport

__all__ = ["stats", "validate"]


def validate(
    data: Annotated[Path, typer.Argument(help="An RDF file (Turtle, N-Triples…).")] = DEFAULT_DATA,
    extensions: Annotated[
        Path | None,
        typer.Option(help="Directory of extension files whose kinds count as declared. Default: ./ontology/extensions if present."),
    ] = None,
) -> None:
    """Check a graph against the ontology's SHACL shapes and vocabulary; exit 1 on violations."""
    from kg.model.ontology import load_ontology
    from kg.rdf.store import load_rdflib_graph
    from kg.rdf.validate import validate_graph
    from kg.read.extensions import extension_files

    def check() -> ValidationReport:
        # Read as every other command reads (pyoxigraph): what it refuses, validate refuses.
        return validate_graph(load_rdflib_graph(data), load_ontology(extension_files(extensions)))

    report = run(check)
    if report.conforms:
        out.print(f"{data}: conforms to the kg shapes")
        return
    print_violations(report)
    raise typer.Exit(1)


def stats(
    data: Annotated[Path, typer.Argument(help="An RDF file (Turtle, N-Triples…).")] = DEFAULT_DATA,
) -> None:
    """Count triples, instances per class, uses per property and resources per topic."""
    from kg.rdf.store import load_store
    from kg.sparql.stats import compact, graph_stats

    result = run(lambda: graph_stats(load_store(data)))
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
