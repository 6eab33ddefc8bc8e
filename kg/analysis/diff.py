"""What changed in the field between two builds: works, citations, the list, its topics,
how its resources are described, candidates, communities.

Works, topics and citations are compared by IRI; a resource both lists have is *described
differently* when its title, year, venue, authors (in order) or topics changed (the list
was edited, or read better). Works outside the list are not compared so: what a source says
of thousands of them would drown what the curator changed. Candidates and communities are compared as
each build reported them: the insights a file holds (``kg build`` stores them), computed
with the default settings for a file that holds none. Communities have no identity
across builds, so they are matched by the works both builds have:

- an old community **split** when two or more new communities each draw at least half of
  their shared works from it;
- old communities **merged** when two or more of them each put at least half of their
  shared works into one new community.

Only overlaps of two works or more count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.analysis.insights import compute_insights
from kg.model.derived import Community, Insights, Pair
from kg.model.graph import KnowledgeGraph
from kg.model.nodes import Cites, Subject, WorkNode

__all__ = ["CommunityChange", "FieldDiff", "field_diff", "diff_json", "diff_text"]

_MOSTLY = 0.5


@dataclass(frozen=True, slots=True)
class CommunityChange:
    """One community that split into several, or several that merged into one."""

    before: tuple[tuple[str, str], ...]
    """(id, label) of the old communities."""
    after: tuple[tuple[str, str], ...]
    """(id, label) of the new ones."""


@dataclass(frozen=True, slots=True)
class FieldDiff:
    added_works: tuple[str, ...] = ()
    removed_works: tuple[str, ...] = ()
    added_citations: tuple[Pair, ...] = ()
    removed_citations: tuple[Pair, ...] = ()
    added_resources: tuple[str, ...] = ()
    """Works on the new list that the old one did not have."""
    removed_resources: tuple[str, ...] = ()
    added_topics: tuple[str, ...] = ()
    removed_topics: tuple[str, ...] = ()
    described_differently: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(resource, what changed: ``title``, ``year``, ``venue``, ``authors``, ``topics``) of
    the resources both lists have."""
    list_citations: tuple[Pair, ...] = ()
    """The added citations of list resources (the cited end is on the new list)."""
    new_candidates: tuple[tuple[str, int], ...] = ()
    """(work, rank) of candidates the old report did not have."""
    risen_candidates: tuple[tuple[str, int, int], ...] = ()
    """(work, old rank, new rank) of candidates that rose."""
    splits: tuple[CommunityChange, ...] = ()
    merges: tuple[CommunityChange, ...] = ()

    def summary(self) -> str:
        """One line: what changed, or that nothing did."""
        parts = [
            f"+{len(self.added_works):,} works" if self.added_works else "",
            f"-{len(self.removed_works):,} works" if self.removed_works else "",
            (f"+{len(self.added_citations):,} citations ({len(self.list_citations):,} of list resources)"
             if self.added_citations else ""),  # fmt: skip
            f"-{len(self.removed_citations):,} citations" if self.removed_citations else "",
            f"+{len(self.added_resources)} on the list" if self.added_resources else "",
            f"-{len(self.removed_resources)} from the list" if self.removed_resources else "",
            f"+{len(self.added_topics)} topics" if self.added_topics else "",
            f"-{len(self.removed_topics)} topics" if self.removed_topics else "",
            (f"{len(self.described_differently):,} resources described differently"
             if self.described_differently else ""),  # fmt: skip
            f"{len(self.new_candidates)} new candidates" if self.new_candidates else "",
            f"{len(self.risen_candidates)} candidates rose" if self.risen_candidates else "",
            f"{len(self.splits)} communities split" if self.splits else "",
            f"{len(self.merges)} merges of communities" if self.merges else "",
        ]
        said = [p for p in parts if p]
        return ", ".join(said) if said else "no change"


def _works(graph: KnowledgeGraph) -> dict[str, WorkNode]:
    return {w.iri: w for w in graph.works()}


def _description(graph: KnowledgeGraph, work: WorkNode) -> dict[str, object]:
    """What a build says of a work, field by field, as :func:`field_diff` compares it."""
    return {
        "title": work.label,
        "year": work.shown_year,
        "venue": work.shown_venue,
        "authors": tuple(graph.node(p).label for p in graph.authors(work.iri)),
        "topics": frozenset(t for t, _ in graph.out_edges(work.iri, Subject)),
    }


