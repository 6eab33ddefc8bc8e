"""Measures written onto the graph: PageRank in the citation network."""

from __future__ import annotations

import math
from dataclasses import replace

from graphs import big_graph, field_graph, person, reordered

from kg.analysis.pagerank import add_pagerank, citation_pagerank
from kg.model.graph import KnowledgeGraph


def test_pagerank_flows_to_the_cited_and_covers_works_only() -> None:
    g = field_graph()
    ranks = citation_pagerank(g)
    assert set(ranks) == {w.iri for w in g.works()}
    assert math.isclose(sum(ranks.values()), 1.0, abs_tol=1e-6)
    # Cited three times (once through a work that is itself cited) beats citing three.
    assert ranks["https://arxiv.org/abs/1702.08489"] > ranks["https://arxiv.org/abs/2012.10931"]
    assert max(ranks, key=ranks.__getitem__) == "https://arxiv.org/abs/1702.08489"


def test_pagerank_does_not_depend_on_insertion_order() -> None:
    g = big_graph(500)
    assert citation_pagerank(reordered(g)) == citation_pagerank(g)


def test_add_pagerank_writes_it_on_the_works() -> None:
    g = field_graph()
    before = {w.iri: w for w in g.works()}
    add_pagerank(g)
    ranks = citation_pagerank(g)
    assert {w.iri: w.pagerank for w in g.works()} == ranks
    # Only the rank changed; edges and the other records are as they were.
    assert all(before[w.iri] == replace(w, pagerank=None) for w in g.works())
    assert g.number_of_edges() == field_graph().number_of_edges()


def test_a_graph_without_works_has_no_ranks() -> None:
    g = KnowledgeGraph()
    person(g, "p", "P")
    assert citation_pagerank(g) == {}
