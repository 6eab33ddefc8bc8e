"""The graph as RDF: what :mod:`kg.rdf.mapping` says of each record, written as Turtle.

Output is byte-identical for the same graph: there are no blank nodes (everything has an
IRI), triples are sorted before writing, and pyoxigraph's serializer only groups what it
is given in order. pyoxigraph writes 700k triples in about a second where rdflib's
serializer takes tens of seconds.

Triples are made as N-Triples text (each IRI checked by pyoxigraph once, each literal
written by it) and sorted as strings; pyoxigraph then parses that text and writes Turtle.
Building millions of pyoxigraph term and triple objects from Python would take longer than
everything else a 50,000-paper build does.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import OutputError
from kg.files import atomic_writer
from kg.model.graph import KnowledgeGraph
from kg.model.iris import fields_scheme_iri, identifier_iris
from kg.model.kinds import KindTable, shipped_kinds
from kg.model.nodes import BARE_CITATION, CITES, Broader, TopicNode, WorkNode, default_edge
from kg.model.vocab import PREFIXES, member_iri, member_number
from kg.rdf.mapping import (
    DERIVED,
    INTEGER,
    LIST,
    NODES,
    RELATIONS,
    REPORT,
    SOURCE,
    TEXT,
    TEXT_IN_ITS_LANGUAGE,
    Attribute,
    RecordMapping,
    Terms,
    author_list_iri,
    insight_iri,
    listed_author_list_iri,
    nt,
    related_link_iri,
)

__all__ = ["graph_triples", "sorted_ntriples", "write_turtle"]

_Triple = tuple[str, str, str]
"""Subject, predicate and object in N-Triples syntax (``<iri>``, ``"text"@en``)."""

_TYPE = nt(Terms.type)


class _Row:
    """An attribute ready to write: its predicate in N-Triples syntax, looked up once."""

    __slots__ = ("field", "predicate", "write", "many", "lang_field")

    def __init__(self, attribute: Attribute) -> None:
        self.field = attribute.field
        self.predicate = nt(attribute.predicate)
        self.write = attribute.datatype.write
        self.many = attribute.many
        self.lang_field = attribute.lang_field


class _Rows:
    """A record mapping ready to write."""

    __slots__ = ("rows", "types", "nested")

    def __init__(self, mapping: RecordMapping) -> None:
        self.rows = tuple(_Row(a) for a in mapping.attributes)
        self.types = tuple(nt(t) for t in mapping.types)
        self.nested = tuple((name, _Rows(m)) for name, m in mapping.nested)


_NODES = {mapping.record: _Rows(mapping) for mapping in NODES.values()}
_SOURCE, _LIST, _REPORT = _Rows(SOURCE), _Rows(LIST), _Rows(REPORT)
_DERIVED = {kind: _Rows(mapping) for kind, mapping in DERIVED.items()}
_RELATIONS = {key: nt(relation.predicate) for key, relation in RELATIONS.items()}
_QUALIFIED = {
    key: (relation.qualified, _Rows(relation.qualified.mapping), default_edge(relation.record))
    for key, relation in RELATIONS.items()
    if relation.qualified is not None
}


def _record_triples(subject: str, record: Any, rows: _Rows) -> Iterator[_Triple]:
    """What the mapping states of one record (and the records nested in it), about ``subject``."""
    for cls in rows.types:
        yield subject, _TYPE, cls
    for row in rows.rows:
        value = getattr(record, row.field)
        if value is None:
            continue
        if row.many:
            for item in value:
                if (term := row.write(item)) is not None:
                    yield subject, row.predicate, term
            continue
        term = row.write(value, getattr(record, row.lang_field)) if row.lang_field else row.write(value)
        if term is not None:
            yield subject, row.predicate, term
    for name, nested in rows.nested:
        if (value := getattr(record, name)) is not None:
            yield from _record_triples(subject, value, nested)


def graph_triples(graph: KnowledgeGraph, kinds: KindTable) -> Iterator[_Triple]:
    """Every triple the graph says, in no particular order."""
    base = graph.meta.base_iri
    fields_scheme = fields_scheme_iri(base)
    yield from _list_triples(graph)
    for entity in graph.sources.values():
        yield from _record_triples(nt(entity.iri), entity, _SOURCE)
    for node in graph.nodes():
        subject = nt(node.iri)
        yield from _record_triples(subject, node, _NODES[type(node)])
        if isinstance(node, WorkNode):
            yield from _work_triples(graph, subject, node, kinds, base)
        elif isinstance(node, TopicNode) and node.scheme == fields_scheme:
            yield from _fields_scheme_triples(fields_scheme)
    evidence = graph.insights.evidence_pairs() if graph.insights is not None else set()
    for source, target, edge in graph.edges():
        yield nt(source), _RELATIONS[edge.relation], nt(target)
        qualified = _QUALIFIED.get(edge.relation)
        says_more = edge is not BARE_CITATION and qualified is not None and edge != qualified[2]
        if qualified is not None and (says_more or (edge.relation == CITES and (source, target) in evidence)):
            where, rows, _ = qualified
            resource = nt(where.iri(source, target, base))
            yield resource, nt(where.source), nt(source)
            yield resource, nt(where.target), nt(target)
            yield from _record_triples(resource, edge, rows)
    yield from _insight_triples(graph)


def _insight_triples(graph: KnowledgeGraph) -> Iterator[_Triple]:
    """The insights: a report, and a resource per finding with ``prov:wasDerivedFrom`` the
    citations (their cito:Citation resources) and similarities it rests on."""
    insights = graph.insights
    if insights is None:
        return
    base, scope = graph.meta.base_iri, graph.meta.list_iri
    citation = RELATIONS[CITES].qualified
    assert citation is not None
    evidence = nt(Terms.evidence)

    def resource(kind: str, key: str) -> str:
        return nt(insight_iri(kind, key, scope, base))

    yield from _record_triples(resource("report", ""), insights, _REPORT)
    findings: list[tuple[str, str, Any]] = [
        *(("candidate", found.work, found) for found in insights.candidates),
        *(("derivative", found.work, found) for found in insights.derivatives),
        *(("similarity", " ".join(found.ends), found) for found in insights.similarities),
        *(("misfiling", found.resource, found) for found in insights.misfiled),
        *(("community", str(found.number), found) for found in insights.communities),
    ]
    for kind, key, found in findings:
        subject = resource(kind, key)
        yield from _record_triples(subject, found, _DERIVED[kind])
        for citing, cited in found.evidence:
            yield subject, evidence, nt(citation.iri(citing, cited, base))
        for pair in getattr(found, "similar", ()):
            yield subject, evidence, resource("similarity", " ".join(pair))


def _list_triples(graph: KnowledgeGraph) -> Iterator[_Triple]:
    meta = graph.meta
    if meta.list_iri is None:
        return
    subject = nt(meta.list_iri)
    yield from _record_triples(subject, meta, _LIST)
    top = nt(Terms.top_concept)
    for topic in graph.topics():
        if topic.scheme == meta.list_iri and not any(graph.out_edges(topic.iri, Broader)):
            yield subject, top, nt(topic.iri)


def _fields_scheme_triples(scheme: str) -> Iterator[_Triple]:
    yield nt(scheme), _TYPE, nt(Terms.concept_scheme)
    yield nt(scheme), nt(Terms.pref_label), TEXT_IN_ITS_LANGUAGE.write(Terms.fields_scheme_label) or ""


def _work_triples(
    graph: KnowledgeGraph, subject: str, work: WorkNode, kinds: KindTable, base: str
) -> Iterator[_Triple]:
    """What a work states beyond its mapping's fields: its classes, its identifiers' IRIs,
    its related links and its byline."""
    for cls in kinds.superclasses(work.kind):
        yield subject, _TYPE, nt(cls)
    same_as = nt(Terms.same_as)
    for iri in identifier_iris(work.ids):
        if nt(iri) != subject:
            yield subject, same_as, nt(iri)
    if work.listing is not None:
        yield from _related_link_triples(subject, work, base)
        yield from _listed_byline_triples(subject, work, base)
    yield from _byline_triples(graph, subject, work.iri, base)


def _related_link_triples(subject: str, work: WorkNode, base: str) -> Iterator[_Triple]:
    """Each related link: ``rdfs:seeAlso`` its address, and a LinkRole with its text and
    place (see :class:`~kg.rdf.mapping.Terms`)."""
    assert work.listing is not None
    for position, link in enumerate(work.listing.related, start=1):
        address = nt(link.url)
        role = nt(related_link_iri(work.iri, link.url, base))
        yield subject, nt(Terms.see_also), address
        yield subject, nt(Terms.related_link), role
        yield role, _TYPE, nt(Terms.link_role)
        yield role, nt(Terms.related_link), address
        if (text := TEXT.write(link.text)) is not None:
            yield role, nt(Terms.link_text), text
        if (kind := TEXT.write(link.role)) is not None:
            yield role, nt(Terms.link_kind), kind
        yield role, nt(Terms.link_position), INTEGER.write(position) or ""


def _listed_byline_triples(subject: str, work: WorkNode, base: str) -> Iterator[_Triple]:
    """The names the list gives as the work's authors, as written and in order: an
    ``rdf:Seq`` of plain literals (``kg:listedAuthorList``)."""
    assert work.listing is not None
    names = [term for name in work.listing.authors if (term := TEXT.write(name)) is not None]
    if not names:
        return
    byline = nt(listed_author_list_iri(work.iri, base))
    yield subject, nt(Terms.listed_author_list), byline
    yield byline, _TYPE, nt(Terms.seq)
    for number, name in enumerate(names, start=1):
        yield byline, nt(member_iri(number)), name


def _byline_triples(graph: KnowledgeGraph, subject: str, work: str, base: str) -> Iterator[_Triple]:
    """The byline as ``bibo:authorList``, an ``rdf:Seq`` of the creators in order, since
    ``dcterms:creator`` alone says nothing of who comes first."""
    authors = graph.authors(work)
    if not authors:
        return
    byline = nt(author_list_iri(work, base))
    yield subject, nt(Terms.author_list), byline
    yield byline, _TYPE, nt(Terms.seq)
    for number, person in enumerate(authors, start=1):
        yield byline, nt(member_iri(number)), nt(person)


def sorted_ntriples(graph: KnowledgeGraph, kinds: KindTable | None = None) -> Iterator[str]:
    """Every triple of the graph once, as N-Triples lines in a fixed order: subjects in
    code-point order, each with rdf:type first, then predicates and objects in order
    (``rdf:_2`` before ``rdf:_10``)."""
    by_subject: dict[str, set[tuple[bool, int, str, str]]] = {}
    rdf = f"<{PREFIXES['rdf']}"
    for subject, predicate, obj in graph_triples(graph, kinds or graph.kinds or shipped_kinds()):
        # Only rdf: predicates can be members; the check keeps the hot loop cheap.
        number = (member_number(predicate[1:-1]) or 0) if predicate.startswith(rdf) else 0
        by_subject.setdefault(subject, set()).add((predicate != _TYPE, number, predicate, obj))
    for subject in sorted(by_subject):
        for _, _, predicate, obj in sorted(by_subject.pop(subject)):
            yield f"{subject} {predicate} {obj} .\n"


_TERM_LIMIT = 16 * 2**20 - 1024
"""Bytes an N-Triples line may have: pyoxigraph parses no term over 16 MiB (a line is a
term and a little more)."""


def write_turtle(graph: KnowledgeGraph, path: Path, kinds: KindTable | None = None) -> int:
    """Write the graph as Turtle atomically; return the number of triples written.

    ``kinds`` (default: the shipped ontology's) gives each work's classes. The sorted
    N-Triples go through a temporary file, so that a few million triples are never held
    as one string as well.
    """
    count = 0
    with tempfile.TemporaryFile() as ntriples:
        for line in sorted_ntriples(graph, kinds):
            data = line.encode()
            if len(data) > _TERM_LIMIT:  # pyoxigraph's parser would fail with a MemoryError
                subject = line.split(" ", 1)[0]
                raise OutputError(
                    f"cannot write {path}: a value of {subject} takes {len(data):,} bytes, more than "
                    "the 16 MiB kg's RDF writer takes in one term: shorten it where it comes from"
                )
            ntriples.write(data)
            count += 1
        ntriples.seek(0)
        with atomic_writer(path) as out:
            triples = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
            ox.serialize(triples, out, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return count
