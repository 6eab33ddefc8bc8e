"""The one mapping between the model (:mod:`kg.model.nodes`) and RDF.

Each field of each record is one :class:`Attribute` row: its predicate, its datatype (which
says how a value is written as a term and read back, language tags included), whether it
holds one value or many, and the other predicates that mean the same thing in graphs made
elsewhere (read after the predicate kg writes). Each relation is one :class:`Relation`
row. :mod:`kg.rdf.write` writes what these rows say and :mod:`kg.rdf.read` reads it back, so
a graph read from the Turtle kg wrote equals the graph it wrote it from. Neither names a
predicate of its own.

A few structures are more than a predicate per field; their terms are here too (:class:`Terms`),
their shape in the writer and the reader: the kind (``rdf:type`` with every superclass,
from :mod:`kg.model.kinds`), the byline (``bibo:authorList``, an ``rdf:Seq``), related
links (a ``schema:LinkRole`` each), a work's identifier IRIs (``owl:sameAs``).

To add an attribute: add the field to its record in :mod:`kg.model.nodes`, declare its
property in ``ontology/kg.ttl`` if no standard vocabulary has one, and add one row below.
A relation: its edge record, and one :class:`Relation` row (with a :class:`Qualified`
mapping if its edges carry fields). A kind of node: its record (a :class:`~kg.model.nodes.Node`
subclass with a ``group``), one :class:`RecordMapping` in :data:`NODES`, and the
relations that reach it.

>>> [a.field for a in PERSON_MAP.attributes]
['label', 's2_author_id', 'orcid']
>>> YEAR.write(1989), YEAR.read(ox.Literal("1989-05-01"))
('"1989"^^<http://www.w3.org/2001/XMLSchema#gYear>', 1989)
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import DC

from kg.model import vocab
from kg.model.derived import Candidate, Community, Derivative, Insights, Misfit, Similarity
from kg.model.iris import ORCID, orcid_iri
from kg.model.nodes import (
    PERSON,
    TOPIC,
    WORK,
    Broader,
    Cites,
    Contributor,
    Creator,
    Edge,
    GraphMeta,
    Listing,
    PartOf,
    PersonNode,
    Provenance,
    Source,
    Subject,
    TopicNode,
    WorkNode,
)
from kg.model.records import Identifiers
from kg.read.language import text_language

__all__ = [
    "Term",
    "Datatype",
    "Attribute",
    "RecordMapping",
    "Relation",
    "nt",
    "WORK_MAP",
    "IDENTIFIERS",
    "LISTING",
    "PERSON_MAP",
    "TOPIC_MAP",
    "PROVENANCE",
    "CITATION",
    "SOURCE",
    "LIST",
    "NODES",
    "MAPPINGS",
    "RELATIONS",
    "Qualified",
    "Terms",
    "INTENT_CHARACTERISATIONS",
    "author_list_iri",
    "related_link_iri",
    "YEAR",
    *("DECIMAL", "CANDIDATE", "DERIVATIVE", "SIMILARITY", "MISFILING", "COMMUNITY", "REPORT", "DERIVED"),
    "insight_iri",
]

log = logging.getLogger(__name__)

Term = ox.NamedNode | ox.Literal


@functools.lru_cache(maxsize=1 << 18)
def nt(iri: str) -> str:
    """An IRI in N-Triples syntax, checked by pyoxigraph (ValueError if it is not an IRI).

    Cached: a work is the subject of a dozen triples, a person the object of many.
    """
    return str(ox.NamedNode(iri))


def _s(term: Any) -> str:
    return str(term)  # rdflib's closed namespaces check each access; look terms up once


_XSD = vocab.XSD
_INTEGER, _GYEAR, _BOOLEAN = nt(_s(_XSD.integer)), nt(_s(_XSD.gYear)), nt(_s(_XSD.boolean))
_DECIMAL = nt(_s(_XSD.decimal))


# --- datatypes: how a value becomes a term, and back ----------------------------------


@dataclass(frozen=True, slots=True)
class Datatype:
    """How values of one kind are written (as N-Triples text) and read (from a term).

    ``write`` returns None for a value RDF cannot state (an address that is not an IRI);
    ``read`` returns None for a term that does not hold such a value."""

    name: str
    write: Callable[..., str | None]
    read: Callable[[Term], Any]


def _literal_text(term: Term) -> str | None:
    return term.value if isinstance(term, ox.Literal) and term.value.strip() else None


def _write_text(value: str, lang: str | None = None) -> str | None:
    if not value:
        return None
    return str(ox.Literal(value, language=lang) if lang else ox.Literal(value))


def _read_integer(term: Term) -> int | None:
    try:
        return int(term.value) if isinstance(term, ox.Literal) else None
    except ValueError:
        return None


_YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def _read_year(term: Term) -> int | None:
    match = _YEAR_RE.search(term.value) if isinstance(term, ox.Literal) else None
    return int(match.group(1)) if match else None


def _write_iri(value: str) -> str | None:
    try:
        return nt(value)
    except ValueError:
        log.warning("not a valid IRI, left out: %r", value)
        return None


_ORCID_IRI = re.compile(r"https?://orcid\.org/(" + ORCID.pattern + ")")


def _read_orcid(term: Term) -> str | None:
    match = _ORCID_IRI.fullmatch(term.value) if isinstance(term, ox.NamedNode) else None
    return match.group(1) if match else None


TEXT = Datatype("text", lambda v: _write_text(v), _literal_text)
"""A plain string literal."""
TEXT_IN_ITS_LANGUAGE = Datatype("text in its language", lambda v: _write_text(v, text_language(v)), _literal_text)
"""A string tagged with the language its script shows (``@zh``, ``@en``); read as the text."""
LANG_TEXT = Datatype("language-tagged text", lambda v, lang: _write_text(v, lang or "en"), _literal_text)
"""A string tagged with the language another field of the record holds."""
INTEGER = Datatype("integer", lambda v: f'"{int(v)}"^^{_INTEGER}', _read_integer)
YEAR = Datatype("year", lambda v: f'"{int(v):04d}"^^{_GYEAR}' if v else None, _read_year)
"""``xsd:gYear``; read from any literal holding four digits (dates, "2018")."""
TRUE = Datatype(
    "boolean (true only)",
    lambda v: f'"true"^^{_BOOLEAN}' if v else None,
    lambda t: isinstance(t, ox.Literal) and t.value in ("true", "1"),
)
"""Written when true; absent means false (the source did not say so)."""
def _read_decimal(term: Term) -> float | None:
    try:
        return float(term.value) if isinstance(term, ox.Literal) else None
    except ValueError:
        return None


DECIMAL = Datatype("decimal", lambda v: f'"{round(float(v), 3):.3f}"^^{_DECIMAL}', _read_decimal)
"""``xsd:decimal`` with three decimals (derived scores and shares are rounded to them)."""
IRI = Datatype("IRI", _write_iri, lambda t: t.value if isinstance(t, ox.NamedNode) else None)
DATE_TIME = Datatype(
    "date-time",
    lambda v: str(ox.Literal(v, datatype=ox.NamedNode(_s(_XSD.dateTime)))),
    _literal_text,
)
ORCID_IRI = Datatype("ORCID iD as its address", lambda v: nt(orcid_iri(v)), _read_orcid)


# --- attributes and records ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attribute:
    """One field of a record and the predicate stating it."""

    field: str
    predicate: str
    datatype: Datatype
    many: bool = False
    """Many values (a sorted tuple in the record), else at most one."""
    also: tuple[str, ...] = ()
    """Predicates of other vocabularies read as this one, when it is absent."""
    lang_field: str | None = None
    """The record field holding the language tag of a ``LANG_TEXT`` value."""
    write_only: bool = False
    """A statement derived from the field for other readers (another row reads the field)."""

    @property
    def reads(self) -> tuple[str, ...]:
        return () if self.write_only else (self.predicate, *self.also)


@dataclass(frozen=True, slots=True)
class RecordMapping:
    """How one record type is stated about its subject (a node, the list, a resource)."""

    record: type[Any]
    attributes: tuple[Attribute, ...]
    types: tuple[str, ...] = ()
    """``rdf:type`` s the writer gives the subject (works take theirs from their kind)."""
    classes: frozenset[str] = frozenset()
    """Classes that make a subject one of these, when reading (nodes)."""
    nested: tuple[tuple[str, RecordMapping], ...] = ()
    """Fields holding records stated about the same subject (a work's identifiers, listing,
    provenance)."""
    key: str | None = None
    """A nested record exists only where this field is stated (a listing: ``kg:listedIn``)."""


def _a(field: str, predicate: Any, datatype: Datatype, *also: Any, many: bool = False,
       lang: str | None = None, write_only: bool = False) -> Attribute:  # fmt: skip
    return Attribute(field, _s(predicate), datatype, many, tuple(_s(p) for p in also), lang, write_only)


BIBO, CITO, DCTERMS, FABIO, FOAF, KG, OWL, PROV, RDF, RDFS, SDO, SKOS = (
    vocab.BIBO, vocab.CITO, vocab.DCTERMS, vocab.FABIO, vocab.FOAF, vocab.KG, vocab.OWL,
    vocab.PROV, vocab.RDF, vocab.RDFS, vocab.SDO, vocab.SKOS,
)  # fmt: skip

PROVENANCE = RecordMapping(Provenance, (
    _a("derived_from", PROV.wasDerivedFrom, IRI, many=True),
    _a("sources", DCTERMS.source, IRI, many=True),
    _a("notes", KG.sourceDescription, TEXT, many=True),
))  # fmt: skip
"""Provenance, on the node or citation it is of."""

IDENTIFIERS = RecordMapping(Identifiers, (
    _a("arxiv", KG.arxivId, TEXT),
    _a("doi", BIBO.doi, TEXT),
    _a("s2", KG.s2PaperId, TEXT),
    _a("corpus_id", KG.s2CorpusId, INTEGER),
    _a("openreview", KG.openReviewId, TEXT),
    _a("github", KG.githubRepository, TEXT),
    _a("isbn", SDO.isbn, TEXT),
    _a("wikipedia", KG.wikipediaArticle, TEXT),
    _a("pmcid", KG.pmcid, TEXT),
))  # fmt: skip
"""A work's identifiers, as bare values (their IRIs are ``owl:sameAs`` the work)."""

