"""The graph as one offline, interactive HTML page: the map of a field.

>>> import networkx as nx
>>> g = nx.MultiDiGraph(title="Demo")
>>> g.add_node("w1", group="work", label="A paper", kind="Preprint", in_list=True)
>>> page = render_html(g)
>>> page.startswith("<!DOCTYPE html>") and "A paper" in page and '<body data-engine="vis">' in page
True
>>> '<body data-engine="canvas">' in render_html(g, limits=MapLimits(engine="canvas"))
True

How the page is built, and why:

- Two drawing engines, one page. A graph of up to :attr:`MapLimits.vis_max_nodes` nodes
  and :attr:`MapLimits.vis_max_edges` edges (after reduction) is drawn by **vis-network**,
  its nodes, edges and options built with **pyvis** (``_vis_network_data``) and the
  library inlined from the pyvis package: it labels every node, brings its own physics, and
  stays fluid at that size. Larger graphs get our own **canvas** renderer
  (``templates/canvas.js``): vis-network 9.1.2 needs 5.4 s just to build its objects for
  13,000 nodes and 110,000 edges and 1.2 s per frame after that, where plain canvas paths
  draw the same graph in well under a second. ``benchmarks/render.py`` measures both near
  the threshold. The interface (``templates/page.js``: facets, search, details panel,
  export…) is the same on both: it talks to a small engine interface that each engine
  script implements (see the top of ``page.js``).
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
- Positions come from :mod:`kg.layout` (force and timeline), sizes from citations and
  PageRank (:mod:`kg.analysis`); nodes and edges are sorted first, so the same graph
  renders to the same bytes whatever order it was built in.
- A graph larger than :class:`MapLimits` is reduced (:func:`reduce_for_map`): every list
  resource and topic stays, fetched works are kept by influence, a fair share per list
  resource, and the page says what it leaves out.

For scripts and tests the page exposes ``window.kg`` (see the end of ``page.js``) and,
once the first frame is on screen, ``window.kgReady`` and ``window.kgDrawnAt`` (ms since
navigation).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import quote, urlsplit

import jinja2
import networkx as nx
from markupsafe import Markup

from kg.analysis.pagerank import citation_pagerank
from kg.files import atomic_write_text
from kg.map.layout import force_layout, timeline_layout, year_of
from kg.model.build import (
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
from kg.model.iris import identifier_pages

__all__ = [
    "render_html",
    "write_html",
    "reduce_for_map",
    "choose_engine",
    "Engine",
    "ENGINES",
    "MapLimits",
    "Reduction",
    "KIND_LABELS",
]

logger = logging.getLogger(__name__)

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

_GROUP_SHAPES: Mapping[str, str] = {WORK: "dot", PERSON: "diamond", TOPIC: "square"}
_LANG_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_BLANK_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]")


@dataclass(frozen=True, slots=True)
class _Relation:
    """How one edge key is drawn and named in the page (both directions)."""

    label: str
    outgoing: str
    incoming: str
    colour: str
    arrow: bool = True
    dashes: bool = False


_RELATIONS: Mapping[str, _Relation] = {
    CITES: _Relation("cites", "Cites", "Cited by", "#8d8d8d"),
    CREATOR: _Relation("authored by", "Authors", "Works", "#f0a6a7", arrow=False),
    CONTRIBUTOR: _Relation(
        "contributor", "Contributors", "Contributed to", "#f0a6a7", arrow=False, dashes=True
    ),
    SUBJECT: _Relation("about topic", "Topics", "Works on this topic", "#9fb3c8", dashes=True),
    BROADER: _Relation("broader topic", "Broader topics", "Narrower topics", _TOPIC_COLOUR),
    PART_OF: _Relation("part of", "Part of", "Parts", "#9d7660", dashes=True),
}


# --------------------------------------------------------------------------------------
# What fits on a map
# --------------------------------------------------------------------------------------


Engine = Literal["auto", "vis", "canvas"]
"""Which engine draws the map: ``vis`` (vis-network, data built with pyvis), ``canvas``
(kg's own renderer, for large graphs) or ``auto`` (vis up to the limits of :class:`MapLimits`)."""

ENGINES: tuple[Engine, ...] = get_args(Engine)


@dataclass(frozen=True, slots=True)
class MapLimits:
    """How much the page draws, and with which engine. The defaults keep a map drawn
    within a few seconds and smooth to pan in a desktop browser (see ``benchmarks/render.py``)."""

    max_nodes: int = 30_000
    max_edges: int = 300_000
    engine: Engine = "auto"
    """What draws the map; ``auto`` decides by the size of the graph after reduction."""
    vis_max_nodes: int = 2_000
    """Largest graph (after reduction) that ``auto`` gives to vis-network. At 1,900 nodes and
    10,000 edges vis-network draws the first frame in under two seconds and every frame
    after it in about 70 ms; at 2,700 nodes and 14,000 edges a frame costs 0.2 s
    (``benchmarks/render.py``, the README's *Speed*)."""
    vis_max_edges: int = 10_000


def choose_engine(nodes: int, edges: int, limits: MapLimits = MapLimits()) -> Literal["vis", "canvas"]:
    """The engine that draws a map of ``nodes`` and ``edges`` (counted after reduction).

    >>> choose_engine(153, 400), choose_engine(13_000, 110_000)
    ('vis', 'canvas')
    >>> choose_engine(13_000, 110_000, MapLimits(engine="vis"))
    'vis'
    """
    if limits.engine != "auto":
        return limits.engine
    fits = nodes <= limits.vis_max_nodes and edges <= limits.vis_max_edges
    return "vis" if fits else "canvas"


@dataclass(frozen=True, slots=True)
class Reduction:
    """What a map shows of its graph, and what it leaves out."""

    total_nodes: int
    total_edges: int
    shown_nodes: int
    shown_edges: int
    hidden_nodes: Mapping[str, int] = field(default_factory=dict)
    """Nodes left out, by group (``work``, ``person``)."""
    hidden_edges: Mapping[str, int] = field(default_factory=dict)
    """Edges left out, by relation."""
    per_resource: int | None = None
    """Fetched works every list resource kept (its most influential neighbours), when
    the node budget ran out before all were in."""
    engine: Literal["vis", "canvas"] = "canvas"
    """The engine that draws the page (set by :func:`write_html`)."""

    @property
    def reduced(self) -> bool:
        return self.shown_nodes < self.total_nodes or self.shown_edges < self.total_edges


def reduce_for_map(
    graph: nx.MultiDiGraph,
    limits: MapLimits = MapLimits(),
    influence: Mapping[Any, float] | None = None,
) -> tuple[nx.MultiDiGraph, Reduction]:
    """The part of ``graph`` a map can draw, and an account of the rest.

    Every topic and list resource stays. Fetched works come in rounds: each list
    resource's most influential cited or citing work, then each one's second, and so on,
    so a resource with a famous neighbourhood cannot crowd out the others; works no list
    resource touches follow, most influential first. Each work brings its authors. Then,
    if there are still too many edges, the citations between the least influential
    fetched works go. ``influence`` defaults to PageRank in the citation network.

    The graph is returned as is when it fits; otherwise a new graph (the input is never
    modified).
    """
    total_nodes, total_edges = graph.number_of_nodes(), graph.number_of_edges()
    if total_nodes <= limits.max_nodes and total_edges <= limits.max_edges:
        return graph, Reduction(total_nodes, total_edges, total_nodes, total_edges)
    weight = influence if influence is not None else _influence(graph)
    keep, per_resource = _select_nodes(graph, limits.max_nodes, weight)
    reduced = nx.MultiDiGraph(graph.subgraph(keep))
    dropped = _drop_edges(reduced, limits.max_edges, weight)
    hidden_nodes: dict[str, int] = {}
    for node, attrs in graph.nodes(data=True):
        if node not in keep:
            hidden_nodes[_group(attrs)] = hidden_nodes.get(_group(attrs), 0) + 1
    hidden_edges: dict[str, int] = {}
    for u, v, key in graph.edges(keys=True):
        if not reduced.has_edge(u, v, key):
            hidden_edges[str(key)] = hidden_edges.get(str(key), 0) + 1
    reduction = Reduction(
        total_nodes,
        total_edges,
        reduced.number_of_nodes(),
        reduced.number_of_edges(),
        dict(sorted(hidden_nodes.items())),
        dict(sorted(hidden_edges.items())),
        per_resource,
    )
    logger.info(
        "map reduced to %d of %d nodes and %d of %d edges (%d citations dropped for edge room)",
        reduction.shown_nodes, total_nodes, reduction.shown_edges, total_edges, dropped,
    )
    return reduced, reduction


def _influence(graph: nx.MultiDiGraph) -> dict[Any, float]:
    """PageRank as the graph carries it (``kg.analysis``), computed when it does not."""
    given = {n: a["pagerank"] for n, a in graph.nodes(data=True) if isinstance(a.get("pagerank"), float)}
    return given if given else citation_pagerank(graph)


def _select_nodes(
    graph: nx.MultiDiGraph, budget: int, weight: Mapping[Any, float]
) -> tuple[set[Any], int | None]:
    keep = {
        n for n, a in graph.nodes(data=True)
        if _group(a) == TOPIC or (_group(a) == WORK and a.get("in_list") is True)
    }

    def fetched(node: Any) -> bool:
        attrs = graph.nodes[node]
        return _group(attrs) == WORK and attrs.get("in_list") is not True

    def by_influence(nodes: Iterable[Any]) -> list[Any]:
        return sorted(nodes, key=lambda n: (-weight.get(n, 0.0), str(n)))

    def add(work: Any) -> bool:
        """Keep ``work`` and its authors if they fit; False once the budget is spent."""
        people = [p for p in graph.successors(work)
                  if p not in keep and _group(graph.nodes[p]) == PERSON]
        if len(keep) + 1 + len(people) > budget:
            return False
        keep.add(work)
        keep.update(people)
        return True

    listed = sorted((n for n in keep if _group(graph.nodes[n]) == WORK), key=str)
    for resource in listed:  # the list resources' own authors come first
        keep.update(p for p in graph.successors(resource) if _group(graph.nodes[p]) == PERSON)
    queues = {
        r: by_influence({n for n in (*graph.successors(r), *graph.predecessors(r)) if fetched(n)})
        for r in listed
    }
    rounds = 0
    full = False
    while not full and any(len(q) > rounds for q in queues.values()):
        for resource in listed:
            queue = queues[resource]
            if len(queue) > rounds and queue[rounds] not in keep and not add(queue[rounds]):
                full = True
                break
        else:
            rounds += 1
    if not full:
        for work in by_influence(n for n in graph if fetched(n) and n not in keep):
            if not add(work):
                break
    return keep, rounds if full else None


def _drop_edges(graph: nx.MultiDiGraph, budget: int, weight: Mapping[Any, float]) -> int:
    """Remove the citations between the least influential fetched works until the edges
    fit ``budget``; return how many went."""
    excess = graph.number_of_edges() - budget
    if excess <= 0:
        return 0

    def fetched(node: Any) -> bool:
        return graph.nodes[node].get("in_list") is not True

    candidates = sorted(
        ((u, v) for u, v, key in graph.edges(keys=True) if key == CITES and fetched(u) and fetched(v)),
        key=lambda e: (max(weight.get(e[0], 0.0), weight.get(e[1], 0.0)), str(e[0]), str(e[1])),
    )
    dropped = candidates[:excess]
    graph.remove_edges_from((u, v, CITES) for u, v in dropped)
    return len(dropped)


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def render_html(
    graph: nx.MultiDiGraph, *, title: str | None = None, limits: MapLimits = MapLimits()
) -> str:
    """The whole page for ``graph`` (the contract of :mod:`kg.graph`), as a string.

    ``title`` defaults to ``graph.graph["title"]``. The page needs no network: its
    script and style are inlined. The graph is not modified.
    """
    return _render(graph, title=title, limits=limits)[0]


def write_html(
    graph: nx.MultiDiGraph,
    path: Path,
    *,
    title: str | None = None,
    limits: MapLimits = MapLimits(),
) -> Reduction:
    """Write :func:`render_html` to ``path`` in UTF-8, atomically (temp file + rename).

    Nothing else is written (pyvis, by contrast, copies a ``lib/`` folder into the
    current directory). Returns what the map shows of the graph.
    """
    html, reduction = _render(graph, title=title, limits=limits)
    atomic_write_text(Path(path), html)
    logger.info("wrote %s (%d of %d nodes)", path, reduction.shown_nodes, reduction.total_nodes)
    return reduction


def _render(
    graph: nx.MultiDiGraph, *, title: str | None, limits: MapLimits
) -> tuple[str, Reduction]:
    page_title = title or _text(graph.graph.get("title")) or DEFAULT_TITLE
    influence = _influence(graph)
    shown, reduction = reduce_for_map(graph, limits, influence)
    nodes, edges = shown.number_of_nodes(), shown.number_of_edges()
    engine = choose_engine(nodes, edges, limits)
    if engine == "vis" and (nodes > limits.vis_max_nodes or edges > limits.vis_max_edges):
        logger.warning("vis-network draws %d nodes and %d edges: expect a slow page", nodes, edges)
    page = _page(shown, influence)
    payload = dict(page.payload, engine=engine)
    if engine == "vis":
        payload["vis"] = _vis_network_data(page.payload)
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
            data=_script_json(payload),
            page=page,
            reduction=reduction,
            notice=_reduction_notice(reduction),
        )
    )
    logger.debug(
        "rendered %d nodes with %s into %d bytes of HTML", shown.number_of_nodes(), engine, len(html)
    )
    return html, replace(reduction, engine=engine)


