"""The records of the graph: its nodes (works, people, topics), the edges between them, and
what the graph says about itself and its sources.

Every record is frozen: a stage that learns something new about a node makes a new record
(``dataclasses.replace``) and puts it in the graph. Sequences are tuples; the unordered ones
(publication types, intents, provenance) are kept sorted, so two graphs that say the same
things have equal records, whichever way they were made (built from sources or read from
Turtle). :mod:`kg.rdf.mapping` says how each field is written in RDF.

>>> from dataclasses import replace
>>> work = WorkNode(iri="https://arxiv.org/abs/1702.08489", label="A title", kind="Preprint")
>>> work.group, work.in_list, replace(work, year=2017).year
('work', False, 2017)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, TypeVar, cast

from kg.model.records import Identifiers, Link
from kg.model.vocab import DEFAULT_BASE_IRI

__all__ = [
    "WORK",
    "PERSON",
    "TOPIC",
    "GROUPS",
    "CITES",
    "CREATOR",
    "CONTRIBUTOR",
    "SUBJECT",
    "BROADER",
    "PART_OF",
    "RELATIONS",
    "Provenance",
    "Source",
    "GraphMeta",
    "Listing",
    "Node",
    "WorkNode",
    "PersonNode",
    "TopicNode",
    "Edge",
    "Cites",
    "Creator",
    "Contributor",
    "Subject",
    "Broader",
    "PartOf",
    "EDGE_TYPES",
    "BARE_CITATION",
    "default_edge",
]

# Node groups
WORK = "work"
PERSON = "person"
TOPIC = "topic"
GROUPS = (WORK, PERSON, TOPIC)

# Relations (the keys of the edges)
CITES = "cites"
CREATOR = "creator"
CONTRIBUTOR = "contributor"
SUBJECT = "subject"
BROADER = "broader"
PART_OF = "part_of"
RELATIONS = (CITES, CREATOR, CONTRIBUTOR, SUBJECT, BROADER, PART_OF)


def _sorted(*parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({item for part in parts for item in part}))


@dataclass(frozen=True, slots=True, kw_only=True)
class Provenance:
    """Where the facts about a node or a citation come from, as the RDF states it."""

    derived_from: tuple[str, ...] = ()
    """IRIs of what the facts were derived from: the reading list, the bundled facts, the
    API responses kg fetched (``prov:wasDerivedFrom``). Sorted."""
    sources: tuple[str, ...] = ()
    """Pages the bundled facts were read from (``dcterms:source``). Sorted."""
    notes: tuple[str, ...] = ()
    """Sources without an address, named in words: "ontology/extensions/x.ttl, line 9"
    (``kg:sourceDescription``). Sorted."""

    def __bool__(self) -> bool:
        return bool(self.derived_from or self.sources or self.notes)

    def merge(self, other: Provenance) -> Provenance:
        """Everything both say.

        >>> Provenance(derived_from=("b",)).merge(Provenance(derived_from=("a", "b"))).derived_from
        ('a', 'b')
        """
        if not other or other == self:
            return self
        return Provenance(
            derived_from=_sorted(self.derived_from, other.derived_from),
            sources=_sorted(self.sources, other.sources),
            notes=_sorted(self.notes, other.notes),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """Something facts were derived from (a ``prov:Entity``): an API response, the bundled facts."""

    iri: str
    label: str | None = None
    retrieved: str | None = None
    """When kg fetched it (ISO 8601 date-time), for API responses."""


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphMeta:
    """What the graph says about itself: the reading list it was built from."""

    title: str | None = None
    """The list's title (its first heading, else its file name)."""
    description: str | None = None
    """The list's introduction."""
    list_iri: str | None = None
    """IRI of the reading list (a ``kg:ReadingList``); None for a graph made elsewhere."""
    base_iri: str = DEFAULT_BASE_IRI
    """Where IRIs of things without a stable identifier live."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Listing:
    """What a reading list says about one of its resources, in its own words."""

    list_iri: str
    """The list that names the resource (``kg:listedIn``)."""
    title: str = ""
    """The link text, as written (``kg:listedTitle``)."""
    line: int | None = None
    """Line of the file the item starts on (the list's, or an extension's)."""
    number: str | None = None
    """The curator's number as written ("6.2"); lists repeat numbers, so it identifies nothing."""
    year: int | None = None
    """The year the list writes beside the item."""
    venue: str | None = None
    """Where the list says the work appeared, as written ("ICML", "IEEE TNN", "arxiv")."""
    authors: tuple[str, ...] = ()
    """The names the list gives as the work's authors, in the order written (not sorted:
    a byline). The people they name are the work's creators when no source gives a byline."""
    et_al: bool = False
    """The list's byline names only some of the authors ("et al.", "等")."""
    note: str | None = None
    """The curator's note."""
    note_lang: str | None = None
    """BCP 47 language of ``note`` (always set when there is a note)."""
    related: tuple[Link, ...] = ()
    """Further links of the item (code, slides, a mirror) with their text, in list order."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """What every node has: an IRI (its key in the graph), a label to show, provenance."""

    group: ClassVar[str]
    iri: str
    label: str
    provenance: Provenance = Provenance()


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkNode(Node):
    """A work: anything that can be listed or cited (paper, book, course, post, repository…)."""

    group: ClassVar[str] = WORK
    kind: str = "Work"
    """Its class: a local name of the kg ontology ("Preprint") or a full class IRI (a kind
    an extension declares outside the kg namespace). See :mod:`kg.model.kinds`."""
    title: str | None = None
    """The canonical title a source gives (``label`` is what to show: title, else the link
    text, else how a source names it)."""
    year: int | None = None
    venue: str | None = None
    ids: Identifiers = Identifiers()
    """Its stable identifiers (never ``url`` or ``local``: those only named it for the build)."""
    url: str | None = None
    """The address the list gives it (or, in a graph made elsewhere, its page)."""
    citation_count: int | None = None
    influential_citation_count: int | None = None
    reference_count: int | None = None
    citations_fetched: int | None = None
    """How many citing works were fetched (less than ``citation_count`` when capped)."""
    tldr: str | None = None
    abstract: str | None = None
    open_access_pdf: str | None = None
    publication_types: tuple[str, ...] = ()
    """As the source labels them (sorted)."""
    listing: Listing | None = None
    """What the reading list says about it; None for works no list names."""
    pagerank: float | None = None
    """PageRank in the citation network (:mod:`kg.analysis.pagerank`); computed, not stored
    in the RDF."""

    @property
    def in_list(self) -> bool:
        return self.listing is not None

    @property
    def shown_year(self) -> int | None:
        """The year to show: the source's, else the one the list writes."""
        return self.year if self.year is not None else self.listing.year if self.listing else None

    @property
    def shown_venue(self) -> str | None:
        """The venue to show: the source's, else the one the list writes."""
        return self.venue or (self.listing.venue if self.listing else None)


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonNode(Node):
    """An author or contributor; ``label`` is the name."""

    group: ClassVar[str] = PERSON
    s2_author_id: str | None = None
    orcid: str | None = None
    """The 16-character ORCID iD (``0000-0002-1825-0097``), without its address."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TopicNode(Node):
    """A topic (a SKOS concept): a section of the list, a link-less item, a field of study."""

    group: ClassVar[str] = TOPIC
    scheme: str | None = None
    """IRI of its concept scheme: the reading list, or the fields of study of a source."""
    line: int | None = None
    number: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Edge:
    """What an edge says besides its ends; ``relation`` is its key in the graph."""

    relation: ClassVar[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class Cites(Edge):
    """A work cites another (work → cited work)."""

    relation: ClassVar[str] = CITES
    provenance: Provenance = Provenance()
    """The curated sources (the list, the bundled facts) that state the citation. A citation
    an API answered with is not traced back to each response: the works' own provenance
    names those, and a 50,000-paper graph would otherwise triple in size."""
    is_influential: bool = False
    """Whether the source judges the citing work to build on the cited one."""
    intents: tuple[str, ...] = ()
    """Intent labels the source gives (background, methodology, result), sorted."""

    def merge(self, other: Cites) -> Cites:
        """What both say about the same citation."""
        merged = Cites(
            provenance=self.provenance.merge(other.provenance),
            is_influential=self.is_influential or other.is_influential,
            intents=_sorted(self.intents, other.intents),
        )
        return self if merged == self else merged


@dataclass(frozen=True, slots=True, kw_only=True)
class Creator(Edge):
    """An author of a work (work → person)."""

    relation: ClassVar[str] = CREATOR
    position: int = 0
    """0-based place in the byline; the authors of a work are numbered 0, 1, 2… without a gap."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Contributor(Edge):
    """Someone who contributed to a work without being an author (work → person)."""

    relation: ClassVar[str] = CONTRIBUTOR


