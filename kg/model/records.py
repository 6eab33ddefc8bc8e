"""Plain data records passed between the pipeline stages.

Each stage takes records and returns records; none of them knows about files, HTTP or RDF.

- :class:`Entry` — one item of the reading list, as the curator wrote it (``readinglist``).
- :class:`Identifiers` — the stable identifiers a URL or a source gives a work (``identifiers``).
- :class:`Work`, :class:`Person`, :class:`Citation`, :class:`Origin` — what a source
  (the bundled snapshot, Semantic Scholar) says about works (``sources``).
- :class:`Corpus` — everything the sources said, ready to become a graph (``graph``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from operator import attrgetter

__all__ = [
    "Link",
    "Entry",
    "ReadingList",
    "Identifiers",
    "Origin",
    "Person",
    "Work",
    "Citation",
    "Corpus",
    "MAX_TEXT",
]

MAX_TEXT = 1_000_000
"""The most characters kg takes in one text (a title, a note, an address, a name), from a
list or a source. Far above any real one; the RDF writer and parser take no term over
16 MiB at all, so a longer text would stop every build that reads it."""


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink found in the list: where it points, the text it showed, and what it is."""

    url: str
    text: str
    role: str | None = None
    """What the link is, from its text ("[slides]") or its host (GitHub): one of
    :data:`kg.read.links.LINK_ROLES` (``paper``, ``book``, ``code``, ``slides``, ``video``,
    ``social``, ``blog``, ``project``, …), ``None`` when nothing says."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a reading list: a resource (it has a link) or a topic (it has none).

    Headings, link-less list items and nested link-less bullets are topics; an item whose
    first link points outside the document is a resource. ``parent`` is the key of the
    enclosing entry (a topic, or a resource when items nest under a resource).
    """

    key: str
    """Unique within one list (built from the source line; numbers may repeat in a list)."""
    title: str
    """Link text of a resource, or the label of a topic, with markup removed."""
    line: int
    """1-based line of the file the entry starts on: the list, or ``source`` when set."""
    url: str | None = None
    """The resource's own link; ``None`` for a topic."""
    related: tuple[Link, ...] = ()
    """Further links in the same item (mirrors, code, slides)."""
    number: str | None = None
    """The curator's number as written (``"6.2"``, ``"12"``); repeats are allowed."""
    parent: str | None = None
    """Key of the enclosing entry, ``None`` at the top level."""
    note: str | None = None
    """The curator's comment beside the link, as written."""
    note_lang: str | None = None
    """BCP 47 language of ``note`` (``"zh"``, ``"en"``, …)."""
    year: int | None = None
    """The year the item gives: ``(2021)``, ``2019.``, ``ICML 2017``, ``NeurIPS'20``."""
    heading_level: int | None = None
    """1–6 for a Markdown heading, ``None`` for list items and table rows."""
    kind: str | None = None
    """The resource's kind when its source states one (an extension does), as a local
    name of a kg class or a full class IRI; ``None`` to guess it from the URL."""
    source: str | None = None
    """The file the entry comes from when it is not the list itself (an extension in
    ``ontology/extensions/``); ``line`` is then a line of that file."""
    authors: tuple[str, ...] = ()
    """The people the item names as the work's authors, in the order written; a name
    written "Last, First" is turned round ("Hinton, Geoffrey" → "Geoffrey Hinton")."""
    et_al: bool = False
    """The item says the work has more authors than it names ("et al.", "等")."""
    venue: str | None = None
    """Where the item says the work appeared, as written: ``ICML``, ``IEEE TNN``, ``arxiv``."""
    url_role: str | None = None
    """What the entry's own link is, as :attr:`Link.role` says (``paper`` for ``[pdf]``,
    ``book``, ``code`` for a GitHub link…); ``None`` when nothing says."""

    @property
    def is_topic(self) -> bool:
        return self.url is None


@dataclass(frozen=True, slots=True)
class ReadingList:
    """A parsed reading list: its title, its introduction and its entries in document order."""

    entries: tuple[Entry, ...]
    title: str | None = None
    """Text of the first level-1 heading, if the list has one."""
    description: str | None = None
    """The paragraph(s) between the title and the first section, as plain text."""
    source: str = "<string>"
    """Name of the file (or ``"<string>"``) the list was read from, for messages."""