# --------------------------------------------------------------------------------------
# Graph → page data
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Style:
    """One entry of the legend (a kind of work, persons, topics); also a kind facet."""

    index: int
    key: str
    label: str
    colour: str
    shape: str
    count: int


@dataclass(frozen=True, slots=True)
class _TopicOption:
    index: int
    label: str
    depth: int
    scheme: str
    count: int


@dataclass(frozen=True, slots=True)
class _Page:
    payload: dict[str, Any]
    styles: list[_Style]
    relations: list[dict[str, Any]]
    topics: list[_TopicOption]
    first_year: int | None
    last_year: int | None
    works: int
    listed: int
    persons: int
    topic_count: int
    citations: int


def _page(graph: nx.MultiDiGraph, influence: Mapping[Any, float]) -> _Page:
    """Everything the template and the script need, from the (possibly reduced) graph."""
    order = sorted(graph.nodes, key=str)  # sorted: output must not depend on insertion order
    index = {node: i for i, node in enumerate(order)}
    styles = _styles(graph)
    style_of = {s.key: s.index for s in styles}
    relations = _relation_table(graph)
    rel_index = {r["key"]: i for i, r in enumerate(relations)}
    works = sum(1 for a in graph.nodes.values() if _group(a) == WORK)
    positions = force_layout(graph, influence)
    timeline = timeline_layout(graph, positions)
    counts = _counts(graph)
    columns: dict[str, list[Any]] = {
        name: []
        for name in (
            "label", "style", "listed", "year", "count", "rank", "radius", "radiusRank",
            "x", "y", "tx", "ty",
        )
    }
    details = []
    for node in order:
        attrs = graph.nodes[node]
        group = _group(attrs)
        columns["label"].append(_label(attrs, str(node)))
        columns["style"].append(style_of[_style_key(attrs)])
        listed = group == WORK and attrs.get("in_list") is True
        columns["listed"].append(1 if listed else 0)
        columns["year"].append(year_of(attrs.get("year")) or 0)
        columns["count"].append(counts[node])
        rank = influence.get(node, 0.0) * works if group == WORK else 0.0
        columns["rank"].append(round(rank, 3))
        columns["radius"].append(_radius(group, counts[node], None, listed))
        columns["radiusRank"].append(_radius(group, counts[node], rank, listed))
        x, y = positions[node]
        tx, ty = timeline.positions[node]
        columns["x"].append(round(x))
        columns["y"].append(round(y))
        columns["tx"].append(round(tx))
        columns["ty"].append(round(ty))
        details.append(_details(node, attrs))
    edges: list[int] = []
    for source, target, key, _ in sorted(
        graph.edges(keys=True, data=True),
        key=lambda e: (index[e[0]], rel_index[str(e[2])], _position(e[3]), index[e[1]]),
    ):
        # Authors come in byline order: the panel reads the order of the edges.
        edges += (index[source], index[target], rel_index[str(key)])
    topics = _topic_options(graph, index)
    payload = {
        "nodes": columns,
        "details": details,
        "edges": edges,
        "styles": [
            {"label": s.label, "colour": s.colour, "shape": s.shape, "group": _style_group(s.key)}
            for s in styles
        ],
        "relations": relations,
        "timeline": {
            "first": timeline.first_year,
            "last": timeline.last_year,
            "origin": timeline.origin,
            "width": timeline.year_width,
            "undated": timeline.undated_x,
        },
    }
    years = [y for y in columns["year"] if y]
    return _Page(
        payload=payload,
        styles=styles,
        relations=relations,
        topics=topics,
        first_year=min(years) if years else None,
        last_year=max(years) if years else None,
        works=works,
        listed=sum(columns["listed"]),
        persons=sum(1 for a in graph.nodes.values() if _group(a) == PERSON),
        topic_count=sum(1 for a in graph.nodes.values() if _group(a) == TOPIC),
        citations=sum(1 for _, _, key in graph.edges(keys=True) if key == CITES),
    )


