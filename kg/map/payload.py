"""The page's data: the (reduced) graph as columns, details, legend and topic tree."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kg.map.attrs import display_text, group_of, kind_of, label_of, position_of
from kg.map.layout import force_layout, timeline_layout, year_of
from kg.map.links import node_links
from kg.map.styles import Style, kind_label, relation_table, style_group, style_key, styles_of
from kg.model.graph import (
    BROADER,
    CITES,
    CONTRIBUTOR,
    CREATOR,
    PERSON,
    SUBJECT,
    TOPIC,
    WORK,
)

__all__ = ["PageData", "page_data"]

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


def page_data(graph: nx.MultiDiGraph, influence: Mapping[Any, float]) -> PageData:
    """Everything the template and the script need, from the (possibly reduced) graph."""
    order = sorted(graph.nodes, key=str)  # sorted: output must not depend on insertion order
    index = {node: i for i, node in enumerate(order)}
    styles = styles_of(graph)
    style_of = {s.key: s.index for s in styles}
    relations = relation_table(graph)
    rel_index = {r["key"]: i for i, r in enumerate(relations)}
    works = sum(1 for a in graph.nodes.values() if group_of(a) == WORK)
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
    for node in order:
        attrs = graph.nodes[node]
        group = group_of(attrs)
        columns["label"].append(label_of(attrs, str(node)))
        columns["style"].append(style_of[style_key(attrs)])
        listed = group == WORK and attrs.get("in_list") is True
        columns["listed"].append(1 if listed else 0)
        columns["year"].append(year_of(attrs.get("year")) or 0)
        columns["count"].append(counts[node])
        rank = influence.get(node, 0.0) * works if group == WORK else 0.0
        columns["rank"].append(round(rank, 3))
        columns["radius"].append(_radius(group, counts[node], None, listed))
        columns["radiusRank"].append(_radius(group, counts[node], rank, listed))
        x, y = positions[node]
        tx, ty = timeline.positions[node]
        columns["x"].append(round(x))
        columns["y"].append(round(y))
        columns["tx"].append(round(tx))
        columns["ty"].append(round(ty))
        details.append(_details(node, attrs))
    edges: list[int] = []
    for source, target, key, _ in sorted(
        graph.edges(keys=True, data=True),
        key=lambda e: (index[e[0]], rel_index[str(e[2])], position_of(e[3]), index[e[1]]),
    ):
        # Authors come in byline order: the panel reads the order of the edges.
        edges += (index[source], index[target], rel_index[str(key)])
    topics = _topic_options(graph, index)
    payload = {
        "nodes": columns,
        "details": details,
        "edges": edges,
        "styles": [
            {"label": s.label, "colour": s.colour, "shape": s.shape, "group": style_group(s.key)}
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
        persons=sum(1 for a in graph.nodes.values() if group_of(a) == PERSON),
        topic_count=sum(1 for a in graph.nodes.values() if group_of(a) == TOPIC),
        citations=sum(1 for _, _, key in graph.edges(keys=True) if key == CITES),
    )


def _radius(group: str, count: int, rank: float | None, listed: bool) -> float:
    """A node's radius at zoom 1: works grow with the citations they received (or their
    PageRank, given ``rank``), people and topics with their works; list resources a bit
    more, so they stand out. Both engines draw these."""
    if group == PERSON:
        radius = 3 + 1.6 * math.sqrt(count)
    elif group == TOPIC:
        radius = 6 + 2 * math.sqrt(count)
    elif rank is not None:
        radius = 4 + 5 * math.sqrt(rank)
    else:
        radius = 4 + 2.6 * math.log2(1 + count)
    return round(min(radius + (3 if listed else 0), 48), 2)



def _counts(graph: nx.MultiDiGraph) -> dict[Any, int]:
    """What a node's size says in "citations" mode: citations received for works (the
    source's count, or the citations in the graph when it knows more), works for
    persons and topics."""
    counts: dict[Any, int] = {}
    for node, attrs in graph.nodes(data=True):
        incoming = [key for _, _, key in graph.in_edges(node, keys=True)]
        group = group_of(attrs)
        if group == PERSON:
            counts[node] = incoming.count(CREATOR) + incoming.count(CONTRIBUTOR)
        elif group == TOPIC:
            counts[node] = incoming.count(SUBJECT) + incoming.count(BROADER)
        else:
            given = attrs.get("citation_count")
            given = given if isinstance(given, int) and not isinstance(given, bool) else 0
            counts[node] = max(given, incoming.count(CITES))
    return counts



def _topic_options(graph: nx.MultiDiGraph, index: Mapping[Any, int]) -> list[_TopicOption]:
    """Topics for the facet, as a tree: the list's sections in list order, each followed
    by its narrower topics; fields of study after them, by name."""
    topics = [n for n, a in graph.nodes(data=True) if group_of(a) == TOPIC]
    narrower: dict[Any, list[Any]] = {t: [] for t in topics}
    roots = []
    for topic in topics:
        broader = [v for _, v, key in graph.out_edges(topic, keys=True) if key == BROADER and v in narrower]
        if broader:
            narrower[min(broader, key=str)].append(topic)
        else:
            roots.append(topic)

    def key(topic: Any) -> tuple[int, int, str, str]:
        attrs = graph.nodes[topic]
        line = attrs.get("line")
        fields = attrs.get("scheme") == "fields-of-study"
        return (1 if fields else 0, line if isinstance(line, int) else 1 << 30, label_of(attrs, ""), str(topic))

    options: list[_TopicOption] = []
    seen: set[Any] = set()

    def visit(topic: Any, depth: int) -> None:
        if topic in seen:  # a cycle of skos:broader in foreign data
            return
        seen.add(topic)
        attrs = graph.nodes[topic]
        works = sum(1 for _, _, k in graph.in_edges(topic, keys=True) if k == SUBJECT)
        scheme = "fields" if attrs.get("scheme") == "fields-of-study" else "list"
        options.append(_TopicOption(index[topic], label_of(attrs, str(topic)), depth, scheme, works))
        for child in sorted(narrower[topic], key=key):
            visit(child, depth + 1)

    for root in sorted(roots, key=key):
        visit(root, 0)
    for topic in sorted(topics, key=key):  # only cycles are left
        visit(topic, 0)
    return options



def _details(node: Any, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """What the details panel and the exports show of one node; absent facts left out."""
    group = group_of(attrs)
    out: dict[str, Any] = {"iri": str(node)}
    if group == WORK:
        out["kind"] = kind_label(kind_of(attrs))
    fields = {
        "number": display_text(attrs.get("number")),
        "venue": display_text(attrs.get("venue")),
        "note": display_text(attrs.get("note")),
        "tldr": display_text(attrs.get("tldr")),
    }
    out.update({k: v for k, v in fields.items() if v})
    lang = display_text(attrs.get("note_lang"))
    if "note" in out and lang and _LANG_TAG.fullmatch(lang):
        out["noteLang"] = lang
    ids = attrs.get("ids")
    if group == WORK and isinstance(ids, Mapping):
        for scheme in ("doi", "arxiv"):  # for BibTeX
            if value := display_text(ids.get(scheme)):
                out[scheme] = value
    links = node_links(attrs, group)
    if links:
        out["links"] = links
    return out