LISTING = RecordMapping(Listing, (
    _a("list_iri", KG.listedIn, IRI),
    _a("title", KG.listedTitle, TEXT),
    _a("line", KG.sourceLine, INTEGER),
    _a("number", KG.listNumber, TEXT),
    _a("year", KG.listedYear, YEAR),
    _a("note", KG.curatorNote, LANG_TEXT, lang="note_lang"),
), key="list_iri")  # fmt: skip
"""What the list says of a resource, on the work itself; ``kg:listedIn`` makes a work a
listed resource. Its related links are LinkRoles (:class:`Terms`)."""

WORK_MAP = RecordMapping(WorkNode, (
    _a("label", RDFS.label, TEXT, DCTERMS.title, SDO.name, DC.title),
    _a("title", DCTERMS.title, TEXT, SDO.name, DC.title),
    _a("venue", KG.venue, TEXT),
    _a("tldr", KG.tldr, TEXT),
    _a("abstract", DCTERMS.abstract, TEXT),
    _a("year", DCTERMS.issued, YEAR, FABIO.hasPublicationYear, SDO.datePublished, DCTERMS.date, DC.date),
    _a("citation_count", KG.citationCount, INTEGER),
    _a("influential_citation_count", KG.influentialCitationCount, INTEGER),
    _a("reference_count", KG.referenceCount, INTEGER),
    _a("citations_fetched", KG.citationsFetched, INTEGER),
    _a("publication_types", KG.publicationType, TEXT, many=True),
    _a("open_access_pdf", KG.openAccessPdf, IRI),
    _a("url", SDO.url, IRI, FOAF.homepage),
), nested=(("ids", IDENTIFIERS), ("listing", LISTING), ("provenance", PROVENANCE)))  # fmt: skip
"""A work. Its classes come from its kind (the kinds table tells which classes name works)."""

