"""List resources filed under one topic whose neighbourhood lies under another.

A resource's neighbours are the other list resources it cites, that cite it, or that a
:class:`~kg.model.derived.Similarity` joins it to (co-cited or coupled). A resource is
flagged only when the case is clear, since a false alarm costs a curator more than a
miss:

- it has at least :data:`MIN_NEIGHBOURS` neighbours filed under a topic;
- one topic holds :data:`~kg.analysis.field.AGREEMENT` (60%) of them (the most specific
  such topic, counting narrower topics in; see :func:`~kg.analysis.field.vote`), and it is
  neither the resource's own topic, nor broader or narrower than it;
- at most :data:`OWN_AT_MOST` (20%) of the neighbours sit under its own topic;
- so many neighbours under the suggested topic would happen by chance less than once in
  a hundred lists (:data:`ALPHA`, divided among the list's resources: Bonferroni): a
  binomial test against the share of all neighbour links on the list that end under that
  topic. Without it, a topic of famous resources, which everyone cites and is co-cited
  with, would claim every resource with a handful of neighbours.
"""

from __future__ import annotations

import math
from collections import defaultdict

from kg.analysis.field import FieldView, resource_ballots, vote
from kg.model.derived import Misfit, Pair, Similarity

__all__ = ["find_misfits", "MIN_NEIGHBOURS", "OWN_AT_MOST", "ALPHA", "chance_of"]

MIN_NEIGHBOURS = 3
OWN_AT_MOST = 0.2
ALPHA = 0.01


def find_misfits(view: FieldView, similarities: tuple[Similarity, ...]) -> tuple[tuple[Misfit, ...], int]:
    """The misfiled resources, clearest first, and how many resources had enough
    neighbours to be judged."""
    similar_to: dict[str, dict[str, Pair]] = defaultdict(dict)
    for similarity in similarities:
        a, b = similarity.ends
        similar_to[a][b] = similar_to[b][a] = similarity.ends
    neighbourhood = {
        r: sorted(n for n in ((view.linked(r) & view.listed) - {r}) | set(similar_to[r]) if n in view.topics_of)
        for r in sorted(view.listed)
    }
    # Where neighbour links end, over the whole list: what chance alone would give.
    chance = _chance(view, neighbourhood)
    found = []
    judged = 0
    for resource in sorted(view.listed):
        mine = view.topics_of.get(resource)
        if not mine:
            continue
        neighbours = neighbourhood[resource]
        if len(neighbours) < MIN_NEIGHBOURS:
            continue
        judged += 1
        ballots = resource_ballots(view, neighbours, weighted=False)
        outcome = vote(view, ballots)
        if outcome.topic is None or any(view.related(outcome.topic, topic) for topic in mine):
            continue
        own = sum(w for topic, w in ballots if any(view.within(topic, m) for m in mine)) / len(neighbours)
        under = round(outcome.share * len(neighbours))
        odds = chance_of(under, len(neighbours), _share(view, chance, outcome.topic))
        if own > OWN_AT_MOST or odds >= ALPHA / len(view.listed):
            continue
        direct = view.linked(resource)
        evidence = {(resource, n) for n in neighbours if n in view.cites[resource]}
        evidence |= {(n, resource) for n in neighbours if resource in view.cites[n]}
        found.append(Misfit(
            resource=resource, topic=mine[0], suggested=outcome.topic, agreement=outcome.share,
            evidence=tuple(sorted(evidence)),
            similar=tuple(sorted(similar_to[resource][n] for n in neighbours if n in similar_to[resource] and n not in direct)),
        ))  # fmt: skip
    found.sort(key=lambda m: (-m.agreement, m.resource))
    return tuple(found), judged


def _chance(view: FieldView, neighbourhood: dict[str, list[str]]) -> list[tuple[str, float]]:
    """Each resource's topics, weighted by how many neighbour links end at it."""
    return [(topic, weight * len(neighbourhood[r])) for r in sorted(neighbourhood)
            for topic, weight in resource_ballots(view, [r], weighted=False)]  # fmt: skip


def _share(view: FieldView, ballots: list[tuple[str, float]], topic: str) -> float:
    """The share of ``ballots`` that fall under ``topic`` (or narrower)."""
    total = sum(w for _, w in ballots)
    inside = sum(w for t, w in ballots if view.within(t, topic))
    return inside / total if total else 0.0


def chance_of(hits: int, tries: int, p: float) -> float:
    """The probability of ``hits`` or more successes in ``tries`` draws of probability ``p``.

    >>> round(chance_of(3, 3, 0.5), 3), chance_of(0, 4, 0.2)
    (0.125, 1.0)
    """
    return min(1.0, sum(math.comb(tries, i) * p**i * (1 - p) ** (tries - i) for i in range(hits, tries + 1)))
