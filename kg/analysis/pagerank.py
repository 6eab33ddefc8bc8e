"""Measures of the graph, written back onto its works (never kept in a second model).

>>> from kg.model.nodes import Cites, WorkNode
>>> g = KnowledgeGraph()
>>> for n in ("a", "b", "c"):
...     g.add(WorkNode(iri=n, label=n))
>>> g.link("a", "c", Cites()); g.link("b", "c", Cites())
>>> add_pagerank(g)
>>> max(g.works(), key=lambda w: w.pagerank or 0).iri
'c'
"""

from __future__ import annotations

import logging
from dataclasses import replace

import networkx as nx

from kg.model.graph import KnowledgeGraph
from kg.model.nodes import Cites

__all__ = ["citation_pagerank", "add_pagerank", "PAGERANK_DIGITS"]

log = logging.getLogger(__name__)

PAGERANK_DIGITS = 10
"""PageRank is rounded to this many decimals: the last bits of a float sum depend on the
order of summation, and output (pages, files) must not."""


def citation_pagerank(graph: KnowledgeGraph) -> dict[str, float]:
    """PageRank of every work in the citation network (citing → cited, so rank flows to
    the cited); the values sum to 1 over the works.

    Persons and topics are left out: an author's "rank" would only echo their works'.
    The network is built in sorted order, so the result does not depend on the order in
    which the graph was filled.
    """
    works = sorted(work.iri for work in graph.works())
    if not works:
        return {}
    citations = nx.DiGraph()
    citations.add_nodes_from(works)
    citations.add_edges_from(sorted({(u, v) for u, v, _ in graph.edges(Cites) if u != v}))
    try:
        ranks = nx.pagerank(citations, max_iter=200)
    except nx.PowerIterationFailedConvergence:  # pragma: no cover - needs a pathological graph
        log.warning("PageRank did not converge; sizing by citations only")
        ranks = {n: 1 / len(works) for n in works}
    return {n: round(float(ranks[n]), PAGERANK_DIGITS) for n in works}


def add_pagerank(graph: KnowledgeGraph) -> None:
    """Set the ``pagerank`` of every work (see :func:`citation_pagerank`)."""
    ranks = citation_pagerank(graph)
    for work in list(graph.works()):
        graph.add(replace(work, pagerank=ranks[work.iri]))