@dataclass(frozen=True, slots=True, kw_only=True)
class Subject(Edge):
    """What a work is about (work → topic)."""

    relation: ClassVar[str] = SUBJECT


@dataclass(frozen=True, slots=True, kw_only=True)
class Broader(Edge):
    """A topic's broader topic (topic → broader topic)."""

    relation: ClassVar[str] = BROADER


@dataclass(frozen=True, slots=True, kw_only=True)
class PartOf(Edge):
    """A work contained in another: a post in its blog, an item under another (work → whole)."""

    relation: ClassVar[str] = PART_OF


E = TypeVar("E", bound=Edge)


_DEFAULT_EDGES: dict[type[Edge], Edge] = {}


def default_edge(kind: type[E]) -> E:
    """The record of an edge with nothing to say beyond its relation, shared by all of them."""
    if kind not in _DEFAULT_EDGES:
        _DEFAULT_EDGES[kind] = kind()
    return cast(E, _DEFAULT_EDGES[kind])


BARE_CITATION = default_edge(Cites)
"""A citation with nothing more to say: one record shared by most of a large field's."""

EDGE_TYPES: dict[str, type[Edge]] = {
    edge.relation: edge for edge in (Cites, Creator, Contributor, Subject, Broader, PartOf)
}
"""The record type of each relation."""
