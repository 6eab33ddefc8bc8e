"""The graph as typed columns: what network files (GraphML, GEXF, Cytoscape) and the
notebook's tables (``KnowledgeGraph.to_pandas``) hold for each node and edge.

Each column has one type for every node that has it (GraphML declares one type per key,
and tools mishandle two), a missing value is left out rather than written as None (the
networkx writers refuse None), and no value is a list (GEXF reads lists as dynamic
attributes): a work's authors are the edges to them, not a column.

==================  =======  ==============================================================
column              type     what
==================  =======  ==============================================================
label               str      what to show: a work's title, a person's name, a topic's label
group               str      ``work``, ``person`` or ``topic``
kind                str      works: the kind's name (``Preprint``, or an extension's IRI)
kind_label          str      works: the kind's label ("Preprint")
year, venue         int/str  works: the source's, else the list's
on_list             bool     works: whether the reading list names it
citation_count      int      works: citations the source counts
pagerank            float    works: PageRank in the citation network
community           int      works: number of its community (1 the largest), when computed
community_label     str      works: its community's label
doi, arxiv, url     str      works: identifiers and the address to cite it by
orcid               str      people
scheme              str      topics: the concept scheme (the list, or the fields of study)
==================  =======  ==============================================================

Edges: ``relation`` (``cites``, ``creator``, ``contributor``, ``subject``, ``broader``,
``part_of``), ``position`` (creators, 0-based byline order) and ``influential`` (citations
the source judges influential).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kg.export.references import Reference, references
from kg.model.graph import KnowledgeGraph
from kg.model.kinds import KindTable, camel_label, shipped_kinds
from kg.model.nodes import Cites, Creator, Edge, Node, PersonNode, TopicNode, WorkNode

__all__ = ["Scalar", "node_rows", "edge_rows", "communities_of"]

Scalar = str | int | float | bool


def communities_of(graph: KnowledgeGraph) -> dict[str, tuple[int, str]]:
    """Each work's community (number, label), where the graph's insights hold them."""
    found: dict[str, tuple[int, str]] = {}
    for community in graph.insights.communities if graph.insights else ():
        for member in community.members:
            found.setdefault(member, (community.number, community.label))
    return found


def node_rows(graph: KnowledgeGraph, kinds: KindTable | None = None) -> Iterator[tuple[str, dict[str, Scalar]]]:
    """``(iri, columns)`` of every node, in IRI order (see the module docstring)."""
    table = kinds or graph.kinds or shipped_kinds()
    refs = references(graph, table)
    communities = communities_of(graph)
    for node in sorted(graph.nodes(), key=lambda n: n.iri):
        yield node.iri, _row(node, table, refs, communities)


def _row(node: Node, kinds: KindTable, refs: dict[str, Reference], communities: dict[str, tuple[int, str]]) -> dict[str, Scalar]:
    row: dict[str, Any] = {"label": node.label.strip() or node.iri, "group": node.group}
    if isinstance(node, WorkNode):
        kind = kinds.get(node.kind)
        ref = refs[node.iri]
        community = communities.get(node.iri)
        row |= {
            "kind": node.kind,
            "kind_label": kind.label if kind else camel_label(node.kind),
            "year": node.shown_year,
            "venue": ref.venue,
            "on_list": node.in_list,
            "citation_count": node.citation_count,
            "pagerank": node.pagerank,
            "community": community[0] if community else None,
            "community_label": community[1] if community else None,
            "doi": node.ids.doi,
            "arxiv": node.ids.arxiv,
            "url": ref.url,
        }
    elif isinstance(node, PersonNode):
        row["orcid"] = node.orcid
    elif isinstance(node, TopicNode):
        row["scheme"] = node.scheme
    return {key: value for key, value in row.items() if value is not None}


def edge_rows(graph: KnowledgeGraph) -> Iterator[tuple[str, str, dict[str, Scalar]]]:
    """``(source, target, columns)`` of every edge, sorted."""
    for source, target, edge in sorted(graph.edges(), key=lambda e: (e[0], e[2].relation, e[1])):
        yield source, target, _edge_row(edge)


def _edge_row(edge: Edge) -> dict[str, Scalar]:
    row: dict[str, Scalar] = {"relation": edge.relation}
    if isinstance(edge, Creator):
        row["position"] = edge.position
    if isinstance(edge, Cites):
        row["influential"] = edge.is_influential
    return row
