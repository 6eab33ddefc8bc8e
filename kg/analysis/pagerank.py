"""Measures of the graph, written back onto its nodes (never kept in a second model).

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n in ("a", "b", "c"):
...     g.add_node(n, group="work")
>>> g.add_edge("a", "c", key="cites")
'cites'
>>> g.add_edge("b", "c", key="cites")
'cites'
>>> add_pagerank(g)
>>> max(g.nodes, key=lambda n: g.nodes[n]["pagerank"])
'c'
"""

from __future__ import annotations

import logging
from typing import Any

import networkx as nx

from kg.model.graph import CITES, WORK

__all__ = ["citation_pagerank", "add_pagerank", "PAGERANK_DIGITS"]

log = logging.getLogger(__name__)

PAGERANK_DIGITS = 10
"""PageRank is rounded to this many decimals: the last bits of a float sum depend on the
order of summation, and output (pages, files) must not."""


def citation_pagerank(graph: nx.MultiDiGraph) -> dict[Any, float]:
    """PageRank of every work in the citation network (citing → cited, so rank flows to
    the cited); the values sum to 1 over the works.

    Persons and topics are left out: an author's "rank" would only echo their works'.
    The network is built in sorted order, so the result does not depend on the order in
    which the graph was filled.
    """
    works = sorted((n for n, a in graph.nodes(data=True) if a.get("group") == WORK), key=str)
    if not works:
        return {}
    citations = nx.DiGraph()
    citations.add_nodes_from(works)
    citations.add_edges_from(
        sorted(
            {
                (u, v)
                for u, v, key in graph.edges(keys=True)
                if key == CITES and u != v and u in citations and v in citations
            },
            key=lambda e: (str(e[0]), str(e[1])),
        )
    )
    try:
        ranks = nx.pagerank(citations, max_iter=200)
    except nx.PowerIterationFailedConvergence:  # pragma: no cover - needs a pathological graph
        log.warning("PageRank did not converge; sizing by citations only")
        ranks = {n: 1 / len(works) for n in works}
    return {n: round(float(ranks[n]), PAGERANK_DIGITS) for n in works}


def add_pagerank(graph: nx.MultiDiGraph) -> None:
    """Set the ``pagerank`` attribute of every work (see :func:`citation_pagerank`)."""
    for node, rank in citation_pagerank(graph).items():
        graph.nodes[node]["pagerank"] = rank
