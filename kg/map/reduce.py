"""What fits on a map: the engine that draws it, and the part of a large graph it shows."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import networkx as nx

from kg.analysis.pagerank import citation_pagerank
from kg.map.attrs import group_of
from kg.model.graph import (
    CITES,
    PERSON,
    TOPIC,
    WORK,
)

__all__ = ["Engine", "ENGINES", "MapLimits", "choose_engine", "Reduction", "reduce_for_map", "influence_of"]

logger = logging.getLogger(__name__)


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
    weight = influence if influence is not None else influence_of(graph)
    keep, per_resource = _select_nodes(graph, limits.max_nodes, weight)
    reduced = nx.MultiDiGraph(graph.subgraph(keep))
    dropped = _drop_edges(reduced, limits.max_edges, weight)
    hidden_nodes: dict[str, int] = {}
    for node, attrs in graph.nodes(data=True):
        if node not in keep:
            hidden_nodes[group_of(attrs)] = hidden_nodes.get(group_of(attrs), 0) + 1
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


def influence_of(graph: nx.MultiDiGraph) -> dict[Any, float]:
    """PageRank as the graph carries it (``kg.analysis``), computed when it does not."""
    given = {n: a["pagerank"] for n, a in graph.nodes(data=True) if isinstance(a.get("pagerank"), float)}
    return given if given else citation_pagerank(graph)


def _select_nodes(
    graph: nx.MultiDiGraph, budget: int, weight: Mapping[Any, float]
) -> tuple[set[Any], int | None]:
    keep = {
        n for n, a in graph.nodes(data=True)
        if group_of(a) == TOPIC or (group_of(a) == WORK and a.get("in_list") is True)
    }

    def fetched(node: Any) -> bool:
        attrs = graph.nodes[node]
        return group_of(attrs) == WORK and attrs.get("in_list") is not True

    def by_influence(nodes: Iterable[Any]) -> list[Any]:
        return sorted(nodes, key=lambda n: (-weight.get(n, 0.0), str(n)))

    def add(work: Any) -> bool:
        """Keep ``work`` and its authors if they fit; False once the budget is spent."""
        people = [p for p in graph.successors(work)
                  if p not in keep and group_of(graph.nodes[p]) == PERSON]
        if len(keep) + 1 + len(people) > budget:
            return False
        keep.add(work)
        keep.update(people)
        return True

    listed = sorted((n for n in keep if group_of(graph.nodes[n]) == WORK), key=str)
    for resource in listed:  # the list resources' own authors come first
        keep.update(p for p in graph.successors(resource) if group_of(graph.nodes[p]) == PERSON)
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


