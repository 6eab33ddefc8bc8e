"""Derived facts: what kg concludes from the graph (:mod:`kg.analysis`), with the facts
behind each conclusion.

They are records like the nodes' (frozen, sequences as sorted tuples where order means
nothing), held by the graph as one :class:`Insights` (``KnowledgeGraph.insights``) and
written to RDF as resources of their own that are ``prov:wasDerivedFrom`` the statements
behind them (:mod:`kg.rdf.derived`). Evidence is named by the citation edges it rests on,
as ``(citing, cited)`` pairs of IRIs, and by the similarities (:class:`Similarity`) it
rests on, as the pairs of works they join.

>>> c = Candidate(work="w", score=2.5, rank=1, evidence=(("r1", "w"), ("r2", "w")))
>>> c.cited_by
('r1', 'r2')
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Pair",
    "Candidate",
    "Derivative",
    "Similarity",
    "Misfit",
    "Community",
    "Insights",
]

Pair = tuple[str, str]
"""Two IRIs: a citation (citing, cited), or the two works a similarity joins (sorted)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """A work not on the list that list resources cite: a candidate to add to the list."""

    work: str
    score: float
    """See :mod:`kg.analysis.candidates` for the formula (rounded to 3 decimals)."""
    rank: int
    """1 for the best candidate."""
    topic: str | None = None
    """The list topic proposed for it (the weighted vote of its citers' topics); None when
    they disagree too much."""
    evidence: tuple[Pair, ...] = ()
    """The citations (list resource, work), sorted."""

    @property
    def cited_by(self) -> tuple[str, ...]:
        return tuple(sorted({citing for citing, _ in self.evidence}))


@dataclass(frozen=True, slots=True, kw_only=True)
class Derivative:
    """A work not on the list that cites several list resources: the list's field moving on."""

    work: str
    score: float
    rank: int
    evidence: tuple[Pair, ...] = ()
    """The citations (work, list resource), sorted."""

    @property
    def cites(self) -> tuple[str, ...]:
        return tuple(sorted({cited for _, cited in self.evidence}))


@dataclass(frozen=True, slots=True, kw_only=True)
class Similarity:
    """Two list resources the field treats as related without one citing the other:
    works cite both (co-citation) or both cite the same works (bibliographic coupling)."""

    ends: Pair
    """The two resources, sorted."""
    cocitations: int = 0
    """How many works cite both."""
    couplings: int = 0
    """How many works both cite."""
    evidence: tuple[Pair, ...] = ()
    """Some of the citations behind the counts (a few works of each kind), sorted."""

    @property
    def strength(self) -> int:
        return self.cocitations + self.couplings


@dataclass(frozen=True, slots=True, kw_only=True)
class Misfit:
    """A list resource whose neighbourhood on the list lies mostly under another topic."""

    resource: str
    topic: str
    """Where the list files it."""
    suggested: str
    """The topic its neighbours are mostly filed under."""
    agreement: float
    """The share of its neighbours under ``suggested`` (0-1, rounded to 3 decimals)."""
    evidence: tuple[Pair, ...] = ()
    """Citations between it and its neighbours, sorted."""
    similar: tuple[Pair, ...] = ()
    """Similarities joining it to its neighbours (see :class:`Similarity`), sorted."""

    @property
    def neighbours(self) -> tuple[str, ...]:
        ends = {end for pair in (*self.evidence, *self.similar) for end in pair}
        return tuple(sorted(ends - {self.resource}))


@dataclass(frozen=True, slots=True, kw_only=True)
class Community:
    """A group of works more linked with one another than with the rest of the field."""

    number: int
    """1 for the largest; its id is ``c<number>``."""
    label: str
    members: tuple[str, ...] = ()
    """Every work in it, sorted."""
    terms: tuple[str, ...] = ()
    """Title terms distinctive of it against the whole field (sorted; the label has them
    in order of weight)."""
    topics: tuple[str, ...] = ()
    """List topics its list resources are filed under, sorted."""
    fields: tuple[str, ...] = ()
    """Fields of study (topics of the source) most of its works share, sorted."""
    evidence: tuple[Pair, ...] = ()
    """Citations between its list resources, sorted."""
    similar: tuple[Pair, ...] = ()
    """Similarities between its list resources, sorted."""

    @property
    def id(self) -> str:
        return f"c{self.number}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Insights:
    """Everything :func:`kg.analysis.insights.compute_insights` concludes about a graph."""

    candidates: tuple[Candidate, ...] = ()
    """Best first."""
    derivatives: tuple[Derivative, ...] = ()
    """Best first."""
    misfiled: tuple[Misfit, ...] = ()
    """Clearest first."""
    communities: tuple[Community, ...] = ()
    """Largest first."""
    similarities: tuple[Similarity, ...] = ()
    """Sorted by their ends."""
    disconnected: tuple[str, ...] = ()
    """List topics whose resources have no citation path to the rest of the list, sorted."""
    isolated: tuple[str, ...] = ()
    """List resources with no citation at all, sorted."""
    modularity: float | None = None
    """Modularity of the communities (rounded to 3 decimals); None when none were sought."""
    notes: tuple[str, ...] = ()
    """What the data is too thin to say, in words; sorted."""

    def named_works(self) -> set[str]:
        """Every work a finding names (not the members of communities): what a map that
        shows only part of the graph must keep."""
        named: set[str] = set(self.isolated)
        for found in self.candidates:
            named.add(found.work)
            named.update(found.cited_by)
        for derivative in self.derivatives:
            named.add(derivative.work)
            named.update(derivative.cites)
        for misfit in self.misfiled:
            named.add(misfit.resource)
            named.update(misfit.neighbours)
        return named

    def evidence_pairs(self) -> set[Pair]:
        """Every citation some finding rests on."""
        pairs: set[Pair] = set()
        for findings in (self.candidates, self.derivatives, self.similarities, self.misfiled, self.communities):
            for found in findings:
                pairs.update(found.evidence)
        return pairs