def _radius(group: str, count: int, rank: float | None, listed: bool) -> float:
    """A node's radius at zoom 1: works grow with the citations they received (or their
    PageRank, given ``rank``), people and topics with their works; list resources a bit
    more, so they stand out. Both engines draw these."""
    if group == PERSON:
        radius = 3 + 1.6 * math.sqrt(count)
    elif group == TOPIC:
        radius = 6 + 2 * math.sqrt(count)
    elif rank is not None:
        radius = 4 + 5 * math.sqrt(rank)
    else:
        radius = 4 + 2.6 * math.log2(1 + count)
    return round(min(radius + (3 if listed else 0), 48), 2)


def _position(attrs: Mapping[str, Any]) -> int:
    position = attrs.get("position")
    return position if isinstance(position, int) and not isinstance(position, bool) else 1 << 30


def _counts(graph: nx.MultiDiGraph) -> dict[Any, int]:
    """What a node's size says in "citations" mode: citations received for works (the
    source's count, or the citations in the graph when it knows more), works for
    persons and topics."""
    counts: dict[Any, int] = {}
    for node, attrs in graph.nodes(data=True):
        incoming = [key for _, _, key in graph.in_edges(node, keys=True)]
        group = _group(attrs)
        if group == PERSON:
            counts[node] = incoming.count(CREATOR) + incoming.count(CONTRIBUTOR)
        elif group == TOPIC:
            counts[node] = incoming.count(SUBJECT) + incoming.count(BROADER)
        else:
            given = attrs.get("citation_count")
            given = given if isinstance(given, int) and not isinstance(given, bool) else 0
            counts[node] = max(given, incoming.count(CITES))
    return counts


