"""How each kind of node and each relation looks on the map, and what the legend lists."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kg.map.attrs import group_of, kind_of
from kg.model.graph import (
    BROADER,
    CITES,
    CONTRIBUTOR,
    CREATOR,
    EDGE_KINDS,
    PART_OF,
    PERSON,
    SUBJECT,
    TOPIC,
    WORK,
)

__all__ = ["KIND_LABELS", "Style", "kind_label", "style_key", "style_group", "styles_of", "relation_table"]

logger = logging.getLogger(__name__)


KIND_LABELS: Mapping[str, str] = {
    "Work": "Work",
    "Paper": "Paper",
    "Preprint": "Preprint",
    "JournalArticle": "Journal article",
    "ConferencePaper": "Conference paper",
    "Survey": "Survey",
    "Book": "Book",
    "Course": "Course",
    "Blog": "Blog",
    "BlogPost": "Blog post",
    "CodeRepository": "Code repository",
    "EncyclopediaArticle": "Encyclopedia article",
    "Slides": "Slides",
    "Event": "Event",
    "Answer": "Q&A answer",
    "WebPage": "Web page",
}
"""``rdfs:label`` of each kind of work in ``ontology/kg.ttl`` (a test keeps them equal)."""

# One colour per kind (Tableau 20): related kinds share a hue family, so papers read as
# blues/teals, web writing as yellows, teaching material as oranges.
_KIND_COLOURS: Mapping[str, str] = {
    "Paper": "#4e79a7",
    "Preprint": "#a0cbe8",
    "JournalArticle": "#499894",
    "ConferencePaper": "#86bcb6",
    "Survey": "#b07aa1",
    "Book": "#9d7660",
    "Course": "#f28e2b",
    "Slides": "#ffbe7d",
    "Blog": "#b6992d",
    "BlogPost": "#f1ce63",
    "CodeRepository": "#59a14f",
    "EncyclopediaArticle": "#8cd17d",
    "Event": "#d37295",
    "Answer": "#fabfd2",
    "WebPage": "#bab0ac",
    "Work": "#79706e",
}
# Kinds an ontology extension adds get these, in sorted order of their names.
_EXTRA_COLOURS = ("#17becf", "#bcbd22", "#8c564b", "#7f7f7f", "#9467bd", "#2ca02c")
_PERSON_COLOUR = "#e15759"
_TOPIC_COLOUR = "#3d5a80"

_GROUP_SHAPES: Mapping[str, str] = {WORK: "dot", PERSON: "diamond", TOPIC: "square"}
_LANG_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_BLANK_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]")


@dataclass(frozen=True, slots=True)
class Style:
    """One entry of the legend (a kind of work, persons, topics); also a kind facet."""

    index: int
    key: str
    label: str
    colour: str
    shape: str
    count: int



def kind_label(kind: str) -> str:
    """The ontology's label, or the local name split at capitals for extension kinds."""
    if kind in KIND_LABELS:
        return KIND_LABELS[kind]
    local = re.split(r"[#/:]", kind.rstrip("#/"))[-1] or kind
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).capitalize()


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
    BROADER: _Relation("broader topic", "Broader topics", "Narrower topics", _TOPIC_COLOUR),
    PART_OF: _Relation("part of", "Part of", "Parts", "#9d7660", dashes=True),
}



def style_key(attrs: Mapping[str, Any]) -> str:
    group = group_of(attrs)
    return f"kind:{kind_of(attrs)}" if group == WORK else group


def style_group(key: str) -> str:
    return WORK if key.startswith("kind:") else key


def styles_of(graph: nx.MultiDiGraph) -> list[Style]:
    """The legend: every kind of work present (by label), then persons and topics."""
    counts: dict[str, int] = {}
    for _, attrs in graph.nodes(data=True):
        key = style_key(attrs)
        counts[key] = counts.get(key, 0) + 1
    kinds = sorted(k.removeprefix("kind:") for k in counts if k.startswith("kind:"))
    extra = [k for k in kinds if k not in _KIND_COLOURS]
    colours = {k: _KIND_COLOURS.get(k) or _EXTRA_COLOURS[extra.index(k) % len(_EXTRA_COLOURS)] for k in kinds}
    entries = sorted(
        ((kind_label(k), f"kind:{k}", colours[k], _GROUP_SHAPES[WORK]) for k in kinds),
        key=lambda e: (e[0].casefold(), e[0], e[1]),
    )
    if PERSON in counts:
        entries.append(("Person", PERSON, _PERSON_COLOUR, _GROUP_SHAPES[PERSON]))
    if TOPIC in counts:
        entries.append(("Topic", TOPIC, _TOPIC_COLOUR, _GROUP_SHAPES[TOPIC]))
    return [
        Style(i, key, label, colour, shape, counts[key])
        for i, (label, key, colour, shape) in enumerate(entries)
    ]


def relation_table(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """How each edge key present is drawn and named, in the order the panel lists them."""
    counts: dict[str, int] = {}
    for _, _, key in graph.edges(keys=True):
        counts[str(key)] = counts.get(str(key), 0) + 1
    ordered = [k for k in EDGE_KINDS if k in counts] + sorted(set(counts) - set(EDGE_KINDS))
    table = []
    for key in ordered:
        rel = _RELATIONS.get(key) or _Relation(key, key, f"{key} (from)", "#bbbbbb")
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


