"""The vocabularies kg speaks, as closed namespaces: a misspelt term fails at once.

``KG`` holds exactly the terms of ``ontology/kg.ttl`` (a test checks both ways). The
SPAR and BIBO namespaces list just the terms kg emits; rdflib's own DCTERMS, FOAF, SKOS and
PROV are closed already.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    XSD,
    DefinedNamespace,
    Namespace,
)

__all__ = [
    "member_iri",
    "member_number",
    "KG",
    "KG_ONTOLOGY",
    "FABIO",
    "CITO",
    "BIBO",
    "DCTERMS",
    "FOAF",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SDO",
    "SKOS",
    "XSD",
    "PREFIXES",
    "DEFAULT_BASE_IRI",
]

KG_ONTOLOGY = URIRef("https://w3id.org/kg/ontology")
DEFAULT_BASE_IRI = "https://w3id.org/kg/id/"
"""Where IRIs of things without a stable identifier (topics, lists, web pages) live."""


class KG(DefinedNamespace):
    """Terms of the kg ontology (``ontology/kg.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/kg/ontology#")

    # Classes
    Work: URIRef
    Paper: URIRef
    Preprint: URIRef
    JournalArticle: URIRef
    ConferencePaper: URIRef
    Survey: URIRef
    Book: URIRef
    Course: URIRef
    Blog: URIRef
    BlogPost: URIRef
    CodeRepository: URIRef
    EncyclopediaArticle: URIRef
    Slides: URIRef
    Event: URIRef
    Answer: URIRef
    WebPage: URIRef
    ReadingList: URIRef
    # Derived facts (kg insights)
    InsightReport: URIRef
    Candidate: URIRef
    Derivative: URIRef
    Misfiling: URIRef
    Community: URIRef
    Similarity: URIRef

    # Properties
    listedIn: URIRef
    listNumber: URIRef
    sourceLine: URIRef
    listedTitle: URIRef
    listedYear: URIRef
    listedVenue: URIRef
    listedAuthorList: URIRef
    listedEtAl: URIRef
    curatorNote: URIRef
    linkRole: URIRef
    venue: URIRef
    arxivId: URIRef
    openReviewId: URIRef
    s2PaperId: URIRef
    s2CorpusId: URIRef
    s2AuthorId: URIRef
    githubRepository: URIRef
    wikipediaArticle: URIRef
    pmcid: URIRef
    citationCount: URIRef
    influentialCitationCount: URIRef
    referenceCount: URIRef
    citationsFetched: URIRef
    tldr: URIRef
    openAccessPdf: URIRef
    publicationType: URIRef
    isInfluential: URIRef
    citationIntent: URIRef
    sourceDescription: URIRef
    # Derived facts (kg insights)
    concernsWork: URIRef
    score: URIRef
    rank: URIRef
    proposedTopic: URIRef
    filedUnder: URIRef
    suggestedTopic: URIRef
    agreement: URIRef
    relates: URIRef
    coCitationCount: URIRef
    couplingCount: URIRef
    hasMember: URIRef
    communityNumber: URIRef
    distinctiveTerm: URIRef
    coversTopic: URIRef
    sharedField: URIRef
    disconnectedTopic: URIRef
    isolatedResource: URIRef
    modularity: URIRef
    insightNote: URIRef
    # Annotations of the kinds (the kinds table, kg.model.kinds)
    mapColour: URIRef
    bibtexType: URIRef
    cslType: URIRef


class FABIO(DefinedNamespace):
    """FaBiO terms kg uses or reads (http://purl.org/spar/fabio/, slash form)."""

    _fail = True
    _NS = Namespace("http://purl.org/spar/fabio/")

    ScholarlyWork: URIRef
    Preprint: URIRef
    JournalArticle: URIRef
    ConferencePaper: URIRef
    ReviewArticle: URIRef
    Book: URIRef
    BlogPost: URIRef
    EncyclopediaEntry: URIRef
    # Read (kg.rdf.read), not written:
    hasPublicationYear: URIRef
    hasSubjectTerm: URIRef


class CITO(DefinedNamespace):
    """CiTO terms kg uses. The terms use the slash form, not the ``cito#`` of CiTO's own file."""

    _fail = True
    _NS = Namespace("http://purl.org/spar/cito/")

    cites: URIRef
    isCitedBy: URIRef
    Citation: URIRef
    hasCitingEntity: URIRef
    hasCitedEntity: URIRef
    hasCitationCharacterization: URIRef
    usesMethodIn: URIRef
    citesForInformation: URIRef
    citesAsRelated: URIRef


class BIBO(DefinedNamespace):
    """BIBO terms kg uses or reads."""

    _fail = True
    _NS = Namespace("http://purl.org/ontology/bibo/")

    doi: URIRef
    authorList: URIRef
    # Read (kg.rdf.read), not written:
    cites: URIRef
    citedBy: URIRef
    Document: URIRef
    Article: URIRef
    AcademicArticle: URIRef
    Book: URIRef


PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "dcterms": str(DCTERMS._NS),
    "foaf": str(FOAF._NS),
    "skos": str(SKOS._NS),
    "prov": str(PROV._NS),
    "schema": str(SDO._NS),
    "fabio": str(FABIO._NS),
    "cito": str(CITO._NS),
    "bibo": str(BIBO._NS),
    "owl": str(OWL._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "xsd": str(XSD._NS),
}
"""Prefixes written at the top of every Turtle file kg produces."""

_MEMBER = str(RDF._NS) + "_"


def member_iri(number: int) -> str:
    """``rdf:_1``, ``rdf:_2``, …: the property naming a container's n-th member."""
    return f"{_MEMBER}{number}"


def member_number(iri: str) -> int | None:
    """n for ``rdf:_n``; None for any other property."""
    suffix = iri[len(_MEMBER):] if iri.startswith(_MEMBER) else ""
    return int(suffix) if suffix.isdigit() else None
