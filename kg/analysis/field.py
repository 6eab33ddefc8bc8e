"""The graph as the analyses of :mod:`kg.analysis.insights` see it: the citation network of
the works, the list's resources and where the list files them, and the topic tree.

Built once per analysis run (:func:`field_view`), in sorted order, so that every result
that depends on an order is the same however the graph was filled.

>>> from kg.model.nodes import Cites, GraphMeta, Listing, Subject, TopicNode, WorkNode
>>> g = KnowledgeGraph(GraphMeta(list_iri="L"))
>>> g.add(TopicNode(iri="t", label="T", scheme="L"))
>>> for w in ("a", "b", "x"):
...     g.add(WorkNode(iri=w, label=w, listing=Listing(list_iri="L") if w != "x" else None))
>>> g.link("a", "t", Subject()); g.link("a", "x", Cites()); g.link("b", "a", Cites())
>>> view = field_view(g)
>>> sorted(view.listed), view.cites["a"], view.topics_of["a"], view.core["a"], view.core["b"]
(['a', 'b'], frozenset({'x'}), ('t',), 1.0, 1.0)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from kg.model.graph import KnowledgeGraph
from kg.model.iris import fields_scheme_iri
from kg.model.nodes import Broader, Cites, Subject, WorkNode

__all__ = ["FieldView", "field_view", "TopicVote", "vote", "resource_ballots", "AGREEMENT"]

AGREEMENT = 0.6
"""The share of the votes a topic needs to be proposed (for a candidate) or suggested (for
a misfiled entry): a clear majority, so that a split vote proposes nothing."""


@dataclass(frozen=True, slots=True)
class FieldView:
    """The citation network and the list's structure, as plain mappings of IRIs."""

    works: tuple[str, ...]
    """Every work, sorted."""
    records: Mapping[str, WorkNode]
    listed: frozenset[str]
    """The list's resources."""
    cites: Mapping[str, frozenset[str]]
    """Work -> the works it cites (every work has an entry)."""
    cited_by: Mapping[str, frozenset[str]]
    """Work -> the works citing it."""
    topics_of: Mapping[str, tuple[str, ...]]
    """List resource -> the list topics it is filed under (most specific, in list order)."""
    broader: Mapping[str, str]
    """Topic -> its broader topic (one: the first by IRI where a foreign graph gives several)."""
    order: Mapping[str, tuple[int, str]]
    """Topic -> (line, IRI): the list's order, for ties."""
    labels: Mapping[str, str]
    """Topic -> its label."""
    trivial: frozenset[str]
    """Topics at the top of the list that every filed resource sits under (the list's
    title): they propose nothing. A section holding everything below the title may."""
    core: Mapping[str, float]
    """List resource -> how central it is to the list, 0-1: the list resources it cites or
    is cited by, over the most any list resource has."""
    fields_of: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Work -> the fields of study (source topics) it is about."""

    def weight(self, resource: str) -> float:
        """A list resource's vote: 1, up to 2 for the list's core."""
        return 1.0 + self.core.get(resource, 0.0)

    def ancestors(self, topic: str) -> list[str]:
        """The broader topics of ``topic``, nearest first (a cycle in foreign data ends it)."""
        found: list[str] = []
        current = self.broader.get(topic)
        while current is not None and current != topic and current not in found:
            found.append(current)
            current = self.broader.get(current)
        return found

    def within(self, topic: str, ancestor: str) -> bool:
        """Whether ``topic`` is ``ancestor`` or narrower than it."""
        return topic == ancestor or ancestor in self.ancestors(topic)

    def related(self, a: str, b: str) -> bool:
        """Whether one of the topics is the other or narrower than it."""
        return self.within(a, b) or self.within(b, a)

    def linked(self, work: str) -> frozenset[str]:
        """The works ``work`` cites or is cited by."""
        return self.cites[work] | self.cited_by[work]

    def known(self, work: str) -> bool:
        """Whether the data says anything of the work's citations: it has some in the graph,
        or a source counted them (a paper with no references and no citations is known;
        a course page no source describes is not)."""
        record = self.records[work]
        return bool(self.linked(work)) or record.citation_count is not None or record.reference_count is not None


def field_view(graph: KnowledgeGraph) -> FieldView:
    """The view of ``graph`` the analyses share (see :class:`FieldView`)."""
    records = {w.iri: w for w in graph.works()}
    works = tuple(sorted(records))
    listed = frozenset(iri for iri, w in records.items() if w.in_list)
    out: dict[str, set[str]] = {w: set() for w in works}
    into: dict[str, set[str]] = {w: set() for w in works}
    for source, target, _ in graph.edges(Cites):
        if source != target and source in records and target in records:
            out[source].add(target)
            into[target].add(source)
    list_iri = graph.meta.list_iri
    fields_scheme = fields_scheme_iri(graph.meta.base_iri)
    topics = {t.iri: t for t in graph.topics()}
    own = {iri for iri, t in topics.items() if t.scheme == list_iri and list_iri is not None}
    order = {iri: (t.line if t.line is not None else 1 << 30, iri) for iri, t in topics.items()}
    topics_of: dict[str, tuple[str, ...]] = {}
    fields_of: dict[str, tuple[str, ...]] = {}
    for work in works:
        about = [t for t, _ in graph.out_edges(work, Subject) if t in topics]
        if work in listed:
            filed = sorted((t for t in about if t in own), key=order.__getitem__)
            if filed:
                topics_of[work] = tuple(filed)
        studied = sorted(t for t in about if topics[t].scheme == fields_scheme)
        if studied:
            fields_of[work] = tuple(studied)
    broader: dict[str, str] = {}
    for source, target, _ in sorted(graph.edges(Broader)):
        broader.setdefault(source, target)
    view = FieldView(
        works=works,
        records=records,
        listed=listed,
        cites={w: frozenset(s) for w, s in out.items()},
        cited_by={w: frozenset(s) for w, s in into.items()},
        topics_of=topics_of,
        broader=broader,
        order=order,
        labels={iri: t.label for iri, t in topics.items()},
        trivial=frozenset(),
        core={},
        fields_of=fields_of,
    )
    return _finish(view)


def _finish(view: FieldView) -> FieldView:
    """The list's core and its trivial topics, which need the rest of the view."""
    degree = {r: len(view.linked(r) & view.listed) for r in sorted(view.listed)}
    most = max(degree.values(), default=0)
    core = {r: round(d / most, 6) if most else 0.0 for r, d in degree.items()}
    covered: dict[str, int] = defaultdict(int)
    for topics in view.topics_of.values():
        for topic in {a for t in topics for a in (t, *view.ancestors(t))}:
            covered[topic] += 1
    everyone = len(view.topics_of)
    trivial = frozenset(t for t, n in covered.items() if everyone and n == everyone and t not in view.broader)
    return replace(view, core=core, trivial=trivial)


