"""The page's data: the (reduced) graph as columns, details, legend and topic tree, and
the graph's insights.

The insights (``payload["insights"]``, :func:`insights_payload`) name nodes by their index
in the columns, and only nodes the page shows. Their shape is a contract with the page's
script; it stays as it is:

``nodes.community``
    per node, the index of its community in ``insights.communities``, or -1.
``insights.candidates``
    ``[{"node": i, "score": s, "evidence": [i…], "topic": i | null}]``, best first;
    ``evidence`` are the list resources citing the work, ``topic`` the proposed topic.
``insights.derivatives``
    ``[{"node": i, "score": s, "evidence": [i…]}]``, best first; ``evidence`` are the list
    resources the work cites.
``insights.misfiled``
    ``[{"node": i, "topic": i, "suggested": i, "agreement": x, "evidence": [i…]}]``, clearest
    first; ``evidence`` are the neighbours on the list that make the case.
``insights.communities``
    ``[{"id": "c1", "label": str, "members": [i…], "topics": [i…]}]``, largest first.
``insights.disconnected``, ``insights.isolated``
    ``[i…]``: topics without a citation path to the rest of the list; list resources
    without any citation.
``insights.notes``
    ``[str]``: what the data is too thin to conclude.
``insights.modularity``
    the communities' modularity, or null.

A finding whose own node the page does not show is left out; evidence the page does not
show is left out of the finding.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from kg.export.bibtex import bibtex_fields, entry_text
from kg.export.references import Reference, references
from kg.map.layout import force_layout, timeline_layout, year_of
from kg.map.links import node_links
from kg.map.styles import Style, relation_table, style_group, style_key, styles_of
from kg.model.derived import Insights
from kg.model.graph import KnowledgeGraph
from kg.model.iris import fields_scheme_iri
from kg.model.kinds import KindTable, camel_label
from kg.model.nodes import (
    BROADER,
    CITES,
    CONTRIBUTOR,
    CREATOR,
    SUBJECT,
    Creator,
    Node,
    PersonNode,
    TopicNode,
    WorkNode,
)

__all__ = ["PageData", "page_data", "insights_payload"]

logger = logging.getLogger(__name__)

_LANG_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


# --------------------------------------------------------------------------------------
# Graph → page data
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _TopicOption:
    index: int
    label: str
    depth: int
    scheme: str
    count: int


@dataclass(frozen=True, slots=True)
class PageData:
    payload: dict[str, Any]
    styles: list[Style]
    relations: list[dict[str, Any]]
    topics: list[_TopicOption]
    first_year: int | None
    last_year: int | None
    works: int
    listed: int
    persons: int
    topic_count: int
    citations: int


def page_data(
    graph: KnowledgeGraph,
    influence: Mapping[str, float],
    kinds: KindTable,
    refs: Mapping[str, Reference] | None = None,
) -> PageData:
    """Everything the template and the script need, from the (possibly reduced) graph.

    ``refs``: each work as a reference (:func:`kg.export.references.references`), made
    from the whole graph so that citation keys are the ones ``kg export`` writes; each
    work's details carry its BibTeX entry (``bib``), which the page's export only joins.
    """
    refs = refs if refs is not None else references(graph, kinds)
    order = sorted(graph.nodes(), key=lambda n: n.iri)  # sorted: output must not depend on insertion order
    index = {node.iri: i for i, node in enumerate(order)}
    styles = styles_of(graph, kinds)
    style_of = {s.key: s.index for s in styles}
    relations = relation_table(graph)
    rel_index = {r["key"]: i for i, r in enumerate(relations)}
    works = sum(1 for _ in graph.works())
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
    shapes: dict[str, int] = {}
    for node in order:
        iri = node.iri
        work = node if isinstance(node, WorkNode) else None
        columns["label"].append(node.label.strip() or iri)
        columns["style"].append(style_of[style_key(node)])
        listed = work is not None and work.in_list
        columns["listed"].append(1 if listed else 0)
        columns["year"].append((year_of(work.shown_year) if work else None) or 0)
        columns["count"].append(counts[iri])
        rank = influence.get(iri, 0.0) * works if work else 0.0
        columns["rank"].append(round(rank, 3))
        columns["radius"].append(_radius(node, counts[iri], None, listed))
        columns["radiusRank"].append(_radius(node, counts[iri], rank, listed))
        x, y = positions[iri]
        tx, ty = timeline.positions[iri]
        columns["x"].append(round(x))
        columns["y"].append(round(y))
        columns["tx"].append(round(tx))
        columns["ty"].append(round(ty))
        details.append(_details(node, kinds, partial_byline=work is not None and graph.byline_is_partial(work.iri)))
        if work is not None and (ref := refs.get(iri)) is not None:
            details[-1]["bib"] = _bib(ref, columns["label"][-1], details[-1], _shown_byline(graph, work, ref), shapes)
    edges: list[int] = []
    for source, target, edge in sorted(
        graph.edges(),
        key=lambda e: (index[e[0]], rel_index[e[2].relation], _position(e[2]), index[e[1]]),
    ):
        # Authors come in byline order: the panel reads the order of the edges.
        edges += (index[source], index[target], rel_index[edge.relation])
    topics = _topic_options(graph, index)
    insights, columns["community"] = insights_payload(graph.insights, index)
    payload = {
        "nodes": columns,
        "details": details,
        "edges": edges,
        "styles": [
            {"label": s.label, "colour": s.colour, "shape": s.shape, "group": style_group(s.key)}
            | ({"bibtex": s.bibtex} if s.bibtex else {})
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
        "insights": insights,
        "bibtex": list(shapes),
    }
    years = [y for y in columns["year"] if y]
    return PageData(
        payload=payload,
        styles=styles,
        relations=relations,
        topics=topics,
        first_year=min(years) if years else None,
        last_year=max(years) if years else None,
        works=works,
        listed=sum(columns["listed"]),
        persons=sum(1 for _ in graph.people()),
        topic_count=sum(1 for _ in graph.topics()),
        citations=sum(1 for _, _, key in graph.network.edges(keys=True) if key == CITES),
    )


# A work's BibTeX entry (kg.export.bibtex) travels in two parts: its shape (entry type and
# field names, with HOLE where the key and each value go), shared by every work of that
# shape in ``payload["bibtex"]``, and ``details[i].bib``: [shape, key, value…]. A value
# that is exactly what the page shows already is a stand-in (BIB_*): the label, the first
# link, the authors' labels in byline order. page.js (bibtexOf) fills the holes; a
# 50,000-node page would otherwise carry each title and address twice.
HOLE = "\x00"
BIB_TITLE, BIB_URL, BIB_AUTHORS = "\x01", "\x02", "\x03"


def _shown_byline(graph: KnowledgeGraph, work: WorkNode, ref: Reference) -> list[str]:
    """The labels of the work's authors the page shows, in byline order."""
    return [graph.node(p).label.strip() for p in graph.authors(work.iri)] if ref.authors else []