PERSON_MAP = RecordMapping(PersonNode, (
    _a("label", FOAF.name, TEXT, SDO.name, RDFS.label),
    _a("s2_author_id", KG.s2AuthorId, TEXT),
    _a("orcid", OWL.sameAs, ORCID_IRI),
), types=(_s(FOAF.Person),), classes=frozenset(map(_s, (FOAF.Person, SDO.Person))),
   nested=(("provenance", PROVENANCE),))  # fmt: skip

TOPIC_MAP = RecordMapping(TopicNode, (
    _a("label", SKOS.prefLabel, TEXT_IN_ITS_LANGUAGE, RDFS.label, DCTERMS.title, SDO.name),
    _a("scheme", SKOS.inScheme, IRI),
    _a("line", KG.sourceLine, INTEGER),
    _a("number", KG.listNumber, TEXT),
), types=(_s(SKOS.Concept),), classes=frozenset({_s(SKOS.Concept)}),
   nested=(("provenance", PROVENANCE),))  # fmt: skip

NODES: dict[str, RecordMapping] = {WORK: WORK_MAP, PERSON: PERSON_MAP, TOPIC: TOPIC_MAP}
"""Each group of nodes and its record's mapping; a node no class names is of the first
group its relations allow, in this order. Every node mapping's first attribute is its label."""