@dataclass(frozen=True, slots=True)
class TopicVote:
    """The outcome of a weighted vote for a topic."""

    topic: str | None
    """The most specific topic with :data:`AGREEMENT` of the votes (counting the votes for
    narrower topics), else None."""
    share: float
    """Its share of the votes (0 when none)."""


def vote(view: FieldView, ballots: Iterable[tuple[str, float]], agreement: float = AGREEMENT) -> TopicVote:
    """The topic ``ballots`` (topic, weight) agree on.

    A vote for a topic is a vote for each broader topic too, so resources filed under two
    sister subsections agree on their section. The most specific topic holding at least
    ``agreement`` of the votes wins (a trivial topic never does); ties go to the larger
    support, then to the topic that comes first in the list.
    """
    support: dict[str, float] = defaultdict(float)
    total = 0.0
    for topic, weight in ballots:
        total += weight
        for held in (topic, *view.ancestors(topic)):
            support[held] += weight
    if total <= 0:
        return TopicVote(None, 0.0)
    eligible = [t for t, s in support.items() if s >= agreement * total - 1e-9 and t not in view.trivial]
    if not eligible:
        return TopicVote(None, 0.0)
    best = min(eligible, key=lambda t: (-len(view.ancestors(t)), -support[t], view.order.get(t, (1 << 30, t))))
    return TopicVote(best, round(support[best] / total, 3))


def resource_ballots(view: FieldView, resources: Iterable[str], weighted: bool = True) -> list[tuple[str, float]]:
    """Each resource's vote, split evenly among the topics it is filed under."""
    ballots = []
    for resource in resources:
        topics = view.topics_of.get(resource, ())
        for topic in topics:
            ballots.append((topic, (view.weight(resource) if weighted else 1.0) / len(topics)))
    return ballots
