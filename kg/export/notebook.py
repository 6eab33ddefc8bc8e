"""The graph in a Jupyter notebook: the interactive map as an output cell
(``KnowledgeGraph._repr_html_``), and tables for pandas (``KnowledgeGraph.to_pandas``).

The map is the same offline page ``kg render`` writes, inside an ``<iframe srcdoc>``: each
map keeps its own document, so several on one notebook page share no ids, styles or
scripts, and the page's Content-Security-Policy (its scripts by hash, nothing remote)
holds inside the frame as it does in a file. The frame is sandboxed (scripts and
downloads allowed, no access to the notebook), so no text of the graph can reach the
notebook even if it got past the page's escaping.

pandas is optional (``pip install "kg[notebook]"``): kg needs it only here, and it is a
large install that the command line never uses; notebooks almost always have it already.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from kg.export.references import references
from kg.export.tables import edge_rows, node_rows
from kg.model.graph import KnowledgeGraph
from kg.model.nodes import CITES, PERSON, TOPIC, WORK

if TYPE_CHECKING:
    import pandas

__all__ = ["notebook_html", "graph_tables", "FRAME_HEIGHT"]

FRAME_HEIGHT = 640
"""Height of the map in a notebook, in CSS pixels (it takes the output's whole width)."""


def notebook_html(graph: KnowledgeGraph, *, height: int = FRAME_HEIGHT) -> str:
    """The map as one ``<iframe srcdoc=…>`` element (what a notebook shows)."""
    from kg.map.page import DEFAULT_TITLE, render_html

    page = render_html(graph)
    title = (graph.meta.title or "").strip() or DEFAULT_TITLE
    return (
        f'<iframe class="kg-map" title="{html.escape(title, quote=True)}" '
        'sandbox="allow-scripts allow-downloads allow-popups allow-popups-to-escape-sandbox" '
        f'style="width: 100%; height: {int(height)}px; border: 1px solid #ddd;" '
        f'srcdoc="{html.escape(page, quote=True)}"></iframe>'
    )


def graph_tables(graph: KnowledgeGraph) -> dict[str, pandas.DataFrame]:
    """``works``, ``people``, ``topics``, ``citations``: one row per work, person, topic,
    citation, indexed by IRI (citations by ``citing`` and ``cited``), with the typed
    columns of :mod:`kg.export.tables`; a work also lists its ``authors`` and ``topics``
    (labels joined with "; ") and its citation ``key``."""
    try:
        import pandas as pd
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError('to_pandas needs pandas: pip install "kg[notebook]" (or pandas)') from err

    if any(work.pagerank is None for work in graph.works()):
        from kg.analysis.pagerank import add_pagerank

        graph = graph.copy()  # a loaded graph has none yet; the caller's stays as it is
        add_pagerank(graph)
    rows: dict[str, list[dict[str, Any]]] = {WORK: [], PERSON: [], TOPIC: []}
    refs = references(graph)
    for iri, row in node_rows(graph):
        record: dict[str, Any] = {"iri": iri, **row}
        if row["group"] == WORK:
            record["key"] = refs[iri].key
            record["authors"] = "; ".join(graph.node(p).label for p in graph.authors(iri))
            record["topics"] = "; ".join(
                sorted(graph.node(t).label for t, e in graph.out_edges(iri) if e.relation == "subject")
            )
        rows[str(row["group"])].append(record)
    citations = [
        {"citing": source, "cited": target, "influential": bool(row.get("influential", False))}
        for source, target, row in edge_rows(graph)
        if row["relation"] == CITES
    ]
    tables = {
        "works": pd.DataFrame(rows[WORK]),
        "people": pd.DataFrame(rows[PERSON]),
        "topics": pd.DataFrame(rows[TOPIC]),
    }
    for name, table in tables.items():
        table = table.drop(columns=["group"], errors="ignore")
        tables[name] = table.set_index("iri") if "iri" in table else table
    tables["citations"] = pd.DataFrame(citations, columns=["citing", "cited", "influential"])
    # Typed columns: years and counts stay integers where some are missing.
    works = tables["works"]
    for column in ("year", "citation_count", "community"):
        if column in works:
            works[column] = works[column].astype("Int64")
    return tables
