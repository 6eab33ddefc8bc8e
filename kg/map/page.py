"""The graph as one offline, interactive HTML page: the map of a field.

>>> from kg.model.nodes import GraphMeta, Listing, WorkNode
>>> g = KnowledgeGraph(GraphMeta(title="Demo"))
>>> g.add(WorkNode(iri="w1", label="A paper", kind="Preprint", listing=Listing(list_iri="l", title="A paper")))
>>> page = render_html(g)
>>> page.startswith("<!DOCTYPE html>") and "A paper" in page and '<body data-engine="vis">' in page
True
>>> '<body data-engine="canvas">' in render_html(g, limits=MapLimits(engine="canvas"))
True

How the page is built, and why:

- Two drawing engines, one page. A graph of up to :attr:`MapLimits.vis_max_nodes` nodes
  and :attr:`MapLimits.vis_max_edges` edges (after reduction) is drawn by **vis-network**,
  its nodes, edges and options built with **pyvis** (``vis_network_data``) and the
  library inlined from the pyvis package: it labels every node, brings its own physics, and
  stays fluid at that size. Larger graphs get our own **canvas** renderer
  (``templates/canvas.js``): vis-network 9.1.2 needs 5.4 s just to build its objects for
  13,000 nodes and 110,000 edges and 1.2 s per frame after that, where plain canvas paths
  draw the same graph in well under a second. ``benchmarks/render.py`` measures both near
  the threshold. The interface (:data:`INTERFACE_SCRIPTS`: ``templates/page.js`` the core,
  then facets and search, the details panel, layouts, export, the Insights view, colour by
  community and the start, a file each) is the same on both: it talks to
  a small engine interface that each engine script implements (see the top of ``page.js``).
- A Content-Security-Policy forbids every remote load and allows only the page's own
  scripts, by their SHA-256 (vis-network included; it needs no ``eval``); exports are made
  in the page (Blob + object URL), never fetched.
- The data travels as JSON in ``<script type="application/json">`` with ``<``, ``>``, ``&``,
  U+2028 and U+2029 escaped, so no title can end the script; the scripts build all DOM
  with ``textContent``/``createElement``; every other text goes through Jinja's
  autoescape. Only http(s) addresses become links. vis-network gets no ``title`` at all
  (pyvis would switch the whole page to raw-HTML popups for a title containing "href"):
  the tooltip is the page's own, built as text.
- Node data is columnar (one array per attribute, edges as a flat list of index triples):
  a 10,000-paper field is a few megabytes, parsed in tens of milliseconds.
- Positions come from :mod:`kg.map.layout` (force and timeline), sizes from citations and
  PageRank (:mod:`kg.analysis`); nodes and edges are sorted first, so the same graph
  renders to the same bytes whatever order it was built in.
- A graph larger than :class:`MapLimits` is reduced (:func:`reduce_for_map`): every list
  resource and topic stays, fetched works are kept by influence, a fair share per list
  resource, and the page says what it leaves out.

For scripts and tests the page exposes ``window.kg`` (see ``start.js``) and,
once the first frame is on screen, ``window.kgReady`` and ``window.kgDrawnAt`` (ms since
navigation).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from kg.export.references import references
from kg.files import atomic_write_text
from kg.map.payload import page_data
from kg.map.reduce import (
    MapLimits,
    Reduction,
    choose_engine,
    influence_of,
    reduce_for_map,
)
from kg.map.vis import vis_network_data
from kg.model.graph import KnowledgeGraph
from kg.model.kinds import KindTable, shipped_kinds
from kg.model.nodes import PERSON, WORK

__all__ = ["render_html", "write_html", "DEFAULT_TITLE"]

logger = logging.getLogger(__name__)

DEFAULT_TITLE = "Reading-list knowledge graph"

# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def render_html(
    graph: KnowledgeGraph,
    *,
    title: str | None = None,
    limits: MapLimits = MapLimits(),
    kinds: KindTable | None = None,
) -> str:
    """The whole page for ``graph``, as a string.

    ``title`` defaults to the list's title; ``kinds`` (default: the shipped ontology's)
    names and colours each kind of work and gives its BibTeX type. The page needs no
    network: its script and style are inlined. The graph is not modified.
    """
    return _render(graph, title=title, limits=limits, kinds=kinds)[0]


def write_html(
    graph: KnowledgeGraph,
    path: Path,
    *,
    title: str | None = None,
    limits: MapLimits = MapLimits(),
    kinds: KindTable | None = None,
) -> Reduction:
    """Write :func:`render_html` to ``path`` in UTF-8, atomically (temp file + rename).

    Nothing else is written (pyvis, by contrast, copies a ``lib/`` folder into the
    current directory). Returns what the map shows of the graph.
    """
    html, reduction = _render(graph, title=title, limits=limits, kinds=kinds)
    atomic_write_text(Path(path), html)
    logger.info("wrote %s (%d of %d nodes)", path, reduction.shown_nodes, reduction.total_nodes)
    return reduction


def _render(
    graph: KnowledgeGraph, *, title: str | None, limits: MapLimits, kinds: KindTable | None
) -> tuple[str, Reduction]:
    page_title = title or (graph.meta.title or "").strip() or DEFAULT_TITLE
    influence = influence_of(graph)
    shown, reduction = reduce_for_map(graph, limits, influence)
    nodes, edges = len(shown), shown.number_of_edges()
    engine = choose_engine(nodes, edges, limits)
    if engine == "vis" and (nodes > limits.vis_max_nodes or edges > limits.vis_max_edges):
        logger.warning("vis-network draws %d nodes and %d edges: expect a slow page", nodes, edges)
    table = kinds or graph.kinds or shipped_kinds()
    # Citation keys from the whole graph: a reduced map exports the keys kg export writes.
    page = page_data(shown, influence, table, references(graph, table))
    payload = dict(page.payload, engine=engine)
    if engine == "vis":
        payload["vis"] = vis_network_data(page.payload)
    scripts = _scripts(engine)
    html = (
        _environment()
        .get_template("page.html.j2")
        .render(
            title=page_title,
            csp=_content_security_policy(scripts),
            app_css=Markup(_assets().css),
            scripts=[Markup(script) for script in scripts],
            engine=engine,
            data=script_json(payload),
            page=page,
            insights=_insight_counts(page.payload["insights"]),
            reduction=reduction,
            notice=_reduction_notice(reduction),
        )
    )
    logger.debug(
        "rendered %d nodes with %s into %d bytes of HTML", len(shown), engine, len(html)
    )
    return html, replace(reduction, engine=engine)


def _insight_counts(insights: dict[str, Any]) -> dict[str, int] | None:
    """How many findings of each kind the page shows (its Insights tab and the colour by
    community), or None when the graph has no insights to show."""
    counts = {
        key: len(insights[key])
        for key in ("candidates", "derivatives", "misfiled", "communities", "disconnected", "isolated", "notes")
    }
    return counts if any(counts.values()) else None


def _reduction_notice(reduction: Reduction) -> str | None:
    """One sentence on what a reduced map leaves out (None when it shows everything)."""
    if not reduction.reduced:
        return None
    parts = []
    hidden_works = reduction.hidden_nodes.get(WORK, 0)
    hidden_people = reduction.hidden_nodes.get(PERSON, 0)
    if hidden_works:
        parts.append(f"{hidden_works:,} less influential fetched works")
    if hidden_people:
        parts.append(f"{hidden_people:,} of their authors")
    edges = sum(reduction.hidden_edges.values())
    if edges:
        parts.append(f"{edges:,} edges")
    if reduction.per_resource:
        kept = (
            "every list resource and topic, and up to "
            f"{reduction.per_resource:,} of each resource's most influential citing or cited works"
        )
    elif reduction.per_resource == 0:
        kept = "every list resource and topic, and the most influential neighbours of as many as fit"
    else:
        kept = "every list resource and topic, and the most influential fetched works"
    return (
        f"This map shows {reduction.shown_nodes:,} of {reduction.total_nodes:,} nodes and "
        f"{reduction.shown_edges:,} of {reduction.total_edges:,} edges: {kept}. "
        f"Hidden: {', '.join(parts)}. Raise the limits with "
        "kg render --max-nodes/--max-edges to see more."
    )


# --------------------------------------------------------------------------------------
# Assets, escaping, template
# --------------------------------------------------------------------------------------


VIS_NETWORK_JS = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")
"""Where pyvis ships vis-network 9.1.2 (the version its own pages use), inside the package."""


INTERFACE_SCRIPTS = (
    "page.js", "filters.js", "details.js", "layouts.js", "export.js",
    "insights.js", "communities.js", "start.js",
)
"""The interface's script, split by concern, in the order it is put together: the core
(data, state, engine, camera), filters and search, the details panel, layouts, export, the
Insights view, colour by community, and last the start and ``window.kg``. They are sections of one
function (:func:`_interface_script`): they share its scope, and each may call the
functions of the others; only what runs at once must come after what it uses."""


@dataclass(frozen=True, slots=True)
class _Assets:
    page_js: str
    """The interface: :data:`INTERFACE_SCRIPTS` put together."""
    canvas_js: str
    vis_js: str
    vis_network_js: str
    css: str


@functools.cache
def _assets() -> _Assets:
    """The page's scripts and style sheet (read once): ours, and vis-network from pyvis.

    vis-network's style sheet is left out: it styles only the navigation buttons,
    manipulation toolbar, configurator and tooltips the page does not use (220 KB, mostly
    images). Its source-map comment is cut, or a browser's developer tools would try to
    fetch the map.
    """
    ours = resources.files("kg.map") / "templates"
    vis = resources.files("pyvis").joinpath(*VIS_NETWORK_JS).read_text(encoding="utf-8")
    interface = {name: (ours / name).read_text(encoding="utf-8") for name in INTERFACE_SCRIPTS}
    assets = _Assets(
        page_js=_interface_script([interface[name] for name in INTERFACE_SCRIPTS]),
        canvas_js=(ours / "canvas.js").read_text(encoding="utf-8"),
        vis_js=(ours / "vis.js").read_text(encoding="utf-8"),
        vis_network_js=re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", vis),
        css=(ours / "page.css").read_text(encoding="utf-8"),
    )
    # Inlined verbatim, so none may contain its own end tag (or an HTML comment opener,
    # which changes how the parser reads script text).
    for name, text, tag in (
        *((name, text, "script") for name, text in interface.items()),
        ("canvas.js", assets.canvas_js, "script"),
        ("vis.js", assets.vis_js, "script"),
        ("vis-network.min.js", assets.vis_network_js, "script"),
        ("page.css", assets.css, "style"),
    ):
        lowered = text.lower()
        if f"</{tag}" in lowered or "<!--" in lowered:
            raise RuntimeError(f"{name} cannot be inlined: it contains </{tag} or <!--")
    return assets


def _interface_script(parts: Iterable[str]) -> str:
    """The interface's files as one script: the body of one strict function, run at once."""
    return '(function () {\n"use strict";\n' + "\n".join(parts) + "})();\n"


def _scripts(engine: Literal["vis", "canvas"]) -> list[str]:
    """The page's scripts in order: the engine (vis-network and its adapter, or the canvas
    renderer), then the interface, which starts the engine."""
    assets = _assets()
    if engine == "vis":
        return [assets.vis_network_js, assets.vis_js, assets.page_js]
    return [assets.canvas_js, assets.page_js]


def _content_security_policy(scripts: Iterable[str]) -> str:
    """Nothing remote; only the page's own scripts run (by hash), so injected markup could not."""
    return (
        "default-src 'none'; "
        f"script-src {' '.join(_csp_hash(script) for script in scripts)}; "
        # The legend's swatches carry their colour inline, and vis-network styles the
        # elements it makes; styles cannot run code.
        "style-src 'unsafe-inline'; "
        "connect-src 'none'; font-src 'none'; object-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(payload: Any) -> Markup:
    """JSON safe to place between ``<script type="application/json">`` tags.

    HTML escaping would be wrong here (the parser does not decode entities inside a
    script), so the characters that could end or confuse the element are written as JSON
    ``\\u`` escapes instead; ``JSON.parse`` restores them.
    """
    text = json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return Markup(text)


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kg.map", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["thousands"] = lambda n: f"{n:,}"
    return env