def _bib(ref: Reference, label: str, details: Mapping[str, Any], byline: list[str], shapes: dict[str, int]) -> list[Any]:
    """``[shape, key, value…]`` of the work's BibTeX entry; a new shape joins ``shapes``."""
    links = details.get("links") or []
    first_link = links[0][1] if links else None
    names, values = [], []
    for name, value in bibtex_fields(ref):
        if name == "title" and value == "{" + label + "}":
            value = "{" + BIB_TITLE + "}"
        elif name == "url" and value == first_link:
            value = BIB_URL
        elif name == "author" and byline and value == " and ".join(byline):
            value = BIB_AUTHORS
        names.append((name, HOLE))
        values.append(value)
    shape = entry_text(replace(ref, key=HOLE), names)
    return [shapes.setdefault(shape, len(shapes)), ref.key, *values]


def _position(edge: object) -> int:
    return edge.position if isinstance(edge, Creator) else 1 << 30


def _radius(node: Node, count: int, rank: float | None, listed: bool) -> float:
    """A node's radius at zoom 1: works grow with the citations they received (or their
    PageRank, given ``rank``), people and topics with their works; list resources a bit
    more, so they stand out. Both engines draw these."""
    if isinstance(node, PersonNode):
        radius = 3 + 1.6 * math.sqrt(count)
    elif isinstance(node, TopicNode):
        radius = 6 + 2 * math.sqrt(count)
    elif rank is not None:
        radius = 4 + 5 * math.sqrt(rank)
    else:
        radius = 4 + 2.6 * math.log2(1 + count)
    return round(min(radius + (3 if listed else 0), 48), 2)



def _counts(graph: KnowledgeGraph) -> dict[str, int]:
    """What a node's size says in "citations" mode: citations received for works (the
    source's count, or the citations in the graph when it knows more), works for
    persons and topics."""
    counts: dict[str, int] = {}
    network = graph.network
    for node in graph.nodes():
        incoming = [key for _, _, key in network.in_edges(node.iri, keys=True)]
        if isinstance(node, PersonNode):
            counts[node.iri] = incoming.count(CREATOR) + incoming.count(CONTRIBUTOR)
        elif isinstance(node, TopicNode):
            counts[node.iri] = incoming.count(SUBJECT) + incoming.count(BROADER)
        elif isinstance(node, WorkNode):
            counts[node.iri] = max(node.citation_count or 0, incoming.count(CITES))
    return counts



