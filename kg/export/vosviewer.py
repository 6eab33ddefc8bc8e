"""The citation network as a VOSviewer Online JSON file (VOSviewer 1.6.16 and later read it
too). There is no library writing this format; its fields are documented with VOSviewer
Online ("JSON file type"), and the tests check every one of them.

- ``network.items``: one per work: ``id`` (1, 2, … in IRI order), ``label``, ``url``,
  ``description`` (kind, year, venue; plain text), ``x``/``y`` (kg's force layout, the
  map's, with y pointing up as VOSviewer draws it), ``cluster`` (the number of the work's
  community, when the graph's insights hold communities), ``weights`` (what sizes an item:
  ``Citations`` counted by the source, else in the graph, and ``PageRank`` × works) and
  ``scores`` (what colours it on a scale: ``Year``, ``On list`` as 0/1).
- ``network.links``: one per pair of works where one cites the other; ``strength`` is 2
  where both cite each other (VOSviewer's links have no direction).
- ``network.clusters``: each community's number and label.
- ``config.terminology``: works and citations rather than VOSviewer's "items" and "links".
"""

from __future__ import annotations

import json
from typing import Any

from kg.export.references import references
from kg.export.tables import communities_of
from kg.map.layout import force_layout
from kg.map.links import http_url
from kg.map.reduce import influence_of
from kg.model.graph import KnowledgeGraph
from kg.model.kinds import KindTable, camel_label, shipped_kinds
from kg.model.nodes import Cites

__all__ = ["vosviewer_data", "vosviewer_json"]


def vosviewer_data(graph: KnowledgeGraph, kinds: KindTable | None = None) -> dict[str, Any]:
    table = kinds or graph.kinds or shipped_kinds()
    works = sorted(graph.works(), key=lambda w: w.iri)
    ids = {work.iri: n for n, work in enumerate(works, start=1)}
    influence = influence_of(graph)
    places = force_layout(graph, influence)
    refs = references(graph, table)
    communities = communities_of(graph)
    cited: dict[str, int] = {}
    pairs: dict[tuple[int, int], int] = {}
    for source, target, _ in graph.edges(Cites):
        cited[target] = cited.get(target, 0) + 1
        if source != target:
            pair = (min(ids[source], ids[target]), max(ids[source], ids[target]))
            pairs[pair] = pairs.get(pair, 0) + 1
    items = []
    for work in works:
        kind = table.get(work.kind)
        year = work.shown_year
        x, y = places[work.iri]
        item: dict[str, Any] = {
            "id": ids[work.iri],
            "label": work.label.strip() or work.iri,
            "description": ", ".join(
                str(part) for part in (kind.label if kind else camel_label(work.kind), year, refs[work.iri].venue) if part
            ),
            "x": x,
            "y": -y,
            "weights": {
                "Citations": max(work.citation_count or 0, cited.get(work.iri, 0)),
                "PageRank": round(influence.get(work.iri, 0.0) * len(works), 4),
            },
            "scores": {"On list": 1 if work.in_list else 0} | ({"Year": year} if year else {}),
        }
        if url := refs[work.iri].url or http_url(work.iri):
            item["url"] = url
        if work.iri in communities:
            item["cluster"] = communities[work.iri][0]
        items.append(item)
    network: dict[str, Any] = {
        "items": items,
        "links": [{"source_id": a, "target_id": b, "strength": n} for (a, b), n in sorted(pairs.items())],
    }
    if graph.insights and graph.insights.communities:
        network["clusters"] = [{"cluster": c.number, "label": c.label} for c in graph.insights.communities]
    return {
        "network": network,
        "config": {
            "terminology": {
                "item": "work",
                "items": "works",
                "link": "citation",
                "links": "citations",
                "link_strength": "citations",
                "total_link_strength": "total citations",
            },
        },
    }


def vosviewer_json(graph: KnowledgeGraph, kinds: KindTable | None = None) -> str:
    return json.dumps(vosviewer_data(graph, kinds), ensure_ascii=False, indent=1) + "\n"
