"""The graph as one offline, interactive HTML page (a map of the field).

>>> import networkx as nx
>>> g = nx.MultiDiGraph(title="Demo")
>>> g.add_node("w1", group="work", label="A paper", kind="Preprint", in_list=True)
>>> page = render_html(g)
>>> page.startswith("<!DOCTYPE html>") and "A paper" in page
True

How the page is built, and why:

- pyvis builds the vis-network data (nodes, edges, options), but the page comes from our
  own Jinja template (``templates/page.html.j2``, autoescape on): pyvis's template loads
  vis-network and Bootstrap from CDNs, and its ``write_html`` writes without an encoding
  and copies ``lib/`` into the current directory.
- vis-network 9.1.2 (JS and CSS) is inlined from the installed pyvis package, together
  with our own ``page.js``/``page.css``; a Content-Security-Policy forbids every remote
  load, and allows only the scripts whose SHA-256 the page lists.
- The data travels as JSON in ``<script type="application/json">`` with ``<``, ``>``, ``&``,
  U+2028 and U+2029 escaped, so no title can end the script; ``page.js`` builds the
  details panel with ``textContent``/``createElement`` only. Tooltips are plain strings,
  which vis-network 9.1.2 shows with ``innerText``.
- Positions come from a seeded networkx layout and physics is off, so the page is drawn
  at once, stays still, and the same graph renders to the same bytes (nodes and edges
  are sorted first, so not even insertion order matters).

For scripts and tests the page exposes ``window.kgNetwork`` (the vis ``Network``),
``window.kg`` (``showNode(id)``, ``select(id)``, ``hidePanel()``, ``idOf(iri)``: vis ids
are ``n0``, ``n1``… in IRI order) and, once the first frame is drawn, ``window.kgReady``
and ``window.kgDrawnAt`` (ms since navigation).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
import math
import re
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import jinja2
import networkx as nx
from markupsafe import Markup

from kg.files import atomic_write_text
from kg.graph import (
    BROADER,
    CITES,
    CONTRIBUTOR,
    CREATOR,
    EDGE_KINDS,
    PART_OF,
    PERSON,
    SUBJECT,
    TOPIC,
    WORK,
)
from kg.iris import identifier_pages

if TYPE_CHECKING:
    from pyvis.network import Network

__all__ = ["render_html", "write_html", "KIND_LABELS", "VIS_NETWORK_VERSION"]

logger = logging.getLogger(__name__)

VIS_NETWORK_VERSION = "9.1.2"
"""The vis-network build inlined into the page (the one pyvis 0.3.2 ships)."""

LAYOUT_SEED = 7
"""Seed of the force layout: a fixed seed makes the page reproducible byte for byte."""

CORE_MAX = 400
"""Most nodes the force layout simulates; the others are placed around a neighbour."""

DEFAULT_TITLE = "Reading-list knowledge graph"

KIND_LABELS: Mapping[str, str] = {
    "Work": "Work",
    "Paper": "Paper",
    "Preprint": "Preprint",
    "JournalArticle": "Journal article",
    "ConferencePaper": "Conference paper",
    "Survey": "Survey",
    "Book": "Book",
    "Course": "Course",
    "Blog": "Blog",
    "BlogPost": "Blog post",
    "CodeRepository": "Code repository",
    "EncyclopediaArticle": "Encyclopedia article",
    "Slides": "Slides",
    "Event": "Event",
    "Answer": "Q&A answer",
    "WebPage": "Web page",
}
"""``rdfs:label`` of each kind of work in ``ontology/kg.ttl`` (a test keeps them equal)."""

# One colour per kind (Tableau 20): related kinds share a hue family, so papers read as
# blues/teals, web writing as yellows, teaching material as oranges.
_KIND_COLOURS: Mapping[str, str] = {
    "Paper": "#4e79a7",
    "Preprint": "#a0cbe8",
    "JournalArticle": "#499894",
    "ConferencePaper": "#86bcb6",
    "Survey": "#b07aa1",
    "Book": "#9d7660",
    "Course": "#f28e2b",
    "Slides": "#ffbe7d",
    "Blog": "#b6992d",
    "BlogPost": "#f1ce63",
    "CodeRepository": "#59a14f",
    "EncyclopediaArticle": "#8cd17d",
    "Event": "#d37295",
    "Answer": "#fabfd2",
    "WebPage": "#bab0ac",
    "Work": "#79706e",
}
# Kinds an ontology extension adds get these, in sorted order of their names.
_EXTRA_COLOURS = ("#17becf", "#bcbd22", "#8c564b", "#7f7f7f", "#9467bd", "#2ca02c")
_PERSON_COLOUR = "#e15759"
_TOPIC_COLOUR = "#3d5a80"
_LIST_BORDER = "#1b1b1b"

_LISTED_BONUS = 3.0
_GROUP_SHAPES: Mapping[str, str] = {WORK: "dot", PERSON: "diamond", TOPIC: "square"}
_LABEL_MAX = 48


@dataclass(frozen=True, slots=True)
class _Relation:
    """How one edge key is drawn and named in the details panel (both directions)."""

    label: str
    outgoing: str
    incoming: str
    colour: str
    arrow: bool = True
    dashes: bool = False


_RELATIONS: Mapping[str, _Relation] = {
    CITES: _Relation("cites", "Cites", "Cited by", "#8d8d8d"),
    CREATOR: _Relation("author", "Authors", "Works", "#f0a6a7", arrow=False),
    CONTRIBUTOR: _Relation(
        "contributor", "Contributors", "Contributed to", "#f0a6a7", arrow=False, dashes=True
    ),
    SUBJECT: _Relation("topic", "Topics", "Works on this topic", "#9fb3c8", dashes=True),
    BROADER: _Relation("broader topic", "Broader topics", "Narrower topics", _TOPIC_COLOUR),
    PART_OF: _Relation("part of", "Part of", "Parts", "#9d7660", dashes=True),
}

_VIS_OPTIONS: Mapping[str, Any] = {
    # Positions come from Python: no physics, no layout pass, so the first frame is final.
    "physics": {"enabled": False, "stabilization": {"enabled": False}},
    "layout": {"improvedLayout": False},
    "edges": {"smooth": False, "width": 1, "selectionWidth": 2},
    "nodes": {
        "borderWidth": 1,
        "borderWidthSelected": 3,
        # Value-scaled labels shrink with their node; drawThreshold hides them when
        # zoomed out, which keeps a large map legible.
        "scaling": {
            "min": 8,
            "max": 42,
            "label": {"enabled": True, "min": 10, "max": 18, "drawThreshold": 7},
        },
        "font": {"face": "system-ui, sans-serif", "color": "#222222"},
    },
    "interaction": {
        "hover": True,
        "tooltipDelay": 150,
        "hideEdgesOnDrag": True,
        "hideEdgesOnZoom": True,
        "navigationButtons": False,
        "keyboard": False,
    },
}

_LANG_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def render_html(graph: nx.MultiDiGraph, *, title: str | None = None) -> str:
    """The whole page for ``graph`` (the contract of :mod:`kg.graph`), as a string.

    ``title`` defaults to ``graph.graph["title"]``. The page needs no network: vis-network
    and all styles are inlined. The graph is not modified.
    """
    page_title = title or _text(graph.graph.get("title")) or DEFAULT_TITLE
    payload, legend, stats = _page_data(graph)
    assets = _assets()
    html = (
        _environment()
        .get_template("page.html.j2")
        .render(
            title=page_title,
            csp=_content_security_policy(assets),
            vis_css=Markup(assets.vis_css),
            app_css=Markup(assets.app_css),
            vis_js=Markup(assets.vis_js),
            app_js=Markup(assets.app_js),
            data=_script_json(payload),
            legend=legend,
            relations=_relations_present(graph),
            stats=stats,
            vis_version=VIS_NETWORK_VERSION,
        )
    )
    logger.debug(
        "rendered %d nodes, %d edges into %d bytes of HTML",
        graph.number_of_nodes(),
        graph.number_of_edges(),
        len(html.encode("utf-8")),
    )
    return html


def write_html(graph: nx.MultiDiGraph, path: Path, *, title: str | None = None) -> None:
    """Write :func:`render_html` to ``path`` in UTF-8, atomically (temp file + rename).

    Unlike pyvis's ``write_html``, nothing else is written: no ``lib/`` folder anywhere.
    """
    atomic_write_text(Path(path), render_html(graph, title=title))
    logger.info("wrote %s (%d nodes)", path, graph.number_of_nodes())


# --------------------------------------------------------------------------------------
# Graph → page data
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _LegendItem:
    label: str
    colour: str
    shape: str
    count: int


@dataclass(frozen=True, slots=True)
class _Stats:
    works: int
    listed: int
    persons: int
    topics: int
    citations: int


def _page_data(
    graph: nx.MultiDiGraph,
) -> tuple[dict[str, Any], list[_LegendItem], _Stats]:
    """The JSON payload of the page, its legend and its headline numbers."""
    order = sorted(graph.nodes, key=str)  # sorted: output must not depend on insertion order
    # Short ids ("n0", "n1"…) instead of IRIs: every edge names two nodes, and IRIs would
    # be most of the page's weight. The IRI is kept once, in the node's details.
    vis_ids = {node: f"n{index}" for index, node in enumerate(order)}
    colours = _kind_colours(graph)
    scores = {node: _score(graph, node, graph.nodes[node]) for node in order}
    positions = _layout(graph, order, scores)
    net = _network()
    details: dict[str, dict[str, Any]] = {}
    for node in order:
        attrs = graph.nodes[node]
        vis_id = vis_ids[node]
        _add_vis_node(net, vis_id, attrs, positions[node], scores[node])
        details[vis_id] = _details(node, attrs)
    for index, (source, target, key, attrs) in enumerate(_sorted_edges(graph)):
        _add_vis_edge(net, f"e{index}", vis_ids[source], vis_ids[target], str(key), attrs)
    # A dict, not set_options(): that strips every space (font names) and breaks methods.
    used = {_style_group(graph.nodes[node]) for node in order}
    net.options = {**_VIS_OPTIONS, "groups": _vis_groups(colours, used)}
    nodes, edges, *_ = net.get_network_data()
    payload = {
        "nodes": nodes,
        "edges": edges,
        "options": net.options,
        "details": details,
        "relations": _relation_table(graph),
    }
    return payload, _legend(graph, colours), _stats(graph)


class _NodeIds(list[Any]):
    """pyvis's ``node_ids`` with O(1) membership.

    pyvis 0.3.2 scans this list on every ``add_node`` and twice on every ``add_edge``,
    which made 10,000 nodes and 40,000 edges take 9 s of a 12 s render.
    """

    def __init__(self) -> None:
        super().__init__()
        self._members: set[Any] = set()

    def append(self, item: Any) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _network() -> Network:
    # Imported here: pyvis pulls in IPython, which commands that draw nothing need not load.
    from pyvis.network import Network

    # directed: pyvis dedupes undirected edges by scanning all edges (quadratic), and
    # our relations have a direction anyway.
    net = Network(directed=True)
    net.node_ids = _NodeIds()
    return net


def _sorted_edges(graph: nx.MultiDiGraph) -> list[tuple[Any, Any, Any, dict[str, Any]]]:
    return sorted(
        graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))
    )


def _group(attrs: Mapping[str, Any]) -> str:
    group = attrs.get("group")
    return group if group in (WORK, PERSON, TOPIC) else WORK


def _kind(attrs: Mapping[str, Any]) -> str:
    kind = attrs.get("kind")
    return kind if isinstance(kind, str) and kind else "Work"


def _kind_label(kind: str) -> str:
    """The ontology's label, or the local name split at capitals for extension kinds."""
    return KIND_LABELS.get(kind) or re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", kind).capitalize()