def _topic_options(graph: KnowledgeGraph, index: Mapping[str, int]) -> list[_TopicOption]:
    """Topics for the facet, as a tree: the list's sections in list order, each followed
    by its narrower topics; fields of study after them, by name."""
    topics = {t.iri: t for t in graph.topics()}
    fields_scheme = fields_scheme_iri(graph.meta.base_iri)
    narrower: dict[str, list[str]] = {t: [] for t in topics}
    roots = []
    network = graph.network
    for topic in topics:
        broader = [v for _, v, key in network.out_edges(topic, keys=True) if key == BROADER and v in narrower]
        if broader:
            narrower[min(broader)].append(topic)
        else:
            roots.append(topic)

    def key(iri: str) -> tuple[int, int, str, str]:
        topic = topics[iri]
        line = topic.line if topic.line is not None else 1 << 30
        return (1 if topic.scheme == fields_scheme else 0, line, topic.label.strip(), iri)

    options: list[_TopicOption] = []
    seen: set[str] = set()

    def visit(iri: str, depth: int) -> None:
        if iri in seen:  # a cycle of skos:broader in foreign data
            return
        seen.add(iri)
        topic = topics[iri]
        works = sum(1 for _, _, k in network.in_edges(iri, keys=True) if k == SUBJECT)
        scheme = "fields" if topic.scheme == fields_scheme else "list"
        options.append(_TopicOption(index[iri], topic.label.strip() or iri, depth, scheme, works))
        for child in sorted(narrower[iri], key=key):
            visit(child, depth + 1)

    for root in sorted(roots, key=key):
        visit(root, 0)
    for topic in sorted(topics, key=key):  # only cycles are left
        visit(topic, 0)
    return options



def _details(node: Node, kinds: KindTable, *, partial_byline: bool = False) -> dict[str, Any]:
    """What the details panel and the exports show of one node; absent facts left out.
    A work's venue is the source's, else the list's; ``etAl`` marks a byline the list
    gives as partial."""
    out: dict[str, Any] = {"iri": node.iri}
    if partial_byline:
        out["etAl"] = 1
    fields: dict[str, str | None] = {}
    if isinstance(node, WorkNode):
        kind = kinds.get(node.kind)
        out["kind"] = kind.label if kind is not None else camel_label(node.kind)
        listing = node.listing
        fields = {
            "number": listing.number if listing else None,
            "venue": node.shown_venue,
            "note": listing.note if listing else None,
            "tldr": node.tldr,
            "doi": node.ids.doi,  # for the CSV
            "arxiv": node.ids.arxiv,
        }
        lang = listing.note_lang if listing else None
        if listing and listing.note and listing.note.strip() and lang and _LANG_TAG.fullmatch(lang):
            out["noteLang"] = lang
    elif isinstance(node, TopicNode):
        fields = {"number": node.number}
    out.update({k: v.strip() for k, v in fields.items() if v and v.strip()})
    if links := node_links(node):
        out["links"] = links
    return out


def insights_payload(insights: Insights | None, index: Mapping[str, int]) -> tuple[dict[str, Any], list[int]]:
    """The ``insights`` of the payload and the ``community`` column (see the module
    docstring), for the nodes ``index`` numbers."""
    found = insights or Insights()
    community = [-1] * len(index)

    def shown(iris: Any) -> list[int]:
        return sorted({index[iri] for iri in iris if iri in index})

    communities: list[dict[str, Any]] = []
    for c in found.communities:
        members = shown(c.members)
        if not members:
            continue
        for member in members:
            community[member] = len(communities)
        communities.append({"id": c.id, "label": c.label, "members": members, "topics": shown(c.topics)})
    payload = {
        "candidates": [
            {"node": index[c.work], "score": c.score, "evidence": shown(c.cited_by),
             "topic": index.get(c.topic) if c.topic else None}
            for c in found.candidates if c.work in index
        ],
        "derivatives": [
            {"node": index[d.work], "score": d.score, "evidence": shown(d.cites)}
            for d in found.derivatives if d.work in index
        ],
        "misfiled": [
            {"node": index[m.resource], "topic": index[m.topic], "suggested": index[m.suggested],
             "agreement": m.agreement, "evidence": shown(m.neighbours)}
            for m in found.misfiled if m.resource in index and m.topic in index and m.suggested in index
        ],
        "communities": communities,
        "disconnected": shown(found.disconnected),
        "isolated": shown(found.isolated),
        "notes": list(found.notes),
        "modularity": found.modularity,
    }  # fmt: skip
    return payload, community