# Semantic Scholar intent labels -> CiTO characterisations. A project choice (CiTO gives
# no official mapping): "methodology" is using a method, "background" citing for
# information, "result" comparing results (closest: citesAsRelated).
INTENT_CHARACTERISATIONS = {
    "methodology": _s(CITO.usesMethodIn),
    "background": _s(CITO.citesForInformation),
    "result": _s(CITO.citesAsRelated),
}
CHARACTERISATION = Datatype(
    "CiTO characterisation of an intent",
    lambda v: nt(INTENT_CHARACTERISATIONS[v]) if v in INTENT_CHARACTERISATIONS else None,
    lambda t: None,
)

CITATION = RecordMapping(Cites, (
    _a("is_influential", KG.isInfluential, TRUE),
    _a("intents", KG.citationIntent, TEXT, many=True),
    _a("intents", CITO.hasCitationCharacterization, CHARACTERISATION, many=True, write_only=True),
), types=(_s(CITO.Citation),), nested=(("provenance", PROVENANCE),))  # fmt: skip
"""What a citation says besides "cites", on a ``cito:Citation`` of its own."""

SOURCE = RecordMapping(Source, (
    _a("label", RDFS.label, TEXT),
    _a("retrieved", PROV.generatedAtTime, DATE_TIME),
), types=(_s(PROV.Entity),))  # fmt: skip
"""A source facts were derived from."""

LIST = RecordMapping(GraphMeta, (
    _a("title", DCTERMS.title, TEXT, RDFS.label),
    _a("title", RDFS.label, TEXT, write_only=True),
    _a("description", DCTERMS.description, TEXT_IN_ITS_LANGUAGE),
), types=tuple(map(_s, (KG.ReadingList, SKOS.ConceptScheme, PROV.Entity, SDO.ItemList))))  # fmt: skip
"""The reading list (its ``list_iri`` is the subject, its ``base_iri`` the start of it)."""