def _group(attrs: Mapping[str, Any]) -> str:
    group = attrs.get("group")
    return group if group in (WORK, PERSON, TOPIC) else WORK


def _kind(attrs: Mapping[str, Any]) -> str:
    kind = attrs.get("kind")
    return kind if isinstance(kind, str) and kind else "Work"


def _kind_label(kind: str) -> str:
    """The ontology's label, or the local name split at capitals for extension kinds."""
    if kind in KIND_LABELS:
        return KIND_LABELS[kind]
    local = re.split(r"[#/:]", kind.rstrip("#/"))[-1] or kind
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).capitalize()


def _style_key(attrs: Mapping[str, Any]) -> str:
    group = _group(attrs)
    return f"kind:{_kind(attrs)}" if group == WORK else group


def _style_group(key: str) -> str:
    return WORK if key.startswith("kind:") else key


def _styles(graph: nx.MultiDiGraph) -> list[_Style]:
    """The legend: every kind of work present (by label), then persons and topics."""
    counts: dict[str, int] = {}
    for _, attrs in graph.nodes(data=True):
        key = _style_key(attrs)
        counts[key] = counts.get(key, 0) + 1
    kinds = sorted(k.removeprefix("kind:") for k in counts if k.startswith("kind:"))
    extra = [k for k in kinds if k not in _KIND_COLOURS]
    colours = {k: _KIND_COLOURS.get(k) or _EXTRA_COLOURS[extra.index(k) % len(_EXTRA_COLOURS)] for k in kinds}
    entries = sorted(
        ((_kind_label(k), f"kind:{k}", colours[k], _GROUP_SHAPES[WORK]) for k in kinds),
        key=lambda e: (e[0].casefold(), e[0], e[1]),
    )
    if PERSON in counts:
        entries.append(("Person", PERSON, _PERSON_COLOUR, _GROUP_SHAPES[PERSON]))
    if TOPIC in counts:
        entries.append(("Topic", TOPIC, _TOPIC_COLOUR, _GROUP_SHAPES[TOPIC]))
    return [
        _Style(i, key, label, colour, shape, counts[key])
        for i, (label, key, colour, shape) in enumerate(entries)
    ]


