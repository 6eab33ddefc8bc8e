"""The graph as a network file, written by networkx: GraphML (Gephi, igraph, yEd), GEXF
(Gephi) and Cytoscape.js JSON (Cytoscape, Cytoscape.js).

Nodes carry the typed columns of :mod:`kg.export.tables`, edges their ``relation``; the
graph's own attributes are the list's title and IRI. GEXF also carries how the map draws
each node (``viz``: its kind's colour, its place in kg's force layout, its size), so Gephi
opens it looking like the map; GraphML has no standard place for that. Cytoscape nodes
carry ``name`` (what Cytoscape shows) and their place on the map (``position``).

>>> from kg.model.nodes import PersonNode, WorkNode, Creator
>>> g = KnowledgeGraph()
>>> g.add(WorkNode(iri="w", label="A", kind="Preprint", year=2020)); g.add(PersonNode(iri="p", label="Ada"))
>>> g.link("w", "p", Creator(position=0))
>>> network = typed_network(g)
>>> network.nodes["w"]["year"], network.edges["w", "p", "creator"]
(2020, {'relation': 'creator', 'position': 0})
"""

from __future__ import annotations

import io
import json
from typing import Any

import networkx as nx

from kg.export.tables import edge_rows, node_rows
from kg.map.layout import force_layout
from kg.map.reduce import influence_of
from kg.map.styles import PERSON_COLOUR, TOPIC_COLOUR
from kg.model.graph import KnowledgeGraph
from kg.model.kinds import KindTable, shipped_kinds

__all__ = ["typed_network", "graphml_text", "gexf_text", "cytoscape_json", "layout_of"]

_EXTRA_COLOUR = "#79706e"


def typed_network(graph: KnowledgeGraph, kinds: KindTable | None = None) -> nx.MultiDiGraph:
    """A networkx graph of typed scalar columns (the same columns every format carries)."""
    attributes = {
        name: value
        for name, value in (("title", graph.meta.title), ("list", graph.meta.list_iri))
        if value
    }
    network = nx.MultiDiGraph(**attributes)
    for iri, row in node_rows(graph, kinds):
        network.add_node(iri, **row)
    for source, target, row in edge_rows(graph):
        network.add_edge(source, target, key=row["relation"], **row)
    return network


def layout_of(graph: KnowledgeGraph) -> dict[str, tuple[float, float]]:
    """kg's force layout (the map's, seeded: the same graph gets the same places)."""
    return force_layout(graph, influence_of(graph))


def graphml_text(graph: KnowledgeGraph, kinds: KindTable | None = None) -> bytes:
    network = typed_network(graph, kinds)
    # networkx writes an edge's key as its id, which GraphML wants unique in the file: the
    # relation (the key in kg's graph) is the edge's ``relation`` column already.
    unique = nx.MultiDiGraph(**network.graph)
    unique.add_nodes_from(network.nodes(data=True))
    unique.add_edges_from((u, v, f"e{n}", data) for n, (u, v, data) in enumerate(network.edges(data=True)))
    buffer = io.BytesIO()
    nx.write_graphml(unique, buffer, encoding="utf-8", named_key_ids=True)
    return buffer.getvalue()


def _rgb(colour: str) -> dict[str, int]:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16)}


def gexf_text(graph: KnowledgeGraph, kinds: KindTable | None = None) -> bytes:
    table = kinds or graph.kinds or shipped_kinds()
    network = typed_network(graph, table)
    places = layout_of(graph)
    for iri, data in network.nodes(data=True):
        kind = table.get(str(data.get("kind", "")))
        colour = (
            kind.colour if kind else PERSON_COLOUR if data["group"] == "person"
            else TOPIC_COLOUR if data["group"] == "topic" else _EXTRA_COLOUR
        )  # fmt: skip
        x, y = places[iri]
        size = 10.0 if data.get("on_list") or data["group"] == "topic" else 4.0
        data["viz"] = {"color": _rgb(colour), "position": {"x": x, "y": -y, "z": 0.0}, "size": size}
    for _, _, data in network.edges(data=True):
        data["label"] = data["relation"]
    buffer = io.BytesIO()
    nx.write_gexf(network, buffer, encoding="utf-8", version="1.2draft")
    return buffer.getvalue()


def cytoscape_json(graph: KnowledgeGraph, kinds: KindTable | None = None) -> str:
    network = typed_network(graph, kinds)
    for _, data in network.nodes(data=True):
        data["name"] = data["label"]
    document: dict[str, Any] = nx.cytoscape_data(network)
    places = layout_of(graph)
    for element in document["elements"]["nodes"]:
        x, y = places[element["data"]["id"]]
        element["position"] = {"x": x, "y": y}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
