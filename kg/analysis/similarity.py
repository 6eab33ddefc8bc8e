"""Co-citation and bibliographic coupling between the list's resources.

Two list resources are similar when works in the graph cite both (co-citation) or when
both cite the same works (bibliographic coupling): the field treats them as related
whether or not one cites the other. Only the list's resources are paired, so the cost
stays with the list's size (a few hundred) however large the field is.

A similarity is kept when its strength (co-citations + shared references) is at least
:data:`MIN_STRENGTH` and it is among the :data:`KEEP` closest relations of one of its
ends, closeness being the strength over the geometric mean of the two resources'
citation links (Salton's cosine): a famous resource shares references and citers with
everyone, and would otherwise be every resource's closest relation. Its evidence names
:data:`SAMPLE` of the works behind each count (the first by IRI), not all of them: the
counts say how many there are, and a 50,000-paper graph stays small.
"""

from __future__ import annotations

import math
from collections import defaultdict
from itertools import combinations

from kg.analysis.field import FieldView
from kg.model.derived import Pair, Similarity

__all__ = ["find_similarities", "MIN_STRENGTH", "KEEP", "SAMPLE"]

MIN_STRENGTH = 2
KEEP = 5
SAMPLE = 1


def find_similarities(view: FieldView) -> tuple[Similarity, ...]:
    """The similarities between list resources (see the module docstring), sorted by their ends."""
    cocited: dict[Pair, list[str]] = defaultdict(list)
    coupled: dict[Pair, list[str]] = defaultdict(list)
    for work in view.works:
        for pair in combinations(sorted(view.cites[work] & view.listed), 2):
            cocited[pair].append(work)
        for pair in combinations(sorted(view.cited_by[work] & view.listed), 2):
            coupled[pair].append(work)
    strength = {p: len(cocited.get(p, ())) + len(coupled.get(p, ())) for p in {*cocited, *coupled}}
    links = {r: len(view.linked(r)) for r in view.listed}
    by_resource: dict[str, list[tuple[float, str, Pair]]] = defaultdict(list)
    for pair, value in strength.items():
        if value >= MIN_STRENGTH:
            closeness = -round(value / math.sqrt(max(1, links[pair[0]] * links[pair[1]])), 9)
            by_resource[pair[0]].append((closeness, pair[1], pair))
            by_resource[pair[1]].append((closeness, pair[0], pair))
    kept = {pair for ranked in by_resource.values() for _, _, pair in sorted(ranked)[:KEEP]}
    found = []
    for a, b in sorted(kept):
        evidence = {(c, end) for c in cocited.get((a, b), ())[:SAMPLE] for end in (a, b)}
        evidence |= {(end, x) for x in coupled.get((a, b), ())[:SAMPLE] for end in (a, b)}
        found.append(Similarity(
            ends=(a, b), cocitations=len(cocited.get((a, b), ())), couplings=len(coupled.get((a, b), ())),
            evidence=tuple(sorted(evidence)),
        ))  # fmt: skip
    return tuple(found)