# Derived facts (kg.model.derived): resources of their own; what each rests on is its
# ``prov:wasDerivedFrom`` (Terms.evidence), written and read by kg.rdf.derived.
CANDIDATE = RecordMapping(Candidate, (
    _a("work", KG.concernsWork, IRI), _a("score", KG.score, DECIMAL), _a("rank", KG.rank, INTEGER),
    _a("topic", KG.proposedTopic, IRI),
), types=(_s(KG.Candidate),))  # fmt: skip
DERIVATIVE = RecordMapping(Derivative, (
    _a("work", KG.concernsWork, IRI), _a("score", KG.score, DECIMAL), _a("rank", KG.rank, INTEGER),
), types=(_s(KG.Derivative),))  # fmt: skip
SIMILARITY = RecordMapping(Similarity, (
    _a("ends", KG.relates, IRI, many=True), _a("cocitations", KG.coCitationCount, INTEGER),
    _a("couplings", KG.couplingCount, INTEGER),
), types=(_s(KG.Similarity),))  # fmt: skip
MISFILING = RecordMapping(Misfit, (
    _a("resource", KG.concernsWork, IRI), _a("topic", KG.filedUnder, IRI), _a("suggested", KG.suggestedTopic, IRI),
    _a("agreement", KG.agreement, DECIMAL),
), types=(_s(KG.Misfiling),))  # fmt: skip
COMMUNITY = RecordMapping(Community, (
    _a("number", KG.communityNumber, INTEGER), _a("label", RDFS.label, TEXT), _a("members", KG.hasMember, IRI, many=True),
    _a("terms", KG.distinctiveTerm, TEXT, many=True), _a("topics", KG.coversTopic, IRI, many=True),
    _a("fields", KG.sharedField, IRI, many=True),
), types=(_s(KG.Community),))  # fmt: skip
REPORT = RecordMapping(Insights, (
    _a("disconnected", KG.disconnectedTopic, IRI, many=True), _a("isolated", KG.isolatedResource, IRI, many=True),
    _a("modularity", KG.modularity, DECIMAL), _a("notes", KG.insightNote, TEXT, many=True),
), types=(_s(KG.InsightReport),))  # fmt: skip
"""The report's own statements; its findings are the resources above."""
DERIVED = {"candidate": CANDIDATE, "derivative": DERIVATIVE, "similarity": SIMILARITY, "misfiling": MISFILING,
           "community": COMMUNITY}  # fmt: skip
"""Each kind of finding (the path of its IRIs, :func:`insight_iri`) and its mapping."""

MAPPINGS = (WORK_MAP, IDENTIFIERS, LISTING, PERSON_MAP, TOPIC_MAP, PROVENANCE, CITATION, SOURCE, LIST,
            REPORT, *DERIVED.values())  # fmt: skip
"""Every record mapping (what a reader collects values for)."""


# --- relations -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Qualified:
    """Where a relation's edges that say more than the relation (a citation's intents and
    sources) are written: a resource of their own, typed and described by ``mapping``,
    that names both ends; its IRI is ``<base><path>/<hash of the ends>``."""

    mapping: RecordMapping
    source: str
    target: str
    path: str

    def iri(self, source: str, target: str, base: str) -> str:
        return f"{base}{self.path}/{_digest(f'{source} {target}')}"


@dataclass(frozen=True, slots=True)
class Relation:
    """One relation of the model and the predicates stating it."""

    record: type[Edge]
    predicate: str
    ends: tuple[str, str]
    """The groups of the subject and the object (a node no class names is known by its links)."""
    also: tuple[str, ...] = ()
    """Predicates of other vocabularies meaning the same, in the same direction."""
    inverse: tuple[str, ...] = ()
    """Predicates meaning the same, from object to subject."""
    named_by_text: bool = False
    """Whether a graph made elsewhere may give the object as text (a name, a keyword)."""
    qualified: Qualified | None = None
    """Where the fields of its edges go, for a relation whose record has any."""


def _r(record: type[Edge], predicate: Any, ends: tuple[str, str], also: tuple[Any, ...] = (),
       inverse: tuple[Any, ...] = (), named_by_text: bool = False,
       qualified: Qualified | None = None) -> Relation:  # fmt: skip
    return Relation(record, _s(predicate), ends, tuple(map(_s, also)), tuple(map(_s, inverse)), named_by_text,
                    qualified)  # fmt: skip