def _described_differently(
    old: KnowledgeGraph, new: KnowledgeGraph, resources: set[str]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    changed = []
    for iri in sorted(resources):
        before, after = old.node(iri), new.node(iri)
        assert isinstance(before, WorkNode) and isinstance(after, WorkNode)
        was, now = _description(old, before), _description(new, after)
        fields = tuple(name for name in was if was[name] != now[name])
        if fields:
            changed.append((iri, fields))
    return tuple(changed)


def _insights(graph: KnowledgeGraph) -> Insights:
    return graph.insights if graph.insights is not None else compute_insights(graph)


def field_diff(old: KnowledgeGraph, new: KnowledgeGraph) -> FieldDiff:
    """What changed from ``old`` to ``new`` (see the module docstring)."""
    before, after = _works(old), _works(new)
    cites_before = {(u, v) for u, v, _ in old.edges(Cites)}
    cites_after = {(u, v) for u, v, _ in new.edges(Cites)}
    listed_before = {w for w, n in before.items() if n.in_list}
    listed_after = {w for w, n in after.items() if n.in_list}
    added_citations = sorted(cites_after - cites_before)
    old_insights, new_insights = _insights(old), _insights(new)
    old_ranks = {c.work: c.rank for c in old_insights.candidates}
    common = set(before) & set(after)
    topics_before, topics_after = {t.iri for t in old.topics()}, {t.iri for t in new.topics()}
    return FieldDiff(
        added_works=tuple(sorted(set(after) - set(before))),
        removed_works=tuple(sorted(set(before) - set(after))),
        added_citations=tuple(added_citations),
        removed_citations=tuple(sorted(cites_before - cites_after)),
        added_resources=tuple(sorted(listed_after - listed_before)),
        removed_resources=tuple(sorted(listed_before - listed_after)),
        added_topics=tuple(sorted(topics_after - topics_before)),
        removed_topics=tuple(sorted(topics_before - topics_after)),
        described_differently=_described_differently(old, new, listed_before & listed_after),
        list_citations=tuple(p for p in added_citations if p[1] in listed_after),
        new_candidates=tuple((c.work, c.rank) for c in new_insights.candidates if c.work not in old_ranks),
        risen_candidates=tuple(
            (c.work, old_ranks[c.work], c.rank) for c in new_insights.candidates
            if c.work in old_ranks and c.rank < old_ranks[c.work]
        ),  # fmt: skip
        splits=_moves(old_insights.communities, new_insights.communities, common, split=True),
        merges=_moves(old_insights.communities, new_insights.communities, common, split=False),
    )


def _moves(
    before: tuple[Community, ...], after: tuple[Community, ...], common: set[str], *, split: bool
) -> tuple[CommunityChange, ...]:
    """Splits (one old community feeding several new ones) or merges (several old ones
    feeding one new one)."""
    sources, targets = (before, after) if split else (after, before)
    changes = []
    for source in sources:
        shared = set(source.members) & common
        fed = []
        for target in targets:
            target_shared = set(target.members) & common
            overlap = len(shared & target_shared)
            # A split: each new community is mostly from the old one; a merge: each old
            # one went mostly into the new one. Either way, mostly of the target's works.
            if overlap >= 2 and overlap >= _MOSTLY * len(target_shared):
                fed.append(target)
        if len(fed) >= 2:
            one = ((source.id, source.label),)
            many = tuple((c.id, c.label) for c in fed)
            changes.append(CommunityChange(one, many) if split else CommunityChange(many, one))
    return tuple(changes)


def diff_json(diff: FieldDiff, old: KnowledgeGraph, new: KnowledgeGraph) -> dict[str, Any]:
    """The diff as JSON data (titles from the graph each side has them in)."""
    def title(iri: str) -> str:
        node = new.get(iri) or old.get(iri)
        return node.label if node is not None else iri

    def change(c: CommunityChange) -> dict[str, Any]:
        return {"before": [{"id": i, "label": lab} for i, lab in c.before],
                "after": [{"id": i, "label": lab} for i, lab in c.after]}  # fmt: skip

    return {
        "summary": diff.summary(),
        "added_works": list(diff.added_works),
        "removed_works": list(diff.removed_works),
        "added_citations": [list(p) for p in diff.added_citations],
        "removed_citations": [list(p) for p in diff.removed_citations],
        "added_resources": list(diff.added_resources),
        "removed_resources": list(diff.removed_resources),
        "added_topics": [{"topic": t, "label": title(t)} for t in diff.added_topics],
        "removed_topics": [{"topic": t, "label": title(t)} for t in diff.removed_topics],
        "described_differently": [{"work": w, "title": title(w), "changed": list(fields)}
                                  for w, fields in diff.described_differently],  # fmt: skip
        "new_citations_of_list": [list(p) for p in diff.list_citations],
        "candidates_appeared": [{"work": w, "title": title(w), "rank": r} for w, r in diff.new_candidates],
        "candidates_rose": [{"work": w, "title": title(w), "old_rank": o, "new_rank": n}
                            for w, o, n in diff.risen_candidates],  # fmt: skip
        "communities_split": [change(c) for c in diff.splits],
        "communities_merged": [change(c) for c in diff.merges],
    }


def diff_text(diff: FieldDiff, old: KnowledgeGraph, new: KnowledgeGraph, *, markdown: bool = False) -> str:
    """The diff for people, in text or Markdown."""
    data = diff_json(diff, old, new)
    bullet = "- " if markdown else "  "
    lines = [("# " if markdown else "") + f"Changes: {data['summary']}", ""]

    def section(name: str, items: list[str]) -> None:
        if items:
            lines.extend([("## " if markdown else "") + f"{name} ({len(items)})"])
            lines.extend(f"{bullet}{item}" for item in items[:50])
            if len(items) > 50:
                lines.append(f"{bullet}… and {len(items) - 50} more")
            lines.append("")

    def title(iri: str) -> str:
        node = new.get(iri) or old.get(iri)
        return node.label if node is not None else iri

    section("Works added", [title(w) for w in diff.added_works])
    section("Works removed", [title(w) for w in diff.removed_works])
    section("New citations of list resources", [f"{title(u)} → {title(v)}" for u, v in diff.list_citations])
    section("Added to the list", [title(w) for w in diff.added_resources])
    section("Removed from the list", [title(w) for w in diff.removed_resources])
    section("Topics added", [title(t) for t in diff.added_topics])
    section("Topics removed", [title(t) for t in diff.removed_topics])
    section("Resources described differently",
            [f"{title(w)}: {', '.join(fields)}" for w, fields in diff.described_differently])  # fmt: skip
    section("New candidates", [f"{r}. {title(w)}" for w, r in diff.new_candidates])
    section("Candidates that rose", [f"{title(w)}: {o} → {n}" for w, o, n in diff.risen_candidates])
    section("Communities that split", [
        f"{c.before[0][1]} → " + " | ".join(lab for _, lab in c.after) for c in diff.splits])
    section("Communities that merged", [
        " + ".join(lab for _, lab in c.before) + f" → {c.after[0][1]}" for c in diff.merges])
    return "\n".join(lines).rstrip() + "\n"