def _relation_table(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """How each edge key present is drawn and named, in the order the panel lists them."""
    counts: dict[str, int] = {}
    for _, _, key in graph.edges(keys=True):
        counts[str(key)] = counts.get(str(key), 0) + 1
    ordered = [k for k in EDGE_KINDS if k in counts] + sorted(set(counts) - set(EDGE_KINDS))
    table = []
    for key in ordered:
        rel = _RELATIONS.get(key) or _Relation(key, key, f"{key} (from)", "#bbbbbb")
        table.append(
            {
                "key": key,
                "label": rel.label,
                "out": rel.outgoing,
                "in": rel.incoming,
                "colour": rel.colour,
                "arrow": rel.arrow,
                "dashes": rel.dashes,
                "count": counts[key],
            }
        )
    return table


def _topic_options(graph: nx.MultiDiGraph, index: Mapping[Any, int]) -> list[_TopicOption]:
    """Topics for the facet, as a tree: the list's sections in list order, each followed
    by its narrower topics; fields of study after them, by name."""
    topics = [n for n, a in graph.nodes(data=True) if _group(a) == TOPIC]
    narrower: dict[Any, list[Any]] = {t: [] for t in topics}
    roots = []
    for topic in topics:
        broader = [v for _, v, key in graph.out_edges(topic, keys=True) if key == BROADER and v in narrower]
        if broader:
            narrower[min(broader, key=str)].append(topic)
        else:
            roots.append(topic)

    def key(topic: Any) -> tuple[int, int, str, str]:
        attrs = graph.nodes[topic]
        line = attrs.get("line")
        fields = attrs.get("scheme") == "fields-of-study"
        return (1 if fields else 0, line if isinstance(line, int) else 1 << 30, _label(attrs, ""), str(topic))

    options: list[_TopicOption] = []
    seen: set[Any] = set()

    def visit(topic: Any, depth: int) -> None:
        if topic in seen:  # a cycle of skos:broader in foreign data
            return
        seen.add(topic)
        attrs = graph.nodes[topic]
        works = sum(1 for _, _, k in graph.in_edges(topic, keys=True) if k == SUBJECT)
        scheme = "fields" if attrs.get("scheme") == "fields-of-study" else "list"
        options.append(_TopicOption(index[topic], _label(attrs, str(topic)), depth, scheme, works))
        for child in sorted(narrower[topic], key=key):
            visit(child, depth + 1)

    for root in sorted(roots, key=key):
        visit(root, 0)
    for topic in sorted(topics, key=key):  # only cycles are left
        visit(topic, 0)
    return options


def _label(attrs: Mapping[str, Any], fallback: str) -> str:
    return _text(attrs.get("label")) or _text(attrs.get("title")) or fallback


def _details(node: Any, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """What the details panel and the exports show of one node; absent facts left out."""
    group = _group(attrs)
    out: dict[str, Any] = {"iri": str(node)}
    if group == WORK:
        out["kind"] = _kind_label(_kind(attrs))
    fields = {
        "number": _text(attrs.get("number")),
        "venue": _text(attrs.get("venue")),
        "note": _text(attrs.get("note")),
        "tldr": _text(attrs.get("tldr")),
    }
    out.update({k: v for k, v in fields.items() if v})
    lang = _text(attrs.get("note_lang"))
    if "note" in out and lang and _LANG_TAG.fullmatch(lang):
        out["noteLang"] = lang
    ids = attrs.get("ids")
    if group == WORK and isinstance(ids, Mapping):
        for scheme in ("doi", "arxiv"):  # for BibTeX
            if value := _text(ids.get(scheme)):
                out[scheme] = value
    links = _links(attrs, group)
    if links:
        out["links"] = links
    return out


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
# vis-network's data, built with pyvis
# --------------------------------------------------------------------------------------

# The page's own fonts: vis-network draws the labels on its canvas, Chinese titles included.
_FONT_FACE = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', sans-serif"
_LIST_RING = "#1b1b1b"
_LABEL_MAX = 48


class _NodeIds(list[Any]):
    """pyvis keeps node ids in a list and looks an id up in it in every ``add_node`` and
    twice in every ``add_edge``, which makes building quadratic. This list answers ``in``
    from a set."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[Any] = set()

    def append(self, item: Any) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _vis_network_data(payload: Mapping[str, Any]) -> dict[str, Any]:
    """vis-network's nodes, edges and options for the page's data, built with pyvis.

    Node ``i`` of the page is vis node ``i`` and the ``e``-th edge triple is vis edge ``e``,
    so the page's interface and vis-network speak of the same things. Each kind of work (on
    the list or fetched), persons and topics are vis groups: colour, ring, label size. Nodes
    carry their shape, size and label, and the position kg's layout gave them: physics is
    off until the reader turns it on. No node or edge gets a ``title``, vis-network's
    tooltip: the page shows its own, built as text.

    pyvis is used for its ``Network`` data API only: its template and ``write_html`` load
    from CDNs, copy files into the working directory and render without escaping.
    """
    from pyvis.network import Network  # only maps vis-network draws need it

    columns = payload["nodes"]
    styles = payload["styles"]
    relations = payload["relations"]
    net = Network(directed=True)  # directed: add_edge skips its scan of every edge so far
    net.node_ids = _NodeIds()
    groups: dict[str, dict[str, Any]] = {}
    for i, label in enumerate(columns["label"]):
        style = columns["style"][i]
        group = f"{style}L" if columns["listed"][i] else str(style)
        if group not in groups:
            groups[group] = _vis_group(styles[style], listed=group.endswith("L"))
        short = label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1].rstrip() + "…"
        net.add_node(
            i,
            label=short,
            shape=styles[style]["shape"],
            group=group,
            x=columns["x"][i],
            y=columns["y"][i],
            size=columns["radius"][i],
        )
    flat = payload["edges"]
    for e in range(len(flat) // 3):
        relation = relations[flat[3 * e + 2]]
        options: dict[str, Any] = {"id": e, "color": relation["colour"]}
        options["arrows"] = "to" if relation["arrow"] else ""
        if relation["dashes"]:
            options["dashes"] = True
        net.add_edge(flat[3 * e], flat[3 * e + 1], **options)
    # A dict, not set_options(): that one strips every space from the JSON (font names).
    net.options = {
        "autoResize": False,  # the page resizes the view itself, when its container changes
        "layout": {"improvedLayout": False},
        "physics": {
            "enabled": False,
            "solver": "forceAtlas2Based",
            "stabilization": {"enabled": False},
        },
        "nodes": {
            "borderWidth": 1,
            "borderWidthSelected": 3,
            # Labels smaller than this many pixels are not drawn: at first sight only the
            # list's resources and topics are named, the others once zoomed in.
            "scaling": {"label": {"drawThreshold": 8}},
            "font": {
                "face": _FONT_FACE,
                "size": 11,
                "color": "#444444",
                "strokeWidth": 3,
                "strokeColor": "rgba(255,255,255,0.9)",
            },
        },
        "edges": {
            "smooth": False,
            "width": 1,
            "selectionWidth": 0,
            "hoverWidth": 0,
            "arrows": {"to": {"scaleFactor": 0.5}},
        },
        "groups": dict(sorted(groups.items())),
        "interaction": {
            "hover": True,
            "selectConnectedEdges": False,
            "hoverConnectedEdges": False,
            "keyboard": False,
            "multiselect": False,
        },
    }
    return {"nodes": net.nodes, "edges": net.edges, "options": net.options}


def _vis_group(style: Mapping[str, Any], *, listed: bool) -> dict[str, Any]:
    """How vis-network draws one legend entry: its colour, a dark ring on the list's own
    resources, and bigger labels for them and for topics (the structure of the field)."""
    colour = style["colour"]
    border = _LIST_RING if listed else "#ffffff"
    structural = listed or style["group"] == TOPIC
    return {
        "color": {
            "background": colour,
            "border": border,
            "highlight": {"background": colour, "border": "#000000"},
            "hover": {"background": colour, "border": "#555555" if not listed else border},
        },
        "borderWidth": 3 if listed else 1,
        "font": {"size": 15 if structural else 11, "color": "#111111" if structural else "#444444"},
    }


# --------------------------------------------------------------------------------------
# Links: only http(s) addresses ever become hrefs
# --------------------------------------------------------------------------------------


def _http_url(url: object) -> str | None:
    """``url`` if it is an absolute http(s) address a browser reads the same way, else None.

    Browsers drop tabs and newlines and trim control characters before reading a scheme,
    so ``java\\tscript:`` is ``javascript:`` to them; anything with whitespace or control
    characters is refused outright rather than normalised.
    """
    if not isinstance(url, str) or _BLANK_OR_CONTROL.search(url):
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
# Assets, escaping, template
# --------------------------------------------------------------------------------------


VIS_NETWORK_JS = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")
"""Where pyvis ships vis-network 9.1.2 (the version its own pages use), inside the package."""


@dataclass(frozen=True, slots=True)
class _Assets:
    page_js: str
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
    assets = _Assets(
        page_js=(ours / "page.js").read_text(encoding="utf-8"),
        canvas_js=(ours / "canvas.js").read_text(encoding="utf-8"),
        vis_js=(ours / "vis.js").read_text(encoding="utf-8"),
        vis_network_js=re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", vis),
        css=(ours / "page.css").read_text(encoding="utf-8"),
    )
    # Inlined verbatim, so none may contain its own end tag (or an HTML comment opener,
    # which changes how the parser reads script text).
    for name, text, tag in (
        ("page.js", assets.page_js, "script"),
        ("canvas.js", assets.canvas_js, "script"),
        ("vis.js", assets.vis_js, "script"),
        ("vis-network.min.js", assets.vis_network_js, "script"),
        ("page.css", assets.css, "style"),
    ):
        lowered = text.lower()
        if f"</{tag}" in lowered or "<!--" in lowered:
            raise RuntimeError(f"{name} cannot be inlined: it contains </{tag} or <!--")
    return assets


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


def _script_json(payload: Any) -> Markup:
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


def _text(value: object) -> str | None:
    """A displayable string for a scalar attribute; None for absent, empty or structured values."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int)):
        text = str(value).strip()
        return text or None
    if isinstance(value, float) and math.isfinite(value):
        return str(value)
    return None
