"""vis-network's data for a small map, built with pyvis."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from kg.model.nodes import TOPIC

__all__ = ["NodeIds", "vis_network_data"]

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------
# vis-network's data, built with pyvis
# --------------------------------------------------------------------------------------

# The page's own fonts: vis-network draws the labels on its canvas, Chinese titles included.
_FONT_FACE = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', sans-serif"
_LIST_RING = "#1b1b1b"
_LABEL_MAX = 48


class NodeIds(list[Any]):
    """pyvis keeps node ids in a list and looks an id up in it in every ``add_node`` and
    twice in every ``add_edge``, which makes building quadratic. This list answers ``in``
    from a set."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[Any] = set()

    def append(self, item: Any) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def vis_network_data(payload: Mapping[str, Any]) -> dict[str, Any]:
    """vis-network's nodes, edges and options for the page's data, built with pyvis.

    Node ``i`` of the page is vis node ``i`` and the ``e``-th edge triple is vis edge ``e``,
    so the page's interface and vis-network speak of the same things. Each kind of work (on
    the list or fetched), persons and topics are vis groups: colour, ring, label size. Nodes
    carry their shape, size and label, and the position kg's layout gave them: physics is
    off until the reader turns it on. No node or edge gets a ``title``, vis-network's
    tooltip: the page shows its own, built as text.

    pyvis is used for its ``Network`` data API only: its template and ``write_html`` load
    from CDNs, copy files into the working directory and render without escaping.
    """
    from pyvis.network import Network  # only maps vis-network draws need it

    columns = payload["nodes"]
    styles = payload["styles"]
    relations = payload["relations"]
    net = Network(directed=True)  # directed: add_edge skips its scan of every edge so far
    net.node_ids = NodeIds()
    groups: dict[str, dict[str, Any]] = {}
    for i, label in enumerate(columns["label"]):
        style = columns["style"][i]
        group = f"{style}L" if columns["listed"][i] else str(style)
        if group not in groups:
            groups[group] = _vis_group(styles[style], listed=group.endswith("L"))
        short = label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1].rstrip() + "…"
        net.add_node(
            i,
            label=short,
            shape=styles[style]["shape"],
            group=group,
            x=columns["x"][i],
            y=columns["y"][i],
            size=columns["radius"][i],
        )
    flat = payload["edges"]
    for e in range(len(flat) // 3):
        relation = relations[flat[3 * e + 2]]
        options: dict[str, Any] = {"id": e, "color": relation["colour"]}
        options["arrows"] = "to" if relation["arrow"] else ""
        if relation["dashes"]:
            options["dashes"] = True
        net.add_edge(flat[3 * e], flat[3 * e + 1], **options)
    # A dict, not set_options(): that one strips every space from the JSON (font names).
    net.options = {
        "autoResize": False,  # the page resizes the view itself, when its container changes
        "layout": {"improvedLayout": False},
        "physics": {
            "enabled": False,
            "solver": "forceAtlas2Based",
            "stabilization": {"enabled": False},
        },
        "nodes": {
            "borderWidth": 1,
            "borderWidthSelected": 3,
            # Labels smaller than this many pixels are not drawn: at first sight only the
            # list's resources and topics are named, the others once zoomed in.
            "scaling": {"label": {"drawThreshold": 8}},
            "font": {
                "face": _FONT_FACE,
                "size": 11,
                "color": "#444444",
                "strokeWidth": 3,
                "strokeColor": "rgba(255,255,255,0.9)",
            },
        },
        "edges": {
            "smooth": False,
            "width": 1,
            "selectionWidth": 0,
            "hoverWidth": 0,
            "arrows": {"to": {"scaleFactor": 0.5}},
        },
        "groups": dict(sorted(groups.items())),
        "interaction": {
            "hover": True,
            "selectConnectedEdges": False,
            "hoverConnectedEdges": False,
            "keyboard": False,
            "multiselect": False,
        },
    }
    return {"nodes": net.nodes, "edges": net.edges, "options": net.options}


def _vis_group(style: Mapping[str, Any], *, listed: bool) -> dict[str, Any]:
    """How vis-network draws one legend entry: its colour, a dark ring on the list's own
    resources, and bigger labels for them and for topics (the structure of the field)."""
    colour = style["colour"]
    border = _LIST_RING if listed else "#ffffff"
    structural = listed or style["group"] == TOPIC
    return {
        "color": {
            "background": colour,
            "border": border,
            "highlight": {"background": colour, "border": "#000000"},
            "hover": {"background": colour, "border": "#555555" if not listed else border},
        },
        "borderWidth": 3 if listed else 1,
        "font": {"size": 15 if structural else 11, "color": "#111111" if structural else "#444444"},
    }