@dataclass(frozen=True, slots=True)
class Identifiers:
    """Stable identifiers of one work. Every field is normalised (see ``identifiers``).

    >>> Identifiers(arxiv="1702.08489").merge(Identifiers(doi="10.1/x")).doi
    '10.1/x'
    """

    arxiv: str | None = None
    """arXiv id without version: ``2012.10931`` or ``math/0211159``."""
    doi: str | None = None
    """Lower-cased DOI (DOIs are case-insensitive), never the arXiv DataCite DOI."""
    s2: str | None = None
    """Semantic Scholar paper id (40 hex digits)."""
    corpus_id: int | None = None
    """Semantic Scholar corpus id."""
    openreview: str | None = None
    """OpenReview forum id."""
    github: str | None = None
    """``owner/repo`` of a GitHub repository."""
    isbn: str | None = None
    """ISBN-13 digits without hyphens."""
    wikipedia: str | None = None
    """``lang:Article_title`` of a Wikipedia article."""
    pmcid: str | None = None
    """PubMed Central id, ``PMC…``."""
    url: str | None = None
    """Normalised web address, for works no scholarly identifier names (courses, posts)."""
    local: str | None = None
    """A name for a work that nothing public identifies (e.g. a reference known only as
    "Cybenko (1989)"); the graph mints an IRI under the base IRI from it."""

    def merge(self, other: Identifiers) -> Identifiers:
        """Fill the fields this record lacks from ``other``; this record wins on conflict."""
        changes = {
            name: getattr(other, name)
            for name in _IDENTIFIER_FIELDS
            if getattr(self, name) is None and getattr(other, name) is not None
        }
        return replace(self, **changes) if changes else self

    def items(self) -> Iterator[tuple[str, str]]:
        """``(scheme, value)`` pairs of the identifiers present, in field order."""
        values = _ALL_IDENTIFIERS(self)  # one C call: identity resolution calls this a lot
        return ((n, str(v)) for n, v in zip(_IDENTIFIER_FIELDS, values) if v is not None)

    def __bool__(self) -> bool:
        return any(True for _ in self.items())


# Looked up once: dataclasses.fields() is slow, and identity resolution calls items() a lot.
_IDENTIFIER_FIELDS = tuple(f.name for f in fields(Identifiers))
_ALL_IDENTIFIERS = attrgetter(*_IDENTIFIER_FIELDS)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a fact came from, so a user can trust it or refresh it."""

    source: str
    """``"list"``, ``"extension"`` (a file of ``ontology/extensions/``), ``"snapshot"`` or
    ``"semantic-scholar"``."""
    urls: tuple[str, ...] = ()
    """The pages, files or API requests the fact was read from."""
    notes: tuple[str, ...] = ()
    """Sources named without an address (e.g. "GitHub offconvex/… _posts/…md")."""
    retrieved: str | None = None
    """ISO date the source was read, when known."""


@dataclass(frozen=True, slots=True)
class Person:
    """An author or contributor."""

    name: str
    s2_author_id: str | None = None
    orcid: str | None = None


@dataclass(frozen=True, slots=True)
class Work:
    """What a source says about one work (paper, book, post, repository…).

    ``title`` is the canonical title when the source gives one; ``label`` is how the source
    names the work when it gives no title (e.g. ``"Cybenko (1989)"`` in a reference list).
    """

    ids: Identifiers
    title: str | None = None
    label: str | None = None
    kind: str | None = None
    """Local name of a class of the kg ontology (``"Preprint"``, ``"Book"``…), if known."""
    year: int | None = None
    venue: str | None = None
    authors: tuple[Person, ...] = ()
    contributors: tuple[Person, ...] = ()
    fields_of_study: tuple[str, ...] = ()
    publication_types: tuple[str, ...] = ()
    citation_count: int | None = None
    influential_citation_count: int | None = None
    reference_count: int | None = None
    citations_fetched: int | None = None
    """How many citing papers were actually fetched (less than ``citation_count`` when capped)."""
    tldr: str | None = None
    abstract: str | None = None
    open_access_pdf: str | None = None
    url: str | None = None
    origins: tuple[Origin, ...] = ()

    @property
    def name(self) -> str | None:
        """The best human-readable name: title, else the source's label."""
        return self.title or self.label


@dataclass(frozen=True, slots=True)
class Citation:
    """``citing`` cites ``cited``, as ``origin`` says.

    Both ends are given by identifiers; the graph stage finds (or makes) the nodes.
    """

    citing: Identifiers
    cited: Identifiers
    origin: Origin
    is_influential: bool | None = None
    intents: tuple[str, ...] = ()


@dataclass(slots=True)
class Corpus:
    """Everything the sources said about the list, ready for the graph stage."""

    reading_list: ReadingList
    entry_ids: dict[str, Identifiers] = field(default_factory=dict)
    """Identifiers of each resource entry (by entry key), from its URL and the sources."""
    entry_kinds: dict[str, str] = field(default_factory=dict)
    """Kind (ontology class local name) of each resource entry."""
    works: list[Work] = field(default_factory=list)
    """Descriptions of works: list resources and the works they cite or are cited by."""
    citations: list[Citation] = field(default_factory=list)
    unresolved: dict[str, str] = field(default_factory=dict)
    """Resource entries no source could describe, with the reason."""

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.reading_list.entries
