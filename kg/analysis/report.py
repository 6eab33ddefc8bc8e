"""The insights as a report: JSON for scripts, text for a terminal, Markdown for an issue or
a pull request. Every claim comes with what it rests on.

JSON's top level has ``candidates``, ``derivatives``, ``misfiled``, ``communities``,
``disconnected_topics``, ``isolated``, ``similarities``, ``modularity``, ``notes`` and
``list`` (the list's IRI); the README lists the fields of each.
"""

from __future__ import annotations

from typing import Any

from kg.model.derived import Insights, Misfit
from kg.model.graph import KnowledgeGraph
from kg.model.nodes import Subject, WorkNode

__all__ = ["report_json", "report_text"]


def _title(graph: KnowledgeGraph, iri: str) -> str:
    node = graph.get(iri)
    if node is None:
        return iri
    if isinstance(node, WorkNode) and node.listing is not None and node.listing.title:
        return node.listing.title.strip() or node.label
    return node.label.strip() or iri


def _evidence(graph: KnowledgeGraph, misfit: Misfit) -> list[dict[str, Any]]:
    """Each neighbour behind a misfiling, how it is linked, and where the list files it."""
    cites = {cited for citing, cited in misfit.evidence if citing == misfit.resource}
    cited_by = {citing for citing, cited in misfit.evidence if cited == misfit.resource}
    similar = {end for pair in misfit.similar for end in pair} - {misfit.resource}
    out = []
    for neighbour in misfit.neighbours:
        links = [name for name, ends in (("cites", cites), ("cited by", cited_by), ("similar", similar))
                 if neighbour in ends]  # fmt: skip
        topics = sorted(t for t, _ in graph.out_edges(neighbour, Subject) if graph.get(t) is not None)
        out.append({"work": neighbour, "title": _title(graph, neighbour), "links": links, "topics": topics})
    return out


def report_json(graph: KnowledgeGraph, insights: Insights) -> dict[str, Any]:
    """The report as plain JSON data (IRIs as strings)."""
    return {
        "list": graph.meta.list_iri,
        "candidates": [
            {"work": c.work, "title": _title(graph, c.work), "score": c.score, "rank": c.rank,
             "cited_by": list(c.cited_by), "topic": c.topic,
             "topic_label": _title(graph, c.topic) if c.topic else None}
            for c in insights.candidates
        ],
        "derivatives": [
            {"work": d.work, "title": _title(graph, d.work), "score": d.score, "rank": d.rank,
             "year": _year(graph, d.work), "cites": list(d.cites)}
            for d in insights.derivatives
        ],
        "misfiled": [
            {"resource": m.resource, "title": _title(graph, m.resource), "topic": m.topic,
             "suggested_topic": m.suggested, "suggested_label": _title(graph, m.suggested),
             "agreement": m.agreement, "evidence": _evidence(graph, m)}
            for m in insights.misfiled
        ],
        "communities": [
            {"id": c.id, "label": c.label, "size": len(c.members), "members": list(c.members),
             "list_resources": [m for m in c.members if _listed(graph, m)], "terms": list(c.terms),
             "topics": list(c.topics), "fields": list(c.fields)}
            for c in insights.communities
        ],
        "disconnected_topics": list(insights.disconnected),
        "isolated": list(insights.isolated),
        "similarities": [
            {"works": list(s.ends), "cocitations": s.cocitations, "couplings": s.couplings}
            for s in insights.similarities
        ],
        "modularity": insights.modularity,
        "notes": list(insights.notes),
    }  # fmt: skip


def _year(graph: KnowledgeGraph, iri: str) -> int | None:
    node = graph.get(iri)
    return node.year if isinstance(node, WorkNode) else None


def _listed(graph: KnowledgeGraph, iri: str) -> bool:
    node = graph.get(iri)
    return isinstance(node, WorkNode) and node.in_list


def report_text(graph: KnowledgeGraph, insights: Insights, *, markdown: bool = False) -> str:
    """The report for people: plain text, or Markdown (links, headings)."""
    def name(iri: str) -> str:
        title = _title(graph, iri)
        if not markdown:
            return title
        safe = title.replace("[", "\\[").replace("]", "\\]")
        return f"[{safe}](<{iri}>)" if iri.startswith(("http://", "https://")) else safe

    def heading(text: str) -> str:
        return f"## {text}" if markdown else f"{text}\n{'-' * len(text)}"

    bullet = "- " if markdown else "  "
    lines = [f"# Insights: {graph.meta.title or 'the graph'}" if markdown else f"Insights: {graph.meta.title or 'the graph'}", ""]
    lines += [heading(f"Candidates ({len(insights.candidates)})")]
    for c in insights.candidates:
        topic = f" → {_title(graph, c.topic)}" if c.topic else " (no topic agreed)"
        lines.append(f"{bullet}{c.rank}. {name(c.work)}  score {c.score:g}{topic}")
        lines.append(f"{bullet}   cited by: " + "; ".join(name(r) for r in c.cited_by))
    lines += ["", heading(f"Derivatives ({len(insights.derivatives)})")]
    for d in insights.derivatives:
        year = _year(graph, d.work)
        lines.append(f"{bullet}{d.rank}. {name(d.work)}{f' ({year})' if year else ''}  score {d.score:g}")
        lines.append(f"{bullet}   cites: " + "; ".join(name(r) for r in d.cites))
    lines += ["", heading(f"Misfiled entries ({len(insights.misfiled)})")]
    for m in insights.misfiled:
        lines.append(f"{bullet}{name(m.resource)}: filed under {_title(graph, m.topic)}, its neighbours "
                     f"({m.agreement:.0%}) under {_title(graph, m.suggested)}")  # fmt: skip
        lines.append(f"{bullet}   neighbours: " + "; ".join(name(n) for n in m.neighbours))
    lines += ["", heading(f"Communities ({len(insights.communities)})")]
    if insights.modularity is not None:
        lines.append(f"{bullet}modularity {insights.modularity:.3f}")
    for community in insights.communities:
        listed = [m for m in community.members if _listed(graph, m)]
        lines.append(
            f"{bullet}{community.id}: {community.label} ({len(community.members)} works, {len(listed)} on the list)"
        )
        if listed:
            lines.append(f"{bullet}   on the list: " + "; ".join(name(m) for m in listed[:8]) + ("; …" if len(listed) > 8 else ""))
    lines += ["", heading(f"Disconnected topics ({len(insights.disconnected)})")]
    lines += [f"{bullet}{name(t)}" for t in insights.disconnected]
    lines += ["", heading(f"Isolated entries ({len(insights.isolated)})")]
    lines += [f"{bullet}{name(r)}" for r in insights.isolated]
    if insights.notes:
        lines += ["", heading("What the data cannot tell")]
        lines += [f"{bullet}{note}" for note in insights.notes]
    return "\n".join(lines).rstrip() + "\n"
