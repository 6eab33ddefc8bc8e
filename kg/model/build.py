"""Records → the graph: the works, people, topics and relations the sources describe,
merged into one :mod:`kg.model.graph` (its docstring gives the contract)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kg.model.graph import (
    BROADER,
    CITES,
    CONTRIBUTOR,
    CREATOR,
    PART_OF,
    PERSON,
    SUBJECT,
    TOPIC,
    WORK,
)
from kg.model.identity import WorkIdentity, person_keys
from kg.model.iris import field_iri, list_iri, person_iri, topic_iri
from kg.model.records import Citation, Corpus, Entry, Identifiers, Origin, Person
from kg.model.vocab import DEFAULT_BASE_IRI
from kg.read.topics import topic_paths

__all__ = ["build_graph"]

log = logging.getLogger(__name__)

# Work attributes copied from source records; the first source that gives one wins, and
# the corpus lists the curated snapshot before live sources.
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
    "open_access_pdf",
)


@dataclass(slots=True)
class _Builder:
    corpus: Corpus
    base: str
    graph: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)
    identity: WorkIdentity = field(default_factory=WorkIdentity)
    entry_nodes: dict[str, str] = field(default_factory=dict)
    """Entry key -> node IRI, for topics and resources alike."""
    entries: dict[str, Entry] = field(default_factory=dict)
    """Entry key -> entry."""
    work_authors: dict[str, dict[str, Person]] = field(default_factory=dict)
    """Work IRI -> name keys -> an author with a Semantic Scholar id, for the works that
    also have authors without one (a curated author list beside the API's)."""
    unique_author_ids: dict[str, str] = field(default_factory=dict)
    """Normalised name -> the one Semantic Scholar author id the corpus gives that name."""
    orcids: dict[str, str] = field(default_factory=dict)
    """Semantic Scholar author id -> ORCID."""
    chosen_kinds: set[str] = field(default_factory=set)
    """Works whose kind the curator named (an extension's ``a kg:LectureNotes``): no source
    overrides it."""


def build_graph(corpus: Corpus, *, base_iri: str = DEFAULT_BASE_IRI) -> nx.MultiDiGraph:
    """Turn what the sources said into the graph (see the module docstring for its shape)."""
    b = _Builder(corpus, base_iri)
    b.entries = {entry.key: entry for entry in corpus.entries}
    reading_list = corpus.reading_list
    b.graph.graph.update(
        title=reading_list.title or reading_list.source,
        description=reading_list.description,
        list_iri=list_iri(reading_list.source, base_iri),
        list_source=reading_list.source,
        base_iri=base_iri,
    )
    _register_identities(b)
    _add_topics(b)
    _add_resources(b)
    _add_works(b)
    _add_citations(b)
    log.info(
        "graph: %d nodes, %d edges", b.graph.number_of_nodes(), b.graph.number_of_edges()
    )
    return b.graph


def _register_identities(b: _Builder) -> None:
    for ids in b.corpus.entry_ids.values():
        b.identity.add(ids)
    for work in b.corpus.works:
        b.identity.add(work.ids)
    for citation in b.corpus.citations:
        b.identity.add(citation.citing)
        b.identity.add(citation.cited)
    _register_authors(b)


def _register_authors(b: _Builder) -> None:
    """Where a source names authors without ids (the bundled facts) and another names the
    same work's authors with Semantic Scholar ids, the people are the same: match them by
    name within the work ("Gal Vardi" and "G. Vardi"), else by a name the corpus gives
    only one id."""
    unnamed = {
        b.identity.iri(work.ids, b.base)
        for work in b.corpus.works
        if any(not person.s2_author_id for person in work.authors)
    }
    if not unnamed:
        return
    ids_by_name: dict[str, set[str]] = {}
    for work in b.corpus.works:
        named = [person for person in work.authors if person.s2_author_id]
        if not named:
            continue
        iri = b.identity.iri(work.ids, b.base)
        for person in named:
            assert person.s2_author_id is not None
            keys = person_keys(person.name)
            if iri in unnamed:
                for key in keys:
                    b.work_authors.setdefault(iri, {}).setdefault(key, person)
            ids_by_name.setdefault(keys[0], set()).add(person.s2_author_id)
            if person.orcid:
                b.orcids.setdefault(person.s2_author_id, person.orcid)
    b.unique_author_ids = {k: next(iter(v)) for k, v in ids_by_name.items() if len(v) == 1}


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
            b.graph.add_node(
                iri, group=TOPIC, label=entry.title, scheme="list",
                line=entry.line, number=entry.number, source=entry.source,
            )
        broader = _nearest_topic(b, entry)
        if broader is not None and b.entry_nodes[broader.key] != iri:
            b.graph.add_edge(iri, b.entry_nodes[broader.key], key=BROADER)


# --- works -----------------------------------------------------------------------------


def _add_resources(b: _Builder) -> None:
    """List resources: the list's own facts (number, note, line) on the work's node."""
    for entry in b.corpus.entries:
        if entry.is_topic:
            continue
        ids = b.corpus.entry_ids.get(entry.key) or Identifiers(url=entry.url)
        b.identity.add(ids)
        iri = b.identity.iri(ids, b.base)
        b.entry_nodes[entry.key] = iri
        attrs = _node(b, iri, ids)
        attrs.update(in_list=True, listed_title=entry.title, url=entry.url)
        attrs.setdefault("kind", b.corpus.entry_kinds.get(entry.key, "WebPage"))
        if entry.kind:
            attrs["kind"] = entry.kind
            b.chosen_kinds.add(iri)
        for name in ("number", "line", "note", "note_lang"):
            if attrs.get(name) is None:
                attrs[name] = getattr(entry, name)
        attrs["listed_year"] = entry.year
        attrs["related"] = [(link.url, link.text) for link in entry.related]
        attrs["origins"].append(_entry_origin(entry))
    for entry in b.corpus.entries:
        if entry.is_topic:
            continue
        iri = b.entry_nodes[entry.key]
        parent = next(_ancestors(b, entry), None)
        if parent is not None and not parent.is_topic:
            b.graph.add_edge(iri, b.entry_nodes[parent.key], key=PART_OF)
        topic = _nearest_topic(b, entry)
        if topic is not None:
            b.graph.add_edge(iri, b.entry_nodes[topic.key], key=SUBJECT)
    # Link-less items nested under a resource are topics that resource covers.
    for entry in b.corpus.entries:
        parent = next(_ancestors(b, entry), None)
        if entry.is_topic and parent is not None and not parent.is_topic:
            b.graph.add_edge(b.entry_nodes[parent.key], b.entry_nodes[entry.key], key=SUBJECT)


def _entry_origin(entry: Entry) -> Origin:
    """The list itself, or the extension file that added the entry to it."""
    if entry.source:
        return Origin(source="extension", notes=(f"{entry.source}, line {entry.line}",))
    return Origin(source="list", notes=(f"line {entry.line}",))


def _node(b: _Builder, iri: str, ids: Identifiers) -> dict[str, Any]:
    """The attribute dict of a work's node, created empty on first sight."""
    if iri not in b.graph:
        merged = b.identity.merged(ids)
        b.graph.add_node(
            iri, group=WORK, in_list=False, ids=dict(merged.items()), origins=[]
        )
    attrs: dict[str, Any] = b.graph.nodes[iri]
    return attrs


def _add_works(b: _Builder) -> None:
    """Facts from the sources, merged onto the nodes (first source to say a thing wins)."""
    authored: set[str] = set()
    for work in b.corpus.works:
        iri = b.identity.iri(work.ids, b.base)
        attrs = _node(b, iri, work.ids)
        for name in _WORK_FIELDS:
            if attrs.get(name) is None and getattr(work, name) is not None:
                attrs[name] = getattr(work, name)
        if work.kind and not attrs.get("in_list"):
            attrs.setdefault("kind", work.kind)
        elif work.kind and attrs.get("in_list") and iri not in b.chosen_kinds:
            attrs["kind"] = work.kind  # a source that names the kind beats a URL's hint
        attrs.setdefault("label", None)
        if work.label and not attrs.get("source_label"):
            attrs["source_label"] = work.label
        if work.publication_types:
            attrs.setdefault("publication_types", list(work.publication_types))
        attrs["origins"].extend(o for o in work.origins if o not in attrs["origins"])
        if work.authors and iri not in authored:
            authored.add(iri)
            _add_people(b, iri, work.authors, CREATOR)
        if work.contributors:
            _add_people(b, iri, work.contributors, CONTRIBUTOR)
        for name in work.fields_of_study:
            field_node = field_iri(name, b.base)
            if field_node not in b.graph:
                b.graph.add_node(field_node, group=TOPIC, label=name, scheme="fields-of-study")
            b.graph.add_edge(iri, field_node, key=SUBJECT)
    for _, attrs in b.graph.nodes(data=True):
        if attrs["group"] == WORK:
            _finish_work(attrs)


def _finish_work(attrs: dict[str, Any]) -> None:
    """Label and kind of a work, once every source has been heard."""
    attrs["label"] = (
        attrs.get("title") or attrs.get("listed_title") or attrs.pop("source_label", None)
        or attrs.get("url") or "untitled"
    )
    attrs.pop("source_label", None)
    if not attrs.get("kind"):
        ids = attrs["ids"]
        attrs["kind"] = (
            "CodeRepository" if "github" in ids
            else "Preprint" if "arxiv" in ids
            else "Paper" if ids.keys() & {"doi", "s2", "corpus_id", "openreview", "pmcid"}
            else "Work"
        )


def _add_people(b: _Builder, work: str, people: Iterable[Person], relation: str) -> None:
    for position, person in enumerate(people):
        s2_id = person.s2_author_id or _known_author_id(b, work, person.name)
        orcid = person.orcid or (b.orcids.get(s2_id) if s2_id else None)
        iri = person_iri(person.name, b.base, s2_id)
        if iri not in b.graph:
            b.graph.add_node(iri, group=PERSON, label=person.name, s2_author_id=s2_id, orcid=orcid)
        elif orcid and not b.graph.nodes[iri].get("orcid"):
            b.graph.nodes[iri]["orcid"] = orcid
        if not b.graph.has_edge(work, iri, key=relation):
            attrs = {"position": position} if relation == CREATOR else {}
            b.graph.add_edge(work, iri, key=relation, **attrs)


def _known_author_id(b: _Builder, work: str, name: str) -> str | None:
    if not b.unique_author_ids and not b.work_authors:
        return None
    keys = person_keys(name)
    same_work = b.work_authors.get(work, {})
    match = next((same_work[k] for k in keys if k in same_work), None)
    return match.s2_author_id if match is not None else b.unique_author_ids.get(keys[0])


def _add_citations(b: _Builder) -> None:
    for citation in b.corpus.citations:
        citing = b.identity.iri(citation.citing, b.base)
        cited = b.identity.iri(citation.cited, b.base)
        if citing == cited:
            continue  # two versions of one work citing each other
        for iri, ids in ((citing, citation.citing), (cited, citation.cited)):
            if iri not in b.graph:
                _finish_work(_node(b, iri, ids))
        _add_citation_edge(b, citing, cited, citation)


def _add_citation_edge(b: _Builder, citing: str, cited: str, citation: Citation) -> None:
    if b.graph.has_edge(citing, cited, key=CITES):
        edge = b.graph.edges[citing, cited, CITES]
        if citation.origin not in edge["origins"]:
            edge["origins"].append(citation.origin)
        if edge.get("is_influential") is None:
            edge["is_influential"] = citation.is_influential
        edge["intents"] = sorted(set(edge["intents"]) | set(citation.intents))
        return
    b.graph.add_edge(
        citing, cited, key=CITES,
        origins=[citation.origin],
        is_influential=citation.is_influential,
        intents=sorted(citation.intents),
    )
