"""The graph in the formats other tools read (``kg export``), one module per family:

- :mod:`~kg.export.networks`: GraphML, GEXF, Cytoscape.js JSON (networkx writes them);
- :mod:`~kg.export.vosviewer`: VOSviewer Online's JSON network;
- :mod:`~kg.export.jsonld`: JSON-LD with the context kg publishes (rdflib writes it);
- :mod:`~kg.export.references` → :mod:`~kg.export.bibtex` (bibtexparser), :mod:`~kg.export.ris`
  (rispy), :mod:`~kg.export.csl` (CSL-JSON): the list's works, or all of them;
- :mod:`~kg.export.tables`: the typed columns the network files and the notebook's tables share.

>>> from kg.model.nodes import WorkNode, Listing
>>> from kg.model.records import Identifiers
>>> g = KnowledgeGraph()
>>> g.add(WorkNode(iri="https://arxiv.org/abs/1702.08489", label="Depth separation", kind="Preprint",
...                ids=Identifiers(arxiv="1702.08489"), listing=Listing(list_iri="l", title="Depth separation")))
>>> for line in export_graph(g, "ris").decode().splitlines(): print(line.rstrip())
TY  - UNPB
ID  - depth
TI  - Depth separation
AN  - arXiv:1702.08489
UR  - https://arxiv.org/abs/1702.08489
ER  -
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from kg.model.graph import KnowledgeGraph

if TYPE_CHECKING:
    import rdflib

    from kg.model.kinds import KindTable

__all__ = ["Format", "FORMATS", "SUFFIXES", "export_graph", "ExportResult", "export_file", "rdf_of"]

log = logging.getLogger(__name__)

Format = Literal["graphml", "gexf", "cytoscape", "vosviewer", "jsonld", "bibtex", "ris", "csl-json"]
FORMATS: tuple[Format, ...] = get_args(Format)

SUFFIXES: dict[Format, str] = {
    "graphml": ".graphml",
    "gexf": ".gexf",
    "cytoscape": ".cyjs",
    "vosviewer": ".json",
    "jsonld": ".jsonld",
    "bibtex": ".bib",
    "ris": ".ris",
    "csl-json": ".json",
}
"""The usual file name ending of each format."""

REFERENCE_FORMATS: tuple[Format, ...] = ("bibtex", "ris", "csl-json")
"""The formats of references (works only; the list's unless asked for all)."""


def export_graph(
    graph: KnowledgeGraph,
    form: Format,
    *,
    everything: bool = False,
    kinds: KindTable | None = None,
    rdf: rdflib.Graph | None = None,
) -> bytes:
    """``graph`` in format ``form``, as the bytes of a file (UTF-8 for the text formats).

    ``everything``: the reference formats hold every work, not only the list's. ``rdf``:
    for JSON-LD, the triples to write (default: the graph's own, as kg writes them).
    """
    if form in REFERENCE_FORMATS:
        from kg.export.bibtex import bibtex_text
        from kg.export.csl import csl_json
        from kg.export.references import chosen_works, references
        from kg.export.ris import ris_text

        chosen = chosen_works(references(graph, kinds), everything)
        writer = {"bibtex": bibtex_text, "ris": ris_text, "csl-json": csl_json}[form]
        return writer(chosen).encode("utf-8")
    if form == "graphml":
        from kg.export.networks import graphml_text

        return graphml_text(graph, kinds)
    if form == "gexf":
        from kg.export.networks import gexf_text

        return gexf_text(graph, kinds)
    if form == "cytoscape":
        from kg.export.networks import cytoscape_json

        return cytoscape_json(graph, kinds).encode("utf-8")
    if form == "vosviewer":
        from kg.export.vosviewer import vosviewer_json

        return vosviewer_json(graph, kinds).encode("utf-8")
    if form == "jsonld":
        from kg.export.jsonld import jsonld_text

        return jsonld_text(rdf if rdf is not None else graph).encode("utf-8")
    raise ValueError(f"unknown export format {form!r}: choose one of {', '.join(FORMATS)}")


@dataclass(frozen=True)
class ExportResult:
    graph: KnowledgeGraph
    data: bytes
    out: Path | None
    """Where it was written (None: the caller writes ``data`` where it wants)."""


def rdf_of(paths: Sequence[Path]) -> rdflib.Graph:
    """The triples of RDF files, as they are, in an rdflib graph (:func:`kg.rdf.store.load_rdflib_graph`)."""
    from kg.rdf.store import load_rdflib_graph

    return load_rdflib_graph(*paths)


def export_file(
    data: Sequence[Path],
    form: Format,
    out: Path | None = None,
    *,
    everything: bool = False,
    extensions: Sequence[Path] = (),
) -> ExportResult:
    """Read RDF files (one ``kg build`` wrote, edited, or made elsewhere), compute PageRank,
    and write them in ``form`` to ``out`` (atomically), or return the bytes when ``out``
    is None. Communities come from the insights the files hold (``kg build`` stores them)."""
    from kg.analysis.pagerank import add_pagerank
    from kg.files import atomic_write
    from kg.model.kinds import KindTable
    from kg.model.ontology import load_ontology
    from kg.rdf.read import read_graph

    kinds = KindTable.from_ontology(load_ontology(extensions))
    graph = read_graph(*data, kinds=kinds)
    add_pagerank(graph)
    rdf = rdf_of(data) if form == "jsonld" else None
    written = export_graph(graph, form, everything=everything, kinds=kinds, rdf=rdf)
    if out is not None:
        atomic_write(out, written)
        log.info("wrote %s (%d bytes)", out, len(written))
    return ExportResult(graph, written, out)
