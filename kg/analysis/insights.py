"""Curator insights: what the field says about the list, each claim with its evidence.

:func:`compute_insights` runs the analyses on a graph (built, or read from any Turtle in
kg's vocabularies) and returns one :class:`~kg.model.derived.Insights`:

- candidates and derivatives (:mod:`kg.analysis.candidates`),
- similarities between list resources (:mod:`kg.analysis.similarity`),
- misfiled entries (:mod:`kg.analysis.misfits`),
- communities (:mod:`kg.analysis.communities`, labelled by :mod:`kg.analysis.labels`),
- disconnected topics and isolated entries (:mod:`kg.analysis.connectivity`),
- notes saying plainly where the data is too thin to conclude.

The result depends only on the graph and the settings (sorted inputs, a seeded
clustering), so the same graph gives the same insights, byte for byte in the Turtle.

>>> from kg.model.nodes import GraphMeta
>>> compute_insights(KnowledgeGraph(GraphMeta())).notes[0][:40]
'The graph names no reading list (no kg:l'
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from kg.analysis.candidates import cited_by_fewer, find_candidates, find_derivatives
from kg.analysis.communities import MIN_LINKS, find_partition
from kg.analysis.connectivity import COVERAGE, covered, disconnected_topics, isolated_resources
from kg.analysis.field import FieldView, field_view
from kg.analysis.labels import label_communities
from kg.analysis.misfits import MIN_NEIGHBOURS, find_misfits
from kg.analysis.similarity import find_similarities
from kg.model.derived import Insights
from kg.model.graph import KnowledgeGraph

__all__ = ["InsightSettings", "compute_insights", "add_insights", "WEAK_MODULARITY"]

log = logging.getLogger(__name__)

WEAK_MODULARITY = 0.3
"""Below this modularity the communities are said to be weakly separated."""


@dataclass(frozen=True, slots=True)
class InsightSettings:
    k: int = 2
    """The least number of list resources a candidate is cited by (and a derivative cites)."""
    top: int | None = 50
    """How many candidates and derivatives to keep (None: all)."""
    seed: int = 1
    """Seed of the clustering."""


def add_insights(graph: KnowledgeGraph, settings: InsightSettings | None = None) -> Insights:
    """Compute the insights and put them on the graph (replacing any it held)."""
    graph.insights = compute_insights(graph, settings)
    return graph.insights


def compute_insights(graph: KnowledgeGraph, settings: InsightSettings | None = None) -> Insights:
    """Everything the analyses conclude about ``graph`` (see the module docstring)."""
    settings = settings or InsightSettings()
    view = field_view(graph)
    if not view.listed:
        return Insights(notes=(
            "The graph names no reading list (no kg:listedIn): there is no list to compare the field with.",
        ))  # fmt: skip
    similarities = find_similarities(view)
    groups, modularity = find_partition(view, similarities, settings.seed)
    misfiled, judged = find_misfits(view, similarities)
    disconnected, unjudged = disconnected_topics(view)
    insights = Insights(
        candidates=find_candidates(view, k=settings.k, top=settings.top),
        derivatives=find_derivatives(view, k=settings.k, top=settings.top),
        misfiled=misfiled,
        communities=label_communities(view, groups, similarities),
        similarities=similarities,
        disconnected=disconnected,
        isolated=isolated_resources(view),
        modularity=modularity,
    )
    notes = _notes(view, insights, settings, judged, unjudged)
    log.info(
        "insights: %d candidates, %d derivatives, %d misfiled, %d communities, %d notes",
        len(insights.candidates), len(insights.derivatives), len(misfiled), len(insights.communities), len(notes),
    )
    return replace(insights, notes=tuple(sorted(notes)))


def _notes(
    view: FieldView, insights: Insights, settings: InsightSettings, judged: int, unjudged: tuple[str, ...]
) -> list[str]:
    """What the data is too thin to conclude, in plain words."""
    listed = len(view.listed)
    others = len(view.works) - listed
    links = sum(len(view.cites[w]) for w in view.works)
    silent = sum(1 for r in view.listed if not view.linked(r))
    unknown = sum(1 for r in view.listed if not view.known(r))
    notes = []
    if others == 0:
        notes.append(
            "The data holds no work beyond the list's own resources: candidates and derivatives need the works "
            "they cite and that cite them (build with Semantic Scholar, online or from its cache)."
        )
    if unknown:
        notes.append(
            f"{unknown} of {listed} list resources have no citation data (no source describes their references "
            "or citations), so nothing is concluded about their place in the field."
        )
    if not covered(view):
        notes.append(
            f"Only {listed - silent} of {listed} list resources have citations in the data (under "
            f"{COVERAGE:.0%}): too few to tell which topics are disconnected from the rest of the list."
        )
    if not insights.candidates and others:
        fewer = cited_by_fewer(view, settings.k)
        notes.append(
            f"No work outside the list is cited by {settings.k} or more list resources"
            + (f"; {fewer} are cited by fewer (--k 1 lists them)." if fewer and settings.k > 1 else ".")
        )
    if not insights.derivatives and others:
        notes.append(f"No work outside the list cites {settings.k} or more list resources.")
    if judged < listed:
        notes.append(
            f"Misfiled entries are judged only for list resources with {MIN_NEIGHBOURS} or more neighbours on "
            f"the list (by citation, co-citation or coupling): {judged} of {listed} have them."
        )
    if insights.modularity is None:
        notes.append(
            f"Too few citation links ({links} among {len(view.works)} works; {MIN_LINKS} at least) to look "
            "for communities."
        )
    elif insights.modularity < WEAK_MODULARITY:
        notes.append(
            f"The communities are weakly separated (modularity {insights.modularity:.2f}, below "
            f"{WEAK_MODULARITY}): read them as rough groupings."
        )
    if unjudged:
        names = ", ".join(view.labels.get(t, t) for t in unjudged[:5]) + (", …" if len(unjudged) > 5 else "")
        notes.append(
            f"{len(unjudged)} topics have no resource with a citation in the data, so whether they connect to "
            f"the rest of the list is unknown: {names}."
        )
    return notes
