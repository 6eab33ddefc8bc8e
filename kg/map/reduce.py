"""What fits on a map: the engine that draws it, and the part of a large graph it shows."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from kg.analysis.pagerank import citation_pagerank
from kg.model.graph import KnowledgeGraph
from kg.model.nodes import CITES, TopicNode, WorkNode

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
    graph: KnowledgeGraph,
    limits: MapLimits = MapLimits(),
    influence: Mapping[str, float] | None = None,
) -> tuple[KnowledgeGraph, Reduction]:
    """The part of ``graph`` a map can draw, and an account of the rest.

    Every topic and list resource stays, and every work an insight names (candidates,
    derivatives, misfits and their evidence: ``graph.insights``). Fetched works come in rounds: each list
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
    reduced = graph.subgraph(keep)
    dropped = _drop_edges(reduced, limits.max_edges, weight)
    hidden_nodes: dict[str, int] = {}
    for node in graph.nodes():
        if node.iri not in keep:
            hidden_nodes[node.group] = hidden_nodes.get(node.group, 0) + 1
    hidden_edges: dict[str, int] = {}
    for u, v, key in graph.network.edges(keys=True):
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


def influence_of(graph: KnowledgeGraph) -> dict[str, float]:
    """PageRank as the graph carries it (``kg.analysis``), computed when it does not."""
    given = {w.iri: w.pagerank for w in graph.works() if w.pagerank is not None}
    return given if given else citation_pagerank(graph)


def _select_nodes(
    graph: KnowledgeGraph, budget: int, weight: Mapping[str, float]
) -> tuple[set[str], int | None]:
    network = graph.network
    keep = {
        n.iri for n in graph.nodes()
        if isinstance(n, TopicNode) or (isinstance(n, WorkNode) and n.in_list)
    }
    if graph.insights is not None:
        keep.update(iri for iri in graph.insights.named_works() if iri in network)
    fetched_works = {w.iri for w in graph.works() if not w.in_list}
    people = {p.iri for p in graph.people()}

    def by_influence(nodes: Iterable[str]) -> list[str]:
        return sorted(nodes, key=lambda n: (-weight.get(n, 0.0), n))

    def add(work: str) -> bool:
        """Keep ``work`` and its authors if they fit; False once the budget is spent."""
        authors = [p for p in network.successors(work) if p not in keep and p in people]
        if len(keep) + 1 + len(authors) > budget:
            return False
        keep.add(work)
        keep.update(authors)
        return True

    listed = sorted(w.iri for w in graph.works() if w.in_list)
    for resource in listed:  # the list resources' own authors come first
        keep.update(p for p in network.successors(resource) if p in people)
    queues = {
        r: by_influence({n for n in (*network.successors(r), *network.predecessors(r)) if n in fetched_works})
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
        for work in by_influence(n for n in fetched_works if n not in keep):
            if not add(work):
                break
    return keep, rounds if full else None


def _drop_edges(graph: KnowledgeGraph, budget: int, weight: Mapping[str, float]) -> int:
    """Remove the citations between the least influential fetched works until the edges
    fit ``budget``; return how many went."""
    excess = graph.number_of_edges() - budget
    if excess <= 0:
        return 0
    listed = {w.iri for w in graph.works() if w.in_list}
    candidates = sorted(
        ((u, v) for u, v, key in graph.network.edges(keys=True)
         if key == CITES and u not in listed and v not in listed),
        key=lambda e: (max(weight.get(e[0], 0.0), weight.get(e[1], 0.0)), e[0], e[1]),
    )
    dropped = candidates[:excess]
    graph.remove_edges((u, v, CITES) for u, v in dropped)
    return len(dropped)


