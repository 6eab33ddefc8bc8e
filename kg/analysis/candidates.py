"""What the list is missing (candidates) and what builds on it (derivatives).

**Candidates** are works not on the list that at least ``k`` list resources cite. Their
score rewards being cited by several list resources and by the list's core::

    score(c) = sum over the list resources r citing c of (1 + core(r))

    core(r) = L(r) / max over the list of L      (0 when no list resource cites another)
    L(r)    = number of list resources r cites or is cited by

so each citing resource adds between 1 and 2: a work four resources cite outranks one three
cite, and among works cited equally often, the one cited by the resources the list's own
citations meet in wins. Ties go to more citing resources, then to the larger citation
count the source reports, then to the IRI.

The **proposed topic** is a weighted vote of the citing resources' topics (each votes with
its weight 1 + core(r), split among the topics it is filed under; a vote for a subsection
is a vote for its section too): the most specific topic holding 60% of the votes
(:data:`~kg.analysis.field.AGREEMENT`), and none when no topic does.

**Derivatives** are works not on the list that cite at least ``k`` list resources, scored
the same way over the resources they cite; among equal scores the newest come first.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.analysis.field import FieldView, resource_ballots, vote
from kg.model.derived import Candidate, Derivative

__all__ = ["find_candidates", "find_derivatives", "cited_by_fewer"]


def _score(view: FieldView, resources: Iterable[str]) -> float:
    return round(sum(view.weight(r) for r in resources), 3)


def find_candidates(view: FieldView, *, k: int = 2, top: int | None = None) -> tuple[Candidate, ...]:
    """The works not on the list that ``k`` or more list resources cite, best first
    (``top`` of them, or all); see the module docstring for the score and the topic."""
    found = []
    for work in view.works:
        if work in view.listed:
            continue
        citers = sorted(view.cited_by[work] & view.listed)
        if len(citers) < max(1, k):
            continue
        count = view.records[work].citation_count or 0
        found.append((-_score(view, citers), -len(citers), -count, work, citers))
    found.sort()
    ranked = []
    for rank, (_, _, _, work, citers) in enumerate(found[:top] if top else found, start=1):
        topic = vote(view, resource_ballots(view, citers)).topic
        ranked.append(Candidate(
            work=work, score=_score(view, citers), rank=rank, topic=topic,
            evidence=tuple((r, work) for r in citers),
        ))  # fmt: skip
    return tuple(ranked)


def cited_by_fewer(view: FieldView, k: int) -> int:
    """How many works not on the list some list resource cites, but fewer than ``k``."""
    return sum(1 for w in view.works if w not in view.listed and 0 < len(view.cited_by[w] & view.listed) < k)


def find_derivatives(view: FieldView, *, k: int = 2, top: int | None = None) -> tuple[Derivative, ...]:
    """The works not on the list that cite ``k`` or more list resources, best first (the
    newest first among equal scores)."""
    found = []
    for work in view.works:
        if work in view.listed:
            continue
        cited = sorted(view.cites[work] & view.listed)
        if len(cited) < max(1, k):
            continue
        year = view.records[work].year or 0
        found.append((-_score(view, cited), -year, work, cited))
    found.sort()
    return tuple(
        Derivative(work=work, score=-negative, rank=rank, evidence=tuple((work, r) for r in cited))
        for rank, (negative, _, work, cited) in enumerate(found[:top] if top else found, start=1)
    )
