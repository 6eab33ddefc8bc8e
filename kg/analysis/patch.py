"""Candidates back to the list: a unified diff that adds them under their proposed topics,
in the list's own habits (:mod:`kg.read.list_style`).

The diff is text for the curator to read and apply (``git apply`` or ``patch -p1``);
nothing here writes the list. Each added item links the work by its most stable public
address (arXiv, else DOI, else its Semantic Scholar page, else the address a source gave),
so the next ``kg build`` identifies the same work and finds it under that topic.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError
from kg.model.derived import Candidate, Insights
from kg.model.graph import KnowledgeGraph
from kg.model.iris import topic_iri
from kg.model.nodes import WorkNode
from kg.read.list_style import Added, NewItem, Placement, add_items
from kg.read.markdown import parse_reading_list, read_list_text
from kg.read.topics import topic_paths

__all__ = ["ListPatch", "list_patch", "work_address"]


@dataclass(frozen=True, slots=True)
class ListPatch:
    diff: str
    """The unified diff ("" when nothing is added)."""
    added: tuple[tuple[str, Added], ...]
    """(work IRI, where its item went), in the order added."""
    skipped: tuple[tuple[str, str], ...]
    """(work IRI, why it was not added)."""


def work_address(work: WorkNode) -> str | None:
    """The address an item of the list gives ``work``: its most stable public page."""
    ids = work.ids
    if ids.arxiv:
        return f"https://arxiv.org/abs/{ids.arxiv}"
    if ids.doi:
        return f"https://doi.org/{ids.doi}"
    if ids.s2:
        return f"https://www.semanticscholar.org/paper/{ids.s2}"
    for address in (work.url, work.iri):
        if address and address.startswith(("https://", "http://")):
            return address
    return None


def _chosen(insights: Insights, accept: Sequence[str], top: int) -> Iterator[tuple[Candidate | None, str]]:
    """The candidates to add (or None with the IRI asked for, when it is no candidate)."""
    if accept:
        by_work = {c.work: c for c in insights.candidates}
        for iri in accept:
            yield by_work.get(iri), iri
        return
    with_topic = [c for c in insights.candidates if c.topic is not None]
    for candidate in with_topic[:top]:
        yield candidate, candidate.work


def list_patch(
    graph: KnowledgeGraph,
    list_path: Path,
    *,
    accept: Sequence[str] = (),
    top: int = 10,
    name: str | None = None,
) -> ListPatch:
    """The diff adding the accepted candidates of ``graph.insights`` (``accept``: their
    IRIs; else the ``top`` best that have a proposed topic) to the list at ``list_path``,
    which ``name`` (default: the path as given) names in the diff's headers.

    Raises KgError when the graph holds no insights or the list cannot be read.
    """
    if graph.insights is None:
        raise KgError("the graph holds no insights to write back (run kg insights on it)")
    text = read_list_text(list_path)
    reading_list = parse_reading_list(text, source=str(list_path))
    paths = topic_paths(reading_list)
    topics = {
        topic_iri(paths[e.key] + (e.title,), graph.meta.base_iri): paths[e.key] + (e.title,)
        for e in reading_list.entries if e.is_topic
    }  # fmt: skip
    placements: list[tuple[str, Placement]] = []
    skipped: list[tuple[str, str]] = []
    for candidate, iri in _chosen(graph.insights, accept, top):
        node = graph.get(iri)
        if candidate is None or not isinstance(node, WorkNode):
            skipped.append((iri, "not a candidate of this graph"))
        elif candidate.topic is None:
            skipped.append((iri, "its citers disagree on a topic"))
        elif candidate.topic not in topics:
            skipped.append((iri, "its proposed topic is not a section of this list"))
        elif (address := work_address(node)) is None:
            skipped.append((iri, "it has no public address to link"))
        else:
            placements.append((iri, Placement(_item(graph, node, address), topics[candidate.topic])))
    new_text, added, left_out = add_items(text, [p for _, p in placements])
    by_item = {id(p.item): iri for iri, p in placements}
    skipped += [(by_item[id(item)], reason) for item, reason in left_out]
    done = tuple((by_item[id(a.item)], a) for a in added)
    header = name or str(list_path)
    diff = _unified(text, new_text, header, _preamble(graph, done)) if added else ""
    return ListPatch(diff, done, tuple(skipped))


def _item(graph: KnowledgeGraph, work: WorkNode, address: str) -> NewItem:
    authors = tuple(graph.node(p).label for p in graph.authors(work.iri))
    return NewItem(
        title=(work.title or work.label).strip(), url=address, authors=authors, year=work.year, venue=work.venue,
        note=work.tldr,
    )


def _preamble(graph: KnowledgeGraph, added: Sequence[tuple[str, Added]]) -> str:
    """What the patch adds and why, above the diff (git apply and patch skip it)."""
    insights = graph.insights
    assert insights is not None
    by_work = {c.work: c for c in insights.candidates}
    lines = [f"kg insights: {len(added)} works the list's resources cite, added under their proposed topics", ""]
    for iri, where in added:
        candidate = by_work[iri]
        citers = "; ".join(graph.node(r).label for r in candidate.cited_by)
        lines.append(f"  {where.item.title} -> {' / '.join(where.topic)} (score {candidate.score:g}; cited by {citers})")
    return "\n".join(line.replace("\n", " ") for line in lines) + "\n\n"


def _unified(old: str, new: str, name: str, preamble: str) -> str:
    """A unified diff of the two texts, with "\\ No newline at end of file" where due."""
    out = [preamble]
    for line in difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{name}", f"b/{name}", n=3
    ):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