RELATIONS: dict[str, Relation] = {r.record.relation: r for r in (
    _r(Cites, CITO.cites, (WORK, WORK),
       also=(CITO.usesMethodIn, CITO.citesForInformation, CITO.citesAsRelated, BIBO.cites, SDO.citation),
       inverse=(CITO.isCitedBy, BIBO.citedBy),
       qualified=Qualified(CITATION, _s(CITO.hasCitingEntity), _s(CITO.hasCitedEntity), "citation")),
    _r(Creator, DCTERMS.creator, (WORK, PERSON), also=(DC.creator, SDO.author, FOAF.maker), named_by_text=True),
    _r(Contributor, DCTERMS.contributor, (WORK, PERSON), also=(DC.contributor, SDO.contributor),
       named_by_text=True),
    _r(Subject, DCTERMS.subject, (WORK, TOPIC), also=(DC.subject, SDO.about, FABIO.hasSubjectTerm),
       named_by_text=True),
    _r(Broader, SKOS.broader, (TOPIC, TOPIC), inverse=(SKOS.narrower,)),
    _r(PartOf, DCTERMS.isPartOf, (WORK, WORK), also=(SDO.isPartOf,), inverse=(DCTERMS.hasPart, SDO.hasPart)),
)}  # fmt: skip
"""Relation (edge key) -> its row. A creator's place in the byline is the byline's
(:class:`Terms`), not a field of the edge."""


class Terms:
    """The terms of the structures that are more than one predicate per field."""

    type = _s(RDF.type)
    same_as = _s(OWL.sameAs)
    """A work's identifier IRIs other than its own; a person's ORCID."""
    top_concept = _s(SKOS.hasTopConcept)
    """The list's topics that have no broader topic."""
    author_list, seq = _s(BIBO.authorList), _s(RDF.Seq)
    """A work's byline: an rdf:Seq whose rdf:_1, rdf:_2… are its creators in order."""
    see_also = _s(RDFS.seeAlso)
    """A related link's address, for any RDF reader."""
    related_link, link_role = _s(SDO.relatedLink), _s(SDO.LinkRole)
    link_text, link_position = _s(SDO.linkRelationship), _s(SDO.position)
    link_kind = _s(KG.linkRole)
    """What the link is (``kg:linkRole``: "code", "slides"…), when the list says."""
    """A related link as the list shows it: a schema.org LinkRole (``schema:relatedLink``
    from the work to the role, from the role to the address) with the link's text
    (``schema:linkRelationship``) and place (``schema:position``). A label on the address
    itself would not do: the address may be a node of the graph (which has one label) or a
    related link of two works under two texts."""
    entity = _s(PROV.Entity)
    concept_scheme, pref_label = _s(SKOS.ConceptScheme), _s(SKOS.prefLabel)
    fields_scheme_label = "Semantic Scholar fields of study"
    schema_http, schema = "http://schema.org/", _s(SDO._NS)
    """schema.org is written with http as often as https: kg reads both, writes https."""
    evidence = _s(PROV.wasDerivedFrom)
    """What a derived fact rests on: the ``cito:Citation`` resource of each citation (kg
    writes one for every citation used as evidence, whatever else it says), and the
    ``kg:Similarity`` resources."""


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:20]


def author_list_iri(work: str, base: str) -> str:
    """A stable IRI for the byline of ``work``."""
    return f"{base}authors/{_digest(work)}"


def related_link_iri(work: str, url: str, base: str) -> str:
    """A stable IRI for the related link ``url`` of ``work``."""
    return f"{base}link/{_digest(f'{work} {url}')}"


def insight_iri(kind: str, key: str, list_iri: str | None, base: str) -> str:
    """A stable IRI for a derived fact of ``kind`` ("candidate", "report"…) about ``key``
    (a work, a pair of works, a community's number), within the insights of one list."""
    scope = list_iri or ""
    return f"{base}insight/{kind}/{_digest(f'{scope} {key}')}"