def _kind_colours(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Colour of every kind of work present (extension kinds cycle through spare colours)."""
    kinds = sorted({_kind(a) for _, a in graph.nodes(data=True) if _group(a) == WORK})
    extra = [k for k in kinds if k not in _KIND_COLOURS]
    colours = {k: _KIND_COLOURS[k] for k in kinds if k in _KIND_COLOURS}
    colours.update({k: _EXTRA_COLOURS[i % len(_EXTRA_COLOURS)] for i, k in enumerate(extra)})
    return colours


def _style_group(attrs: Mapping[str, Any]) -> str:
    """Name of the vis group that styles a node: by kind, and listed apart from fetched."""
    group = _group(attrs)
    if group != WORK:
        return group
    return f"{'list' if attrs.get('in_list') is True else 'work'}:{_kind(attrs)}"


def _vis_groups(colours: Mapping[str, str], used: set[str]) -> dict[str, Any]:
    """vis-network ``groups``: the style of each node lives once here, not on every node."""

    def style(colour: str, border: str, width: int) -> dict[str, Any]:
        hover = {"background": colour, "border": "#000000"}
        return {
            "color": {"background": colour, "border": border, "highlight": hover, "hover": hover},
            "borderWidth": width,
        }

    groups = {PERSON: style(_PERSON_COLOUR, _PERSON_COLOUR, 1)}
    groups[TOPIC] = style(_TOPIC_COLOUR, _TOPIC_COLOUR, 1)
    for kind, colour in colours.items():
        # The list's own resources carry a thick dark ring; fetched works a thin one.
        groups[f"list:{kind}"] = style(colour, _LIST_BORDER, 3)
        groups[f"work:{kind}"] = style(colour, colour, 1)
    return {name: groups[name] for name in sorted(used)}


def _relation_table(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """How each edge key present is drawn and named; a list, as the panel keeps its order."""
    keys = {str(key) for _, _, key in graph.edges(keys=True)}
    ordered = [k for k in EDGE_KINDS if k in keys] + sorted(keys - set(EDGE_KINDS))
    table = []
    for key in ordered:
        rel = _RELATIONS.get(key) or _Relation(key, key, f"{key} (from)", "#bbbbbb")
        table.append(
            {
                "key": key,
                "out": rel.outgoing,
                "in": rel.incoming,
                # Merged into each edge by page.js: one copy per relation, not per edge.
                "style": {
                    "title": rel.label,
                    "color": {"color": rel.colour, "highlight": "#333333", "hover": "#333333"},
                    "arrows": {"to": {"enabled": rel.arrow, "scaleFactor": 0.5}},
                    "dashes": rel.dashes,
                },
            }
        )
    return table


def _layout(
    graph: nx.MultiDiGraph, order: list[Any], scores: Mapping[Any, float]
) -> dict[Any, tuple[float, float]]:
    """Deterministic positions in pixels for every node.

    A force simulation costs O(n²) per step (about 30 s for 3,000 nodes here), so only a
    core of at most :data:`CORE_MAX` nodes (topics and listed works first, then the
    biggest) is simulated; every other node joins the first core node it reaches, on a
    small sunflower spiral around it. Authors around their paper and papers cited only
    once around the citing one read naturally that way.
    """
    if not order:
        return {}
    ranked = sorted(order, key=lambda node: _priority(graph.nodes[node], scores[node], node))
    rank = {node: i for i, node in enumerate(ranked)}
    skeleton = nx.Graph()
    skeleton.add_nodes_from(order)
    skeleton.add_edges_from(
        sorted(((u, v) for u, v in graph.edges() if u != v), key=lambda e: (str(e[0]), str(e[1])))
    )
    core = ranked[:CORE_MAX]
    positions = _force_layout(skeleton.subgraph(core), core, rank)
    _place_the_rest(skeleton, positions, rank)
    # Rounded: fewer bytes, and no last-bit float noise between platforms.
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in positions.items()}


def _priority(attrs: Mapping[str, Any], score: float, node: Any) -> tuple[int, float, str]:
    """Sort key: the list's structure (topics, listed works) first, then the biggest."""
    important = _group(attrs) == TOPIC or attrs.get("in_list") is True
    return (0 if important else 1, -score, str(node))


def _force_layout(
    core_graph: nx.Graph, core: list[Any], rank: Mapping[Any, int]
) -> dict[Any, tuple[float, float]]:
    """Seeded spring layout of the core; separate components held together by a hub."""
    simulated = nx.Graph()
    simulated.add_nodes_from(core)
    simulated.add_edges_from(
        sorted(core_graph.edges(), key=lambda e: (rank[e[0]], rank[e[1]]))
    )
    # Unconnected parts drift to the rim and squeeze the rest into the middle; one
    # invisible hub tied to each part's first node keeps them side by side.
    components = sorted(
        (min(c, key=rank.__getitem__) for c in nx.connected_components(simulated)),
        key=rank.__getitem__,
    )
    hub = _Hub()
    if len(components) > 1:
        simulated.add_edges_from((hub, first) for first in components)
    scale = 100.0 + 60.0 * math.sqrt(len(core))
    raw = nx.spring_layout(simulated, seed=LAYOUT_SEED, scale=scale, weight=None)
    return {n: (float(x), float(y)) for n, (x, y) in raw.items() if n is not hub}


class _Hub:
    """The invisible layout node (an object of its own, so no graph node can equal it)."""


_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_SATELLITE_SPACING = 22.0


def _place_the_rest(
    skeleton: nx.Graph, positions: dict[Any, tuple[float, float]], rank: Mapping[Any, int]
) -> None:
    """Give each node outside the core a place near the first placed node that reaches it.

    Breadth-first from the core in rank order; nodes no core node reaches (islands) get
    their own spot on a spiral outside everything placed so far, then grow the same way.
    """
    pending = sorted((n for n in skeleton if n not in positions), key=rank.__getitem__)
    queue = deque(sorted(positions, key=rank.__getitem__))
    # Satellites fan out away from where their anchor came from (the core's centre, or
    # the anchor's own anchor). One fixed spiral for all would also put the 2nd satellite
    # of the 1st satellite on the 1st satellite of the 2nd: vector sums commute.
    heading = {node: math.atan2(y, x) for node, (x, y) in positions.items()}
    islands = 0
    rim = 0.0
    while True:
        while queue:
            anchor = queue.popleft()
            new = sorted(
                (n for n in skeleton[anchor] if n not in positions), key=rank.__getitem__
            )
            ax, ay = positions[anchor]
            for i, node in enumerate(new):
                # Sunflower spiral: even spacing however many satellites a node has.
                radius = _SATELLITE_SPACING * math.sqrt(i + 2)
                angle = heading[anchor] + i * _GOLDEN_ANGLE
                positions[node] = (ax + radius * math.cos(angle), ay + radius * math.sin(angle))
                heading[node] = angle
                queue.append(node)
        pending = [n for n in pending if n not in positions]
        if not pending:
            return
        if not islands:  # measured once: islands then spiral outwards from there
            rim = max(math.hypot(x, y) for x, y in positions.values()) + 4 * _SATELLITE_SPACING
        radius = rim + 2 * _SATELLITE_SPACING * math.sqrt(islands)
        angle = islands * _GOLDEN_ANGLE
        positions[pending[0]] = (radius * math.cos(angle), radius * math.sin(angle))
        heading[pending[0]] = angle
        queue.append(pending[0])
        islands += 1


def _score(graph: nx.MultiDiGraph, node: Any, attrs: Mapping[str, Any]) -> float:
    """Node size: citations received for works, works for persons and topics.

    Citations inside the graph count fully; the source's ``citation_count`` on a log
    scale, so a famous paper is big without dwarfing the whole list. The list's own
    resources start bigger (they are what the map is about), persons smaller; persons
    and topics grow with the square root of their works, so a section holding twenty
    items is a hub, not the most important thing on the map.
    """
    incoming = [key for _, _, key in graph.in_edges(node, keys=True)]
    group = _group(attrs)
    if group == PERSON:
        return round(math.sqrt(max(1, incoming.count(CREATOR) + incoming.count(CONTRIBUTOR))), 2)
    if group == TOPIC:
        return round(1.0 + math.sqrt(incoming.count(SUBJECT) + incoming.count(BROADER)), 2)
    cited = attrs.get("citation_count")
    external = math.log2(1 + cited) if isinstance(cited, int) and cited > 0 else 0.0
    listed = _LISTED_BONUS if attrs.get("in_list") is True else 0.0
    return round(1.0 + listed + incoming.count(CITES) + external, 2)


def _add_vis_node(
    net: Network,
    vis_id: str,
    attrs: Mapping[str, Any],
    position: tuple[float, float],
    score: float,
) -> None:
    net.add_node(
        vis_id,
        label=_short(_label(attrs, vis_id)),
        shape=_GROUP_SHAPES[_group(attrs)],
        group=_style_group(attrs),
        title=_tooltip(attrs, vis_id),
        value=score,
        x=position[0],
        y=position[1],
    )


def _add_vis_edge(
    net: Network, edge_id: str, source: str, target: str, key: str, attrs: Mapping[str, Any]
) -> None:
    extra: dict[str, Any] = {}
    position = attrs.get("position")
    if isinstance(position, int) and not isinstance(position, bool):
        extra["position"] = position  # author order, read by the details panel
    # Explicit ids: vis would invent random ones, and the panel needs stable edges.
    net.add_edge(source, target, id=edge_id, rel=key, **extra)


def _label(attrs: Mapping[str, Any], fallback: str) -> str:
    return _text(attrs.get("label")) or _text(attrs.get("title")) or fallback


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _LABEL_MAX else text[: _LABEL_MAX - 1].rstrip() + "…"


def _tooltip(attrs: Mapping[str, Any], fallback: str) -> str:
    """Plain text (vis-network 9.1.2 shows string titles with innerText, never as HTML)."""
    group = _group(attrs)
    facts: list[str] = []
    if group == WORK:
        facts.append(_kind_label(_kind(attrs)))
        year = _text(attrs.get("year"))
        if year:
            facts.append(year)
        facts.append("on the list" if attrs.get("in_list") is True else "fetched")
    else:
        facts.append("Person" if group == PERSON else "Topic")
    return f"{_label(attrs, fallback)}\n{' · '.join(facts)}"


def _details(node: Any, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """What the details panel shows for one node; absent facts are left out."""
    group = _group(attrs)
    out: dict[str, Any] = {"group": group, "iri": str(node)}
    if group == WORK:
        out["kind"] = _kind_label(_kind(attrs))
        out["inList"] = attrs.get("in_list") is True
    fields = {
        "label": _label(attrs, ""),
        "number": _text(attrs.get("number")),
        "year": _text(attrs.get("year")),
        "venue": _text(attrs.get("venue")),
        "note": _text(attrs.get("note")),
        "tldr": _text(attrs.get("tldr")),
        "citationCount": _text(attrs.get("citation_count")),
    }
    out.update({k: v for k, v in fields.items() if v})
    lang = _text(attrs.get("note_lang"))
    if "note" in out and lang and _LANG_TAG.fullmatch(lang):
        out["noteLang"] = lang
    links = _links(attrs, group)
    if links:
        out["links"] = links
    return out


# --------------------------------------------------------------------------------------
# Links: only http(s) addresses ever become hrefs
# --------------------------------------------------------------------------------------


def _http_url(url: object) -> str | None:
    """``url`` if it is an absolute http(s) address a browser reads the same way, else None.

    Browsers drop tabs and newlines and trim control characters before reading a scheme,
    so ``java\\tscript:`` is ``javascript:`` to them; anything with whitespace or control
    characters is refused outright rather than normalised.
    """
    if not isinstance(url, str) or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        return None
    if not url.lower().startswith(("http://", "https://")):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def _person_links(attrs: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """(text, address) of a person's profiles (``s2_author_id`` and ``orcid`` attributes)."""
    if author := _text(attrs.get("s2_author_id")):
        yield "Semantic Scholar", f"https://www.semanticscholar.org/author/{quote(author, safe='')}"
    if orcid := _text(attrs.get("orcid")):
        yield "ORCID", f"https://orcid.org/{quote(orcid, safe='')}"


# How the panel names each identifier's page.
_ID_LINK_TEXT = {
    "arxiv": "arXiv:{}",
    "doi": "DOI {}",
    "s2": "Semantic Scholar",
    "corpus_id": "Semantic Scholar",
    "openreview": "OpenReview",
    "github": "GitHub {}",
    "wikipedia": "Wikipedia",
    "pmcid": "{}",
    "isbn": "ISBN {}",
}


def _id_links(ids: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """(text, address) for each identifier of a work that has a public landing page."""
    shown: set[str] = set()
    for scheme, value, iri in identifier_pages({k: str(v) for k, v in ids.items() if v}):
        text = _ID_LINK_TEXT.get(scheme, scheme).format(value)
        if iri.startswith("https://") and text not in shown:
            shown.add(text)  # a paper id and a corpus id lead to the same page
            yield text, iri


def _links(attrs: Mapping[str, Any], group: str) -> list[list[str]]:
    """``[text, href]`` pairs, deduplicated by address; unsafe addresses are dropped."""
    url = attrs.get("url")
    # The list's own address, named by its site ("arxiv.org"), as the curator linked it.
    host = urlsplit(str(url)).hostname if _http_url(url) else None
    candidates: list[tuple[str, object]] = [(str(host or "Link"), url)]
    ids = attrs.get("ids")
    if group == PERSON:
        candidates.extend(_person_links(attrs))
    elif isinstance(ids, Mapping):
        candidates.extend(_id_links(ids))
    candidates.append(("Open-access PDF", attrs.get("open_access_pdf")))
    related = attrs.get("related")
    if isinstance(related, (list, tuple)):
        for item in related:
            if isinstance(item, (list, tuple)) and len(item) == 2:
                candidates.append((_text(item[1]) or "Related", item[0]))
    links: list[list[str]] = []
    seen: set[str] = set()
    for text, address in candidates:
        href = _http_url(address)
        if href is None:
            if address is not None:
                logger.debug("dropped a non-http(s) link of %r", attrs.get("label"))
            continue
        if href not in seen:
            seen.add(href)
            links.append([text, href])
    return links


# --------------------------------------------------------------------------------------
# Legend and headline numbers
# --------------------------------------------------------------------------------------


def _legend(graph: nx.MultiDiGraph, colours: Mapping[str, str]) -> list[_LegendItem]:
    counts: dict[tuple[str, str], int] = {}
    for _, attrs in graph.nodes(data=True):
        group = _group(attrs)
        key = (group, _kind(attrs) if group == WORK else group)
        counts[key] = counts.get(key, 0) + 1
    items = sorted(
        (
            _LegendItem(_kind_label(kind), colours[kind], _GROUP_SHAPES[WORK], n)
            for (group, kind), n in counts.items()
            if group == WORK
        ),
        key=lambda item: (item.label.casefold(), item.label),
    )
    if n := counts.get((PERSON, PERSON)):
        items.append(_LegendItem("Person", _PERSON_COLOUR, _GROUP_SHAPES[PERSON], n))
    if n := counts.get((TOPIC, TOPIC)):
        items.append(_LegendItem("Topic", _TOPIC_COLOUR, _GROUP_SHAPES[TOPIC], n))
    return items


def _relations_present(graph: nx.MultiDiGraph) -> list[_Relation]:
    """The relations the legend explains (those of the contract present in the graph)."""
    keys = {str(key) for _, _, key in graph.edges(keys=True)}
    return [_RELATIONS[key] for key in EDGE_KINDS if key in keys and key in _RELATIONS]


def _stats(graph: nx.MultiDiGraph) -> _Stats:
    groups = [_group(a) for _, a in graph.nodes(data=True)]
    listed = sum(
        1 for _, a in graph.nodes(data=True) if _group(a) == WORK and a.get("in_list") is True
    )
    citations = sum(1 for _, _, key in graph.edges(keys=True) if key == CITES)
    return _Stats(groups.count(WORK), listed, groups.count(PERSON), groups.count(TOPIC), citations)


# --------------------------------------------------------------------------------------
# Assets, escaping, template
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Assets:
    vis_js: str
    vis_css: str
    app_js: str
    app_css: str


@functools.cache
def _assets() -> _Assets:
    """vis-network from the installed pyvis, and our own script and style (read once)."""
    vis = resources.files("pyvis") / "templates" / "lib" / f"vis-{VIS_NETWORK_VERSION}"
    ours = resources.files("kg") / "templates"
    assets = _Assets(
        vis_js=(vis / "vis-network.min.js").read_text(encoding="utf-8"),
        vis_css=(vis / "vis-network.css").read_text(encoding="utf-8"),
        app_js=(ours / "page.js").read_text(encoding="utf-8"),
        app_css=(ours / "page.css").read_text(encoding="utf-8"),
    )
    # Inlined verbatim, so none may contain its own end tag (or an HTML comment opener,
    # which changes how the parser reads script text).
    for name, text, tag in (
        ("vis-network.min.js", assets.vis_js, "script"),
        ("page.js", assets.app_js, "script"),
        ("vis-network.css", assets.vis_css, "style"),
        ("page.css", assets.app_css, "style"),
    ):
        lowered = text.lower()
        if f"</{tag}" in lowered or "<!--" in lowered:
            raise RuntimeError(f"{name} cannot be inlined: it contains </{tag} or <!--")
    return assets


def _content_security_policy(assets: _Assets) -> str:
    """Nothing remote; only our two scripts run (by hash), so injected markup could not."""
    hashes = " ".join(_csp_hash(js) for js in (assets.vis_js, assets.app_js))
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        # vis-network and the legend set inline styles; styles cannot run code.
        "style-src 'unsafe-inline'; "
        "img-src data:; "
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


def _script_json(payload: Any) -> Markup:
    """JSON safe to place between ``<script type="application/json">`` tags.

    HTML escaping would be wrong here (the parser does not decode entities inside a
    script), so the characters that could end or confuse the element are written as JSON
    ``\\u`` escapes instead; ``JSON.parse`` restores them.
    """
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return Markup(text)


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("kg", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _text(value: object) -> str | None:
    """A displayable string for a scalar attribute; None for absent, empty or structured values."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        text = str(value).strip()
        return text or None
    return None
