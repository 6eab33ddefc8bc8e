"""Parts of the list the field does not join: topics without a citation path to the rest
of the list, and resources without any citation.

Paths go through any works of the graph, in either direction: two resources citing the
same paper are connected. A topic is **disconnected** when none of the resources filed
under it (or under a narrower topic) is connected to a resource filed elsewhere, while
some resource elsewhere has citations; only the broadest such topic is reported.

Absence is evidence only where the data speaks: a resource is **isolated** when the data
knows its citations (:meth:`~kg.analysis.field.FieldView.known`) and none is in the graph;
a resource no source describes proves nothing either way. Topics whose resources all lack
citations are not judged, and topics are not judged at all when fewer than
:data:`COVERAGE` of the list's resources have citations in the data: the report says so.
"""

from __future__ import annotations

import networkx as nx

from kg.analysis.field import FieldView

__all__ = ["isolated_resources", "disconnected_topics", "covered", "COVERAGE"]

COVERAGE = 0.5


def isolated_resources(view: FieldView) -> tuple[str, ...]:
    """List resources whose citations the data knows, and none is in the graph, sorted."""
    return tuple(r for r in sorted(view.listed) if not view.linked(r) and view.known(r))


def covered(view: FieldView) -> bool:
    """Whether enough of the list has citations in the data to judge its topics."""
    linked = sum(1 for r in view.listed if view.linked(r))
    return bool(view.listed) and linked >= COVERAGE * len(view.listed)


def disconnected_topics(view: FieldView) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The disconnected topics (sorted), and the topics not judged because none of their
    resources has a citation (none at all when the list is not :func:`covered`)."""
    if not covered(view):
        return (), ()
    network = nx.Graph()
    network.add_nodes_from(view.works)
    network.add_edges_from((u, v) for u in view.works for v in view.cites[u])
    component = {n: i for i, c in enumerate(nx.connected_components(network)) for n in c}
    filed = {r: topics for r, topics in view.topics_of.items() if view.linked(r)}
    candidates = sorted({a for topics in view.topics_of.values() for t in topics for a in (t, *view.ancestors(t))})
    disconnected, unjudged = [], []
    for topic in candidates:
        if topic in view.trivial:
            continue
        inside = {r for r, topics in view.topics_of.items() if any(view.within(t, topic) for t in topics)}
        linked_inside = {component[r] for r in inside if r in filed}
        linked_outside = {component[r] for r in filed if r not in inside}
        if not linked_inside:
            unjudged.append(topic)
        elif linked_outside and not linked_inside & linked_outside:
            disconnected.append(topic)
    broadest = [t for t in disconnected if not any(a in disconnected for a in view.ancestors(t))]
    judged_above = [t for t in unjudged if not any(a in unjudged for a in view.ancestors(t))]
    return tuple(sorted(broadest)), tuple(sorted(judged_above))
