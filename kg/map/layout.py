"""Where each node of the map sits: positions computed once, in Python, deterministically.

Two layouts, both in pixels at zoom 1:

- :func:`force_layout`: a seeded networkx spring layout of the map's core (topics, list
  resources, then the most important works), every other node placed near the first
  core node that reaches it. The page draws these positions at once and stays still.
- :func:`timeline_layout`: x is the year, y is kept from the force layout, so what was
  close stays close and the field reads from left (older) to right (newer).

>>> from kg.model.nodes import Cites, WorkNode
>>> g = KnowledgeGraph()
>>> g.add(WorkNode(iri="a", label="A", year=2001)); g.add(WorkNode(iri="b", label="B", year=2011))
>>> g.link("b", "a", Cites())
>>> force = force_layout(g, {"a": 1.0, "b": 0.5})
>>> force == force_layout(g, {"a": 1.0, "b": 0.5})
True
>>> timeline = timeline_layout(g, force)
>>> timeline.positions["a"][0] < timeline.positions["b"][0]
True
"""

from __future__ import annotations

import hashlib
import math
import statistics
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kg.model.graph import KnowledgeGraph
from kg.model.nodes import Node, TopicNode, WorkNode

__all__ = ["force_layout", "timeline_layout", "year_of", "Timeline", "CORE_MAX", "LAYOUT_SEED"]

LAYOUT_SEED = 7
"""Seed of the force layout: a fixed seed makes the page reproducible byte for byte."""

CORE_MAX = 400
"""Most nodes the force simulation moves. networkx's spring layout costs O(n²) per step
(0.6 s for 400 nodes, 3 s for 800, 9.5 s for 1,500 here), so the other nodes are placed
around the core instead of simulated."""

Position = tuple[float, float]


def force_layout(graph: KnowledgeGraph, importance: Mapping[Any, float]) -> dict[Any, Position]:
    """Deterministic positions for every node.

    Only a core of at most :data:`CORE_MAX` nodes (topics and listed works first, then
    by ``importance``) is simulated; every other node joins the first core node it
    reaches, on a small sunflower spiral around it. Authors around their paper and papers
    cited only once around the citing one read naturally that way.
    """
    if len(graph) == 0:
        return {}
    ranked = [n.iri for n in sorted(graph.nodes(), key=lambda n: _priority(n, importance.get(n.iri, 0.0)))]
    rank = {node: i for i, node in enumerate(ranked)}
    skeleton = nx.Graph()
    skeleton.add_nodes_from(ranked)
    skeleton.add_edges_from(
        sorted(((u, v) for u, v in graph.network.edges() if u != v), key=lambda e: (rank[e[0]], rank[e[1]]))
    )
    core = ranked[:CORE_MAX]
    positions = _spring(skeleton.subgraph(core), core, rank)
    _place_the_rest(skeleton, positions, rank)
    # Rounded: fewer bytes in the page, and no last-bit float noise between platforms.
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in positions.items()}


def _priority(node: Node, importance: float) -> tuple[int, float, str]:
    """Sort key: the list's structure (topics, listed works) first, then the most important."""
    structural = isinstance(node, TopicNode) or (isinstance(node, WorkNode) and node.in_list)
    return (0 if structural else 1, -importance, node.iri)


def _spring(core_graph: nx.Graph, core: list[Any], rank: Mapping[Any, int]) -> dict[Any, Position]:
    """Seeded spring layout of the core; separate components held together by a hub."""
    simulated = nx.Graph()
    simulated.add_nodes_from(core)
    simulated.add_edges_from(sorted(core_graph.edges(), key=lambda e: (rank[e[0]], rank[e[1]])))
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
    skeleton: nx.Graph, positions: dict[Any, Position], rank: Mapping[Any, int]
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
            new = sorted((n for n in skeleton[anchor] if n not in positions), key=rank.__getitem__)
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


# --------------------------------------------------------------------------------------
# Timeline
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Timeline:
    """Timeline positions and the axis the page draws under them."""

    positions: dict[Any, Position]
    first_year: int | None
    """Earliest year on the axis (None when no node has a year)."""
    last_year: int | None
    origin: float
    """x of the start of ``first_year``."""
    year_width: float
    """Pixels per year."""
    undated_x: float
    """x of the column of nodes without a year (left of the axis)."""


_MIN_YEAR_WIDTH = 80.0
_JITTER = 0.8
"""Share of a year's width that nodes of that year spread over (the rest is a gap)."""


def timeline_layout(graph: KnowledgeGraph, force: Mapping[Any, Position]) -> Timeline:
    """x from the year, y from ``force`` (the force layout's positions).

    Works take their own year; a person or a topic the median year of their works, so
    authors sit where they published. Within a year, nodes spread over most of the
    year's width by a hash of their id (deterministic, and stable when nodes come and
    go). Nodes with no year at all stand in a column left of the axis.
    """
    years = _years(graph)
    ys = [y for _, y in force.values()]
    xs = [x for x, _ in force.values()]
    width = (max(xs) - min(xs)) if xs else 0.0
    dated = [y for y in years.values() if y is not None]
    if not dated:
        return Timeline(dict(force), None, None, 0.0, _MIN_YEAR_WIDTH, 0.0)
    first, last = min(dated), max(dated)
    span = last - first + 1
    height = max(ys) - min(ys)
    year_width = max(_MIN_YEAR_WIDTH, max(width, 1.5 * height) / span)
    origin = -span * year_width / 2
    undated_x = origin - year_width
    positions: dict[Any, Position] = {}
    for node, (_, y) in force.items():
        year = years.get(node)
        jitter = _unit_hash(node)
        if year is None:
            x = undated_x + (jitter - 0.5) * _JITTER * year_width / 2
        else:
            x = origin + (year - first + (1 - _JITTER) / 2 + jitter * _JITTER) * year_width
        positions[node] = (round(x, 1), y)
    return Timeline(positions, first, last, round(origin, 1), round(year_width, 1), round(undated_x, 1))


def _years(graph: KnowledgeGraph) -> dict[Any, int | None]:
    own = {work.iri: year_of(work.shown_year) for work in graph.works()}
    years: dict[Any, int | None] = dict(own)
    network = graph.network
    for node in graph.nodes():
        if isinstance(node, WorkNode):
            continue
        around = sorted(
            year
            for other in set(network.predecessors(node.iri)) | set(network.successors(node.iri))
            if (year := own.get(other)) is not None
        )
        years[node.iri] = int(statistics.median_low(around)) if around else None
    return years


def year_of(value: int | None) -> int | None:
    """A year the timeline can place (1 to 9999), else None."""
    return value if value is not None and 0 < value < 10_000 else None


def _unit_hash(node: Any) -> float:
    """A number in [0, 1) fixed by the node's id."""
    digest = hashlib.sha1(str(node).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32
