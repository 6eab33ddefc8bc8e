"""Measures written onto the graph: PageRank in the citation network."""

from __future__ import annotations

import math

import networkx as nx
from graphs import big_graph, field_graph

from kg.analysis.pagerank import add_pagerank, citation_pagerank


def test_pagerank_flows_to_the_cited_and_covers_works_only() -> None:
    g = field_graph()
    ranks = citation_pagerank(g)
    assert set(ranks) == {n for n, a in g.nodes(data=True) if a["group"] == "work"}
    assert math.isclose(sum(ranks.values()), 1.0, abs_tol=1e-6)
    # Cited three times (once through a work that is itself cited) beats citing three.
    assert ranks["https://arxiv.org/abs/1702.08489"] > ranks["https://arxiv.org/abs/2012.10931"]
    assert max(ranks, key=ranks.__getitem__) == "https://arxiv.org/abs/1702.08489"


def test_pagerank_does_not_depend_on_insertion_order() -> None:
    g = big_graph(500)
    reordered = nx.MultiDiGraph()
    reordered.add_nodes_from(reversed(list(g.nodes(data=True))))
    reordered.add_edges_from(reversed(list(g.edges(keys=True, data=True))))
    assert citation_pagerank(reordered) == citation_pagerank(g)


def test_add_pagerank_writes_node_attributes() -> None:
    g = field_graph()
    add_pagerank(g)
    works = [a for _, a in g.nodes(data=True) if a["group"] == "work"]
    assert all(isinstance(a["pagerank"], float) for a in works)
    assert all("pagerank" not in a for _, a in g.nodes(data=True) if a["group"] != "work")


def test_a_graph_without_works_has_no_ranks() -> None:
    g = nx.MultiDiGraph()
    g.add_node("p", group="person", label="P")
    assert citation_pagerank(g) == {}
