"""Records → the graph: the works, people, topics and relations the sources describe,
merged into one :class:`~kg.model.graph.KnowledgeGraph`.

The corpus lists the curated snapshot before live sources, and the first source to say a
thing about a work wins. Values the graph cannot state are left out here, once, rather than
by each stage after it: addresses that are not http(s) IRIs, empty texts, malformed ORCID
iDs. So the graph kg writes as Turtle and the graph it reads back are equal.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from kg.model.graph import KnowledgeGraph
from kg.model.identity import WorkIdentity
from kg.model.iris import (
    field_iri,
    fields_scheme_iri,
    list_iri,
    topic_iri,
    web_iri,
)
from kg.model.nodes import (
    BARE_CITATION,
    CITES,
    Broader,
    Cites,
    Contributor,
    Creator,
    GraphMeta,
    Listing,
    PartOf,
    Provenance,
    Source,
    Subject,
    TopicNode,
    WorkNode,
)
from kg.model.people import People
from kg.model.records import Citation, Corpus, Entry, Identifiers, Link, Origin
from kg.model.vocab import DEFAULT_BASE_IRI
from kg.read.links import address_title
from kg.read.topics import topic_paths

__all__ = ["build_graph", "SNAPSHOT_SOURCE_PATH"]

log = logging.getLogger(__name__)

SNAPSHOT_SOURCE_PATH = "source/bundled-facts"
"""Where, under the base IRI, the bundled facts dataset is named."""
_SNAPSHOT_LABEL = "kg bundled facts (public sources)"

# Work facts copied from source records; the first source that gives one wins.
_WORK_FIELDS = (
    "title",
    "year",
    "venue",
    "citation_count",
    "influential_citation_count",
    "reference_count",
    "citations_fetched",
    "tldr",
    "abstract",
)
_SUBJECT, _BROADER, _PART_OF = Subject(), Broader(), PartOf()
_CREATOR, _CONTRIBUTOR = Creator.relation, Contributor.relation


@dataclass(slots=True)
class _Draft:
    """A work while the sources are heard."""

    ids: Identifiers
    facts: dict[str, Any] = field(default_factory=dict)
    kind: str | None = None
    chosen_kind: bool = False
    """The curator named the kind (an extension's ``a kg:LectureNotes``): no source overrides it."""
    source_label: str | None = None
    publication_types: tuple[str, ...] = ()
    open_access_pdf: str | None = None
    url: str | None = None
    listing: Listing | None = None
    listed_title: str | None = None
    """The list's title for the work, when it gives one (not its address in its stead)."""
    origins: list[Origin] = field(default_factory=list)


@dataclass(slots=True)
class _Builder:
    corpus: Corpus
    base: str
    graph: KnowledgeGraph
    identity: WorkIdentity = field(default_factory=WorkIdentity)
    drafts: dict[str, _Draft] = field(default_factory=dict)
    entry_nodes: dict[str, str] = field(default_factory=dict)
    """Entry key -> node IRI, for topics and resources alike."""
    entries: dict[str, Entry] = field(default_factory=dict)
    people: People = field(init=False)


def build_graph(corpus: Corpus, *, base_iri: str = DEFAULT_BASE_IRI) -> KnowledgeGraph:
    """Turn what the sources said into the graph."""
    reading_list = corpus.reading_list
    meta = GraphMeta(
        title=reading_list.title or reading_list.source or "reading list",
        description=reading_list.description or None,
        list_iri=list_iri(reading_list.source, base_iri),
        base_iri=base_iri,
    )
    b = _Builder(corpus, base_iri, KnowledgeGraph(meta))
    b.people = People(b.graph, base_iri)
    b.entries = {entry.key: entry for entry in corpus.entries}
    _register_identities(b)
    _add_topics(b)
    _add_resources(b)
    _add_works(b)
    _add_listed_people(b)
    _add_citations(b)
    _finish_works(b)
    log.info("graph: %d nodes, %d edges", len(b.graph), b.graph.number_of_edges())
    return b.graph


def _register_identities(b: _Builder) -> None:
    for ids in b.corpus.entry_ids.values():
        b.identity.add(ids)
    for work in b.corpus.works:
        b.identity.add(work.ids)
    for citation in b.corpus.citations:
        b.identity.add(citation.citing)
        b.identity.add(citation.cited)
    works = [(b.identity.iri(work.ids, b.base), work) for work in b.corpus.works]
    b.people.register(works, names_without_ids=any(entry.authors for entry in b.corpus.entries))


# --- topics ----------------------------------------------------------------------------


def _ancestors(b: _Builder, entry: Entry) -> Iterator[Entry]:
    parent = b.entries.get(entry.parent) if entry.parent else None
    while parent is not None:
        yield parent
        parent = b.entries.get(parent.parent) if parent.parent else None


def _nearest_topic(b: _Builder, entry: Entry) -> Entry | None:
    return next((a for a in _ancestors(b, entry) if a.is_topic), None)


def _add_topics(b: _Builder) -> None:
    paths = topic_paths(b.corpus.reading_list)
    for entry in b.corpus.entries:
        if not entry.is_topic:
            continue
        iri = topic_iri(paths[entry.key] + (entry.title,), b.base)
        b.entry_nodes[entry.key] = iri
        if iri not in b.graph:
            b.graph.add(TopicNode(
                iri=iri, label=entry.title, scheme=b.graph.meta.list_iri, line=entry.line,
                number=entry.number or None, provenance=_entry_provenance(entry),
            ))  # fmt: skip
        broader = _nearest_topic(b, entry)
        if broader is not None and b.entry_nodes[broader.key] != iri:
            b.graph.link(iri, b.entry_nodes[broader.key], _BROADER)


def _entry_provenance(entry: Entry) -> Provenance:
    """A topic an extension file added names the file in words (it has no address)."""
    return Provenance(notes=(f"{entry.source}, line {entry.line}",)) if entry.source else Provenance()


# --- works -----------------------------------------------------------------------------


def _draft(b: _Builder, iri: str, ids: Identifiers) -> _Draft:
    """The draft of a work's node, created empty on first sight."""
    draft = b.drafts.get(iri)
    if draft is None:
        merged = b.identity.merged(ids)
        # Its address and local name only named it for the build: the graph keeps neither.
        draft = b.drafts[iri] = _Draft(ids=replace(merged, url=None, local=None))
        b.graph.network.add_node(iri, record=None)  # the record comes once every source is heard
    return draft


def _related(links: Iterable[Link]) -> tuple[Link, ...]:
    seen: dict[str, Link] = {}
    for link in links:
        if web_iri(link.url) is None:
            log.warning("related link left out, not an http(s) IRI: %r", link.url)
        elif link.url not in seen:
            seen[link.url] = link
    return tuple(seen.values())


def _add_resources(b: _Builder) -> None:
    """List resources: the list's own words (number, note, line) on the work's node."""
    list_iri = b.graph.meta.list_iri
    assert list_iri is not None
    for entry in b.corpus.entries:
        if entry.is_topic:
            continue
        ids = b.corpus.entry_ids.get(entry.key) or Identifiers(url=entry.url)
        b.identity.add(ids)
        iri = b.identity.iri(ids, b.base)
        b.entry_nodes[entry.key] = iri
        draft = _draft(b, iri, ids)
        if draft.kind is None:
            draft.kind = b.corpus.entry_kinds.get(entry.key, "WebPage")
        if entry.kind:
            draft.kind, draft.chosen_kind = entry.kind, True
        draft.url = web_iri(entry.url) or draft.url
        draft.listing = _listing(entry, draft.listing, list_iri)
        if entry.url and entry.title != address_title(entry.url):
            draft.listed_title = entry.title  # a title, not the address standing in for one
        origin = _entry_origin(entry)
        if origin not in draft.origins:
            draft.origins.append(origin)
    for entry in b.corpus.entries:
        if entry.is_topic:
            continue
        iri = b.entry_nodes[entry.key]
        parent = next(_ancestors(b, entry), None)
        if parent is not None and not parent.is_topic:
            b.graph.link(iri, b.entry_nodes[parent.key], _PART_OF)
        topic = _nearest_topic(b, entry)
        if topic is not None:
            b.graph.link(iri, b.entry_nodes[topic.key], _SUBJECT)
    # Link-less items nested under a resource are topics that resource covers (the reader
    # has already made those that read as a note on it part of its note).
    for entry in b.corpus.entries:
        parent = next(_ancestors(b, entry), None)
        if entry.is_topic and parent is not None and not parent.is_topic:
            b.graph.link(b.entry_nodes[parent.key], b.entry_nodes[entry.key], _SUBJECT)


def _listing(entry: Entry, first: Listing | None, list_iri: str) -> Listing:
    """What the list says of a work: the entry's words, after those of an entry that
    listed the same work before it (its line, number, note, byline and venue stay)."""
    note = first.note if first and first.note else entry.note or None
    authors = tuple(name for name in entry.authors if name.strip())
    byline = first if first and first.authors else None
    return Listing(
        list_iri=list_iri,
        title=entry.title,
        line=first.line if first else entry.line,
        number=first.number if first and first.number else entry.number or None,
        year=entry.year or None,
        venue=(first.venue if first and first.venue else None) or (entry.venue or "").strip() or None,
        authors=byline.authors if byline else authors,
        et_al=byline.et_al if byline else entry.et_al and bool(authors),
        note=note,
        note_lang=(first.note_lang if first and first.note else entry.note_lang or "en") if note else None,
        related=_related(entry.related),
    )


def _add_listed_people(b: _Builder) -> None:
    """The people the list names as a work's authors, after every source's byline (see
    :mod:`kg.model.people`), with provenance "the list, line N"."""
    list_iri = b.graph.meta.list_iri
    for entry in b.corpus.entries:
        names = [name for name in entry.authors if name.strip()]
        if entry.is_topic or not names:
            continue
        where = f"{entry.source}, line {entry.line}" if entry.source else f"the list, line {entry.line}"
        provenance = Provenance(derived_from=(list_iri,) if list_iri else (), notes=(where,))
        b.people.add_listed(b.entry_nodes[entry.key], names, provenance)
    b.people.finish()


def _entry_origin(entry: Entry) -> Origin:
    """The list itself, or the extension file that added the entry to it."""
    if entry.source:
        return Origin(source="extension", notes=(f"{entry.source}, line {entry.line}",))
    return Origin(source="list", notes=(f"line {entry.line}",))


def _add_works(b: _Builder) -> None:
    """Facts from the sources, merged onto the drafts (first source to say a thing wins)."""
    fields_scheme = fields_scheme_iri(b.base)
    for work in b.corpus.works:
        iri = b.identity.iri(work.ids, b.base)
        draft = _draft(b, iri, work.ids)
        facts = draft.facts
        for name in _WORK_FIELDS:
            value = getattr(work, name)
            if name not in facts and value is not None and value != "" and (name != "year" or value):
                facts[name] = value
        if draft.open_access_pdf is None and work.open_access_pdf:
            draft.open_access_pdf = web_iri(work.open_access_pdf)
        if work.kind and (draft.listing is None and draft.kind is None):
            draft.kind = work.kind
        elif work.kind and draft.listing is not None and not draft.chosen_kind:
            draft.kind = work.kind  # a source that names the kind beats a URL's hint
        if work.label and not draft.source_label:
            draft.source_label = work.label
        if work.publication_types and not draft.publication_types:
            draft.publication_types = tuple(sorted(set(work.publication_types)))
        draft.origins.extend(o for o in work.origins if o not in draft.origins)
        if work.authors:
            b.people.add_byline(iri, work.authors)
        if work.contributors:
            b.people.add(iri, work.contributors, creators=False)
        for name in work.fields_of_study:
            topic = field_iri(name, b.base)
            if topic not in b.graph:
                b.graph.add(TopicNode(iri=topic, label=name, scheme=fields_scheme))
            b.graph.link(iri, topic, _SUBJECT)


def _finish_works(b: _Builder) -> None:
    """Label, kind, provenance: the records, once every source has been heard."""
    for iri, draft in b.drafts.items():
        facts = draft.facts
        # The best source's title, else the list's words (when they are a title).
        title = facts.pop("title", None) or draft.listed_title
        label = title or (draft.listing.title if draft.listing else None) or draft.source_label or draft.url
        b.graph.add(WorkNode(
            iri=iri, label=label or "untitled", title=title, kind=draft.kind or _kind_from_ids(draft.ids),
            ids=draft.ids,
            url=draft.url, open_access_pdf=draft.open_access_pdf,
            publication_types=draft.publication_types, listing=draft.listing,
            provenance=_provenance(b, draft.origins), **facts,
        ))  # fmt: skip


def _kind_from_ids(ids: Identifiers) -> str:
    """A kind for a work no source named one for, from what identifies it."""
    if ids.github:
        return "CodeRepository"
    if ids.arxiv:
        return "Preprint"
    if ids.doi or ids.s2 or ids.corpus_id is not None or ids.openreview or ids.pmcid:
        return "Paper"
    return "Work"


def _provenance(b: _Builder, origins: Iterable[Origin]) -> Provenance:
    """What RDF says of the origins: derived from the list, the bundled facts or the API
    responses (each a :class:`Source` of the graph), read from pages, described in words."""
    derived: set[str] = set()
    pages: set[str] = set()
    notes: set[str] = set()
    for origin in origins:
        if origin.source in ("list", "extension"):  # an extension adds to the list
            if b.graph.meta.list_iri:
                derived.add(b.graph.meta.list_iri)
        elif origin.source == "snapshot":
            dataset = b.base + SNAPSHOT_SOURCE_PATH
            derived.add(dataset)
            b.graph.sources.setdefault(dataset, Source(iri=dataset, label=_SNAPSHOT_LABEL))
        for url in origin.urls:
            if (iri := web_iri(url)) is None:
                log.warning("source left out, not an http(s) IRI: %r", url)
            elif origin.source == "snapshot":
                pages.add(iri)  # a page the bundled facts were read from, not fetched by kg
            else:
                derived.add(iri)  # a response kg fetched itself, at the time it was retrieved
                known = b.graph.sources.get(iri)
                if known is None or (known.retrieved is None and origin.retrieved):
                    b.graph.sources[iri] = Source(iri=iri, retrieved=origin.retrieved)
        if origin.source != "list":  # the list's own line is the listing's
            notes.update(origin.notes)
    return Provenance(derived_from=tuple(sorted(derived)), sources=tuple(sorted(pages)), notes=tuple(sorted(notes)))


def _add_citations(b: _Builder) -> None:
    network = b.graph.network
    for citation in b.corpus.citations:
        citing = b.identity.iri(citation.citing, b.base)
        cited = b.identity.iri(citation.cited, b.base)
        if citing == cited:
            continue  # two versions of one work citing each other
        for iri, ids in ((citing, citation.citing), (cited, citation.cited)):
            if iri not in b.drafts:
                _draft(b, iri, ids)
        record = _citation(b, citation)
        known = network.get_edge_data(citing, cited, CITES)
        if known is not None:
            record = known["record"].merge(record)
        network.add_edge(citing, cited, key=CITES, record=record)


def _citation(b: _Builder, citation: Citation) -> Cites:
    """What the graph keeps of one source's word on a citation: curated provenance (an API's
    responses are named by the works'), influence, intents."""
    curated = () if citation.origin.source == "semantic-scholar" else (citation.origin,)
    if not (curated or citation.is_influential or citation.intents):
        return BARE_CITATION
    return Cites(
        provenance=_provenance(b, curated),
        is_influential=bool(citation.is_influential),
        intents=tuple(sorted(set(citation.intents))),
    )
