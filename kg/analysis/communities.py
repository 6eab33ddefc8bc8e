"""Communities of the field: groups of works more linked with one another than with the rest.

The network is undirected: every citation between two works is a link, and so is every
:class:`~kg.model.derived.Similarity` between two list resources (co-citation or
bibliographic coupling, which join resources that do not cite each other). Similarity is
added between list resources only: at the scale of a field, direct citation alone
clusters well (Klavans & Boyack 2017), and pairing every work with every work would cost
millions of links.

Clustering is **Louvain** modularity optimisation from networkx
(``louvain_communities``, seeded; resolution 1), chosen over Leiden (``leidenalg`` and
``igraph``) because those are GPL-licensed and kg is MIT, and networkx is already here.
It runs on the network's 2-core: a work outside it hangs on a tree off the core (most
works an API fetches are cited by, or cite, a single list resource), and modularity
would put it with the neighbour it hangs from anyway; it joins that neighbour's
community afterwards. A tree not attached to any core is a community of its own.

Communities smaller than :func:`smallest` are left out (their works have none). Each is
labelled by :mod:`kg.analysis.labels`.
"""

from __future__ import annotations

import logging
import math
from collections import deque

import networkx as nx

from kg.analysis.field import FieldView
from kg.model.derived import Similarity

__all__ = ["find_partition", "smallest", "MIN_LINKS", "Partition"]

log = logging.getLogger(__name__)

MIN_LINKS = 10
"""Fewer links than this: too few to look for communities at all."""

Partition = tuple[list[list[str]], float | None]
"""The groups (each sorted, largest first) and their modularity (None when not sought)."""


def smallest(clustered: int) -> int:
    """The least size of a community worth reporting among ``clustered`` linked works: 3,
    or one in 500 of them in a large field (a few dozen groups, not thousands)."""
    return max(3, math.ceil(clustered / 500))


def link_network(view: FieldView, similarities: tuple[Similarity, ...]) -> nx.Graph:
    """The undirected network of the works: citations and similarities, one link each.

    Its nodes are the works' numbers in sorted order, not their IRIs: networkx's Louvain
    iterates over sets of nodes, and sets of strings come out in an order that changes
    from one process to the next (hash randomisation), sets of small integers do not."""
    number = {work: n for n, work in enumerate(view.works)}
    network = nx.Graph()
    network.add_nodes_from(range(len(view.works)))
    network.add_edges_from(sorted({tuple(sorted((number[u], number[v]))) for u in view.works for v in view.cites[u]}))
    network.add_edges_from(tuple(sorted(number[e] for e in s.ends)) for s in similarities)
    return network


def _two_core(network: nx.Graph) -> list[int]:
    """The nodes of the 2-core: what is left once works with one link or none are taken
    away, again and again (networkx's ``k_core`` copies the graph to say the same)."""
    degree = dict(network.degree())
    gone = [n for n, d in degree.items() if d < 2]
    removed = set(gone)
    while gone:
        node = gone.pop()
        for neighbour in network[node]:
            if neighbour not in removed:
                degree[neighbour] -= 1
                if degree[neighbour] < 2:
                    removed.add(neighbour)
                    gone.append(neighbour)
    return [n for n in network if n not in removed]


def find_partition(view: FieldView, similarities: tuple[Similarity, ...], seed: int = 1) -> Partition:
    """The communities of the works (see the module docstring) and their modularity."""
    network = link_network(view, similarities)
    if network.number_of_edges() < MIN_LINKS:
        return [], None
    inner = _two_core(network)
    core = nx.Graph()  # a plain graph: Louvain walks a subgraph view's filters far more slowly
    core.add_nodes_from(inner)
    core.add_edges_from(network.subgraph(inner).edges())
    groups = [sorted(g) for g in nx.community.louvain_communities(core, seed=seed)] if len(core) else []
    group_of = {work: n for n, group in enumerate(groups) for work in group}
    # Trees hanging off the core join the community of the node they hang from.
    frontier = deque(sorted(group_of))
    while frontier:
        node = frontier.popleft()
        for neighbour in sorted(network[node]):
            if neighbour not in group_of:
                group_of[neighbour] = group_of[node]
                groups[group_of[node]].append(neighbour)
                frontier.append(neighbour)
    # Trees attached to no core are communities of their own.
    rest = network.subgraph(n for n in network if n not in group_of and network.degree(n) > 0)
    for component in sorted((sorted(c) for c in nx.connected_components(rest)), key=lambda c: c[0]):
        groups.append(component)
    alone = [[n] for n in network if network.degree(n) == 0]
    modularity = nx.community.modularity(network, [set(g) for g in groups] + [set(a) for a in alone])
    linked = sum(len(g) for g in groups)
    named = [sorted(view.works[n] for n in g) for g in groups]
    kept = sorted((g for g in named if len(g) >= smallest(linked)), key=lambda g: (-len(g), g[0]))
    log.info("communities: %d of %d groups kept, modularity %.3f", len(kept), len(groups), modularity)
    return kept, round(float(modularity), 3)
