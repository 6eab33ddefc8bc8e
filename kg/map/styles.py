"""How each kind of node and each relation looks on the map, and what the legend lists.

Kinds of works take their label, colour and BibTeX type from the kinds table
(:mod:`kg.model.kinds`, read from the ontology and its extensions).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kg.model.graph import KnowledgeGraph
from kg.model.kinds import KindTable, camel_label
from kg.model.nodes import (
    BROADER,
    CITES,
    CONTRIBUTOR,
    CREATOR,
    PART_OF,
    PERSON,
    RELATIONS,
    SUBJECT,
    TOPIC,
    WORK,
    Node,
    WorkNode,
)

__all__ = ["Style", "PERSON_COLOUR", "TOPIC_COLOUR", "style_key", "style_group", "styles_of", "relation_table"]

logger = logging.getLogger(__name__)

# Kinds the kinds table does not know (a graph made elsewhere, read without its ontology)
# get these, in sorted order of their names.
_EXTRA_COLOURS = ("#17becf", "#bcbd22", "#8c564b", "#7f7f7f", "#9467bd", "#2ca02c")
PERSON_COLOUR = "#e15759"
TOPIC_COLOUR = "#3d5a80"

_GROUP_SHAPES: Mapping[str, str] = {WORK: "dot", PERSON: "diamond", TOPIC: "square"}


@dataclass(frozen=True, slots=True)
class Style:
    """One entry of the legend (a kind of work, persons, topics); also a kind facet."""

    index: int
    key: str
    label: str
    colour: str
    shape: str
    count: int
    bibtex: str | None = None
    """The BibTeX entry type the page exports works of this kind as (kinds only)."""


@dataclass(frozen=True, slots=True)
class _Relation:
    """How one edge key is drawn and named in the page (both directions)."""

    label: str
    outgoing: str
    incoming: str
    colour: str
    arrow: bool = True
    dashes: bool = False


_RELATIONS: Mapping[str, _Relation] = {
    CITES: _Relation("cites", "Cites", "Cited by", "#8d8d8d"),
    CREATOR: _Relation("authored by", "Authors", "Works", "#f0a6a7", arrow=False),
    CONTRIBUTOR: _Relation(
        "contributor", "Contributors", "Contributed to", "#f0a6a7", arrow=False, dashes=True
    ),
    SUBJECT: _Relation("about topic", "Topics", "Works on this topic", "#9fb3c8", dashes=True),
    BROADER: _Relation("broader topic", "Broader topics", "Narrower topics", TOPIC_COLOUR),
    PART_OF: _Relation("part of", "Part of", "Parts", "#9d7660", dashes=True),
}


def style_key(node: Node) -> str:
    return f"kind:{node.kind}" if isinstance(node, WorkNode) else node.group


def style_group(key: str) -> str:
    return WORK if key.startswith("kind:") else key


def styles_of(graph: KnowledgeGraph, kinds: KindTable) -> list[Style]:
    """The legend: every kind of work present (by label), then persons and topics."""
    counts: dict[str, int] = {}
    for node in graph.nodes():
        key = style_key(node)
        counts[key] = counts.get(key, 0) + 1
    present = sorted(k.removeprefix("kind:") for k in counts if k.startswith("kind:"))
    unknown = [k for k in present if k not in kinds]
    entries = []
    for name in present:
        kind = kinds.get(name)
        if kind is not None:
            entries.append((kind.label, f"kind:{name}", kind.colour, kind.bibtex))
        else:
            colour = _EXTRA_COLOURS[unknown.index(name) % len(_EXTRA_COLOURS)]
            entries.append((camel_label(name), f"kind:{name}", colour, "misc"))
    entries.sort(key=lambda e: (e[0].casefold(), e[0], e[1]))
    styles = [
        Style(i, key, label, colour, _GROUP_SHAPES[WORK], counts[key], bibtex)
        for i, (label, key, colour, bibtex) in enumerate(entries)
    ]
    for group, label, colour in ((PERSON, "Person", PERSON_COLOUR), (TOPIC, "Topic", TOPIC_COLOUR)):
        if group in counts:
            styles.append(Style(len(styles), group, label, colour, _GROUP_SHAPES[group], counts[group]))
    return styles


def relation_table(graph: KnowledgeGraph) -> list[dict[str, Any]]:
    """How each relation present is drawn and named, in the order the panel lists them."""
    counts: dict[str, int] = {}
    for _, _, key in graph.network.edges(keys=True):
        counts[key] = counts.get(key, 0) + 1
    table = []
    for key in (k for k in RELATIONS if k in counts):
        rel = _RELATIONS[key]
        table.append(
            {
                "key": key,
                "label": rel.label,
                "out": rel.outgoing,
                "in": rel.incoming,
                "colour": rel.colour,
                "arrow": rel.arrow,
                "dashes": rel.dashes,
                "count": counts[key],
            }
        )
    return table
