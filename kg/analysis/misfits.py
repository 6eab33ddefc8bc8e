"""List resources filed under one topic whose neighbourhood lies under another.

A resource's neighbours are the other list resources it cites, that cite it, or that a
:class:`~kg.model.derived.Similarity` joins it to (co-cited or coupled). A resource is
flagged only when the case is clear, since a false alarm costs a curator more than a
miss:

- it has at least :data:`MIN_NEIGHBOURS` neighbours filed under a topic;
- one topic holds :data:`~kg.analysis.field.AGREEMENT` (60%) of them (the most specific
  such topic, counting narrower topics in; see :func:`~kg.analysis.field.vote`), and it is
  neither the resource's own topic, nor broader or narrower than it;
- at most :data:`OWN_AT_MOST` (20%) of the neighbours sit under its own topic.
"""

from __future__ import annotations

from collections import defaultdict

from kg.analysis.field import FieldView, resource_ballots, vote
from kg.model.derived import Misfit, Pair, Similarity

__all__ = ["find_misfits", "MIN_NEIGHBOURS", "OWN_AT_MOST"]

MIN_NEIGHBOURS = 3
OWN_AT_MOST = 0.2


def find_misfits(view: FieldView, similarities: tuple[Similarity, ...]) -> tuple[tuple[Misfit, ...], int]:
    """The misfiled resources, clearest first, and how many resources had enough
    neighbours to be judged."""
    similar_to: dict[str, dict[str, Pair]] = defaultdict(dict)
    for similarity in similarities:
        a, b = similarity.ends
        similar_to[a][b] = similar_to[b][a] = similarity.ends
    found = []
    judged = 0
    for resource in sorted(view.listed):
        mine = view.topics_of.get(resource)
        if not mine:
            continue
        direct = (view.linked(resource) & view.listed) - {resource}
        neighbours = sorted(n for n in direct | set(similar_to[resource]) if n in view.topics_of)
        if len(neighbours) < MIN_NEIGHBOURS:
            continue
        judged += 1
        ballots = resource_ballots(view, neighbours, weighted=False)
        outcome = vote(view, ballots)
        if outcome.topic is None or any(view.related(outcome.topic, topic) for topic in mine):
            continue
        own = sum(w for topic, w in ballots if any(view.within(topic, m) for m in mine)) / len(neighbours)
        if own > OWN_AT_MOST:
            continue
        evidence = {(resource, n) for n in neighbours if n in view.cites[resource]}
        evidence |= {(n, resource) for n in neighbours if resource in view.cites[n]}
        found.append(Misfit(
            resource=resource, topic=mine[0], suggested=outcome.topic, agreement=outcome.share,
            evidence=tuple(sorted(evidence)),
            similar=tuple(sorted(similar_to[resource][n] for n in neighbours if n in similar_to[resource])),
        ))  # fmt: skip
    found.sort(key=lambda m: (-m.agreement, m.resource))
    return tuple(found), judged
