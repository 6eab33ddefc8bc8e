"""``kg export``: the graph in the formats of Gephi, igraph, Cytoscape, VOSviewer, JSON-LD
tools and reference managers (:mod:`kg.export`)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import DEFAULT_DATA, err, run

__all__ = ["export", "ExportFormat"]


class ExportFormat(StrEnum):
    """The formats of kg.export.FORMATS."""

    graphml = "graphml"
    gexf = "gexf"
    cytoscape = "cytoscape"
    vosviewer = "vosviewer"
    jsonld = "jsonld"
    bibtex = "bibtex"
    ris = "ris"
    csl_json = "csl-json"


def export(
    data: Annotated[
        Path, typer.Argument(help="An RDF graph: one kg build wrote, one edited with SPARQL, or one made elsewhere.")
    ] = DEFAULT_DATA,
    form: Annotated[ExportFormat, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="graphml or gexf (Gephi, igraph), cytoscape (Cytoscape.js JSON), vosviewer (VOSviewer Online JSON), "
             "jsonld (JSON-LD with kg's context), bibtex, ris or csl-json (reference managers: Zotero, Mendeley, pandoc).",
    )] = ExportFormat.graphml,
    out_file: Annotated[Path | None, typer.Option("--out", "-o", metavar="FILE", help="Write to FILE. Default: standard output.")] = None,
    everything: Annotated[bool, typer.Option("--all", help="bibtex, ris, csl-json: every work of the graph, not only the list's.")] = False,
    extensions: Annotated[
        Path | None,
        typer.Option(help="Directory of extension files (kinds of works they add). Default: ./ontology/extensions if present."),
    ] = None,
) -> None:
    """Write the graph for another tool: a network (works, people, topics with typed columns; edges typed by relation), JSON-LD, or the list's references.

    Network formats carry kind, year, on-list, citation count, PageRank and, when DATA holds them (kg build stores them), communities. VOSviewer gets the citation network of the works, placed by kg's layout and clustered by its communities.
    """
    from kg.export import export_file
    from kg.read.extensions import extension_files

    def write() -> bytes:
        return export_file([data], form.value, out_file, everything=everything,
                           extensions=extension_files(extensions)).data  # fmt: skip

    written = run(write)
    if out_file is None:
        sys.stdout.buffer.write(written)
        sys.stdout.flush()
    else:
        err.print(f"wrote {out_file} ({form.value}, {len(written):,} bytes)", highlight=False, markup=False)
