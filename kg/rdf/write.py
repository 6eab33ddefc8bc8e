"""The graph as RDF: triples in the kg ontology and standard vocabularies, written as Turtle.

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

import functools
import hashlib
import logging
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import URIRef

from kg.files import atomic_writer
from kg.model import vocab
from kg.model.graph import BROADER, CITES, CONTRIBUTOR, CREATOR, PART_OF, PERSON, SUBJECT, TOPIC
from kg.model.iris import identifier_iris
from kg.model.ontology import Ontology, kind_iri
from kg.model.records import Origin
from kg.model.vocab import PREFIXES, member_iri, member_number
from kg.read.language import text_language

__all__ = [
    "graph_triples",
    "sorted_ntriples",
    "write_turtle",
    "citation_iri",
    "author_list_iri",
    "SNAPSHOT_SOURCE_PATH",
    "ID_PROPERTIES",
    "COUNT_PROPERTIES",
    "TEXT_PROPERTIES",
]

log = logging.getLogger(__name__)

SNAPSHOT_SOURCE_PATH = "source/bundled-facts"
"""Where, under the base IRI, the bundled facts dataset is named."""

_Triple = tuple[str, str, str]
"""Subject, predicate and object in N-Triples syntax (``<iri>``, ``"text"@en``)."""


@functools.lru_cache(maxsize=1 << 18)
def _n(iri: str) -> str:
    """An IRI in N-Triples syntax, checked by pyoxigraph (ValueError if it is not an IRI).

    Cached: a work is the subject of a dozen triples, a person the object of many.
    """
    return str(ox.NamedNode(iri))


class _Terms:
    """A vocabulary's terms as plain IRI strings, each looked up once.

    rdflib's closed namespaces check every attribute access, which at a few million triples
    costs more than writing them. A misspelt term still fails, at its first use.
    """

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)  # not a term: copy and inspect probe such names
        iri = str(getattr(self._namespace, name))
        setattr(self, name, iri)
        return iri


BIBO, CITO, DCTERMS, FOAF, KG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD = (
    _Terms(ns) for ns in (
        vocab.BIBO, vocab.CITO, vocab.DCTERMS, vocab.FOAF, vocab.KG, vocab.OWL, vocab.PROV,
        vocab.RDF, vocab.RDFS, vocab.SDO, vocab.SKOS, vocab.XSD,
    )
)  # fmt: skip

# Identifier schemes -> the property that states the bare value.
ID_PROPERTIES = {
    "arxiv": KG.arxivId,
    "doi": BIBO.doi,
    "s2": KG.s2PaperId,
    "corpus_id": KG.s2CorpusId,
    "openreview": KG.openReviewId,
    "github": KG.githubRepository,
    "isbn": SDO.isbn,
    "wikipedia": KG.wikipediaArticle,
    "pmcid": KG.pmcid,
}

# Work attributes written as plain typed literals.
COUNT_PROPERTIES = {
    "citation_count": KG.citationCount,
    "influential_citation_count": KG.influentialCitationCount,
    "reference_count": KG.referenceCount,
    "citations_fetched": KG.citationsFetched,
}
TEXT_PROPERTIES = {
    "title": DCTERMS.title,
    "venue": KG.venue,
    "tldr": KG.tldr,
    "abstract": DCTERMS.abstract,
}

# Semantic Scholar intent labels -> CiTO characterisations. A project choice (CiTO gives
# no official mapping): "methodology" is using a method, "background" citing for
# information, "result" comparing results (closest: citesAsRelated).
_INTENTS = {
    "methodology": CITO.usesMethodIn,
    "background": CITO.citesForInformation,
    "result": CITO.citesAsRelated,
}

_EDGE_PROPERTIES = {
    CREATOR: DCTERMS.creator,
    CONTRIBUTOR: DCTERMS.contributor,
    SUBJECT: DCTERMS.subject,
    BROADER: SKOS.broader,
    PART_OF: DCTERMS.isPartOf,
    CITES: CITO.cites,
}


def _iri(value: Any) -> str | None:
    """An IRI for a web address from outside, or None if it is not a valid http(s) IRI."""
    if not isinstance(value, str) or not value.lower().startswith(("http://", "https://")):
        return None
    try:
        return _n(value)
    except ValueError:
        log.warning("not a valid IRI, left out: %r", value)
        return None


def _text(value: str, lang: str | None = None) -> str:
    return str(ox.Literal(value, language=lang) if lang else ox.Literal(value))


def _typed(value: str, datatype: str) -> str:
    return str(ox.Literal(value, datatype=ox.NamedNode(datatype)))


def _integer(value: int) -> str:
    return f'"{int(value)}"^^{_n(XSD.integer)}'  # digits need no escaping


def _year(value: int) -> str:
    return f'"{int(value):04d}"^^{_n(XSD.gYear)}'


def graph_triples(graph: nx.MultiDiGraph, ontology: Ontology) -> Iterator[_Triple]:
    """Every triple the graph says, in no particular order."""
    base = graph.graph["base_iri"]
    yield from _list_triples(graph)
    for node, attrs in graph.nodes(data=True):
        subject = _n(node)
        if attrs["group"] == TOPIC:
            yield from _topic_triples(graph, subject, attrs, base)
        elif attrs["group"] == PERSON:
            yield from _person_triples(subject, attrs)
        else:
            yield from _work_triples(graph, subject, attrs, ontology, base)
            yield from _author_list_triples(graph, node, base)
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        yield _n(source), _n(_EDGE_PROPERTIES[key]), _n(target)
        if key == CITES:
            yield from _citation_triples(source, target, attrs, graph.graph["list_iri"], base)


def _list_triples(graph: nx.MultiDiGraph) -> Iterator[_Triple]:
    meta = graph.graph
    subject = _n(meta["list_iri"])
    for cls in (KG.ReadingList, SKOS.ConceptScheme, PROV.Entity, SDO.ItemList):
        yield subject, _n(RDF.type), _n(cls)
    title = meta.get("title") or meta.get("list_source") or "reading list"
    yield subject, _n(DCTERMS.title), _text(title)
    yield subject, _n(RDFS.label), _text(title)
    if meta.get("description"):
        yield subject, _n(DCTERMS.description), _text(
            meta["description"], text_language(meta["description"])
        )
    for node, attrs in graph.nodes(data=True):
        if attrs["group"] == TOPIC and attrs.get("scheme") == "list" and not any(
            k == BROADER for _, _, k in graph.out_edges(node, keys=True)
        ):
            yield subject, _n(SKOS.hasTopConcept), _n(node)


def _topic_triples(
    graph: nx.MultiDiGraph, subject: str, attrs: dict[str, Any], base: str
) -> Iterator[_Triple]:
    yield subject, _n(RDF.type), _n(SKOS.Concept)
    label = attrs["label"]
    yield subject, _n(SKOS.prefLabel), _text(label, text_language(label))
    scheme = (
        graph.graph["list_iri"] if attrs.get("scheme") == "list" else f"{base}scheme/fields-of-study"
    )
    yield subject, _n(SKOS.inScheme), _n(scheme)
    if attrs.get("line"):
        yield subject, _n(KG.sourceLine), _integer(attrs["line"])
    if attrs.get("number"):
        yield subject, _n(KG.listNumber), _text(attrs["number"])
    if attrs.get("source"):
        yield subject, _n(KG.sourceDescription), _text(f"{attrs['source']}, line {attrs['line']}")
    if attrs.get("scheme") != "list":
        yield _n(scheme), _n(RDF.type), _n(SKOS.ConceptScheme)
        yield _n(scheme), _n(SKOS.prefLabel), _text("Semantic Scholar fields of study", "en")


def _person_triples(subject: str, attrs: dict[str, Any]) -> Iterator[_Triple]:
    yield subject, _n(RDF.type), _n(FOAF.Person)
    yield subject, _n(FOAF.name), _text(attrs["label"])
    if attrs.get("s2_author_id"):
        yield subject, _n(KG.s2AuthorId), _text(attrs["s2_author_id"])
    if attrs.get("orcid"):
        yield subject, _n(OWL.sameAs), _n(f"https://orcid.org/{attrs['orcid']}")


def _work_triples(
    graph: nx.MultiDiGraph,
    subject: str,
    attrs: dict[str, Any],
    ontology: Ontology,
    base: str,
) -> Iterator[_Triple]:
    cls = kind_iri(attrs.get("kind") or "Work")
    for type_ in ontology.superclasses(URIRef(cls)):
        yield subject, _n(RDF.type), _n(type_)
    yield subject, _n(RDFS.label), _text(attrs["label"])
    for name, prop in TEXT_PROPERTIES.items():
        if attrs.get(name):
            yield subject, _n(prop), _text(attrs[name])
    for name, prop in COUNT_PROPERTIES.items():
        if attrs.get(name) is not None:
            yield subject, _n(prop), _integer(attrs[name])
    if attrs.get("year"):
        yield subject, _n(DCTERMS.issued), _year(attrs["year"])
    for ptype in attrs.get("publication_types") or ():
        yield subject, _n(KG.publicationType), _text(ptype)
    if (pdf := _iri(attrs.get("open_access_pdf"))) is not None:
        yield subject, _n(KG.openAccessPdf), pdf
    yield from _identifier_triples(subject, attrs["ids"])
    if attrs.get("in_list"):
        yield from _listing_triples(graph, subject, attrs)
    yield from _origin_triples(subject, attrs.get("origins", ()), graph.graph["list_iri"], base)


def author_list_iri(work: str, base: str) -> str:
    """A stable IRI for the byline of ``work`` (kg writes no blank nodes)."""
    digest = hashlib.sha1(work.encode()).hexdigest()[:20]
    return f"{base}authors/{digest}"


def _author_list_triples(graph: nx.MultiDiGraph, work: str, base: str) -> Iterator[_Triple]:
    """The byline as ``bibo:authorList``, an ``rdf:Seq`` of the creators in order, since
    ``dcterms:creator`` alone says nothing of who comes first. Numbered 1, 2, … after the
    positions the sources gave, so works merged from several sources still count up."""
    creators = sorted(
        (attrs.get("position", 1 << 30), person)
        for _, person, key, attrs in graph.out_edges(work, keys=True, data=True)
        if key == CREATOR
    )
    if not creators:
        return
    byline = _n(author_list_iri(work, base))
    yield _n(work), _n(BIBO.authorList), byline
    yield byline, _n(RDF.type), _n(RDF.Seq)
    for number, (_, person) in enumerate(creators, start=1):
        yield byline, _n(member_iri(number)), _n(person)


def _identifier_triples(subject: str, ids: dict[str, str]) -> Iterator[_Triple]:
    for scheme, value in ids.items():
        prop = ID_PROPERTIES.get(scheme)
        if prop is not None:
            literal = _integer(int(value)) if scheme == "corpus_id" else _text(str(value))
            yield subject, _n(prop), literal
    for iri in identifier_iris(ids):
        if _n(iri) != subject:
            yield subject, _n(OWL.sameAs), _n(iri)


def _listing_triples(
    graph: nx.MultiDiGraph, subject: str, attrs: dict[str, Any]
) -> Iterator[_Triple]:
    """What the reading list itself says about a resource."""
    yield subject, _n(KG.listedIn), _n(graph.graph["list_iri"])
    if attrs.get("listed_title") and attrs["listed_title"] != attrs.get("title"):
        yield subject, _n(KG.listedTitle), _text(attrs["listed_title"])
    if attrs.get("listed_year"):
        yield subject, _n(KG.listedYear), _year(attrs["listed_year"])
    if attrs.get("number"):
        yield subject, _n(KG.listNumber), _text(attrs["number"])
    if attrs.get("line"):
        yield subject, _n(KG.sourceLine), _integer(attrs["line"])
    if attrs.get("note"):
        yield subject, _n(KG.curatorNote), _text(attrs["note"], attrs.get("note_lang") or "en")
    if (url := _iri(attrs.get("url"))) is not None:
        yield subject, _n(SDO.url), url
    for related_url, _text_shown in attrs.get("related") or ():
        if (related := _iri(related_url)) is not None:
            yield subject, _n(RDFS.seeAlso), related


def _origin_triples(
    subject: str, origins: Iterable[Origin], list_iri: str, base: str
) -> Iterator[_Triple]:
    """Provenance: what each fact about the subject was derived from."""
    for origin in origins:
        if origin.source in ("list", "extension"):  # an extension adds to the list
            yield subject, _n(PROV.wasDerivedFrom), _n(list_iri)
        elif origin.source == "snapshot":
            dataset = _n(base + SNAPSHOT_SOURCE_PATH)
            yield subject, _n(PROV.wasDerivedFrom), dataset
            yield dataset, _n(RDF.type), _n(PROV.Entity)
            yield dataset, _n(RDFS.label), _text("kg bundled facts (public sources)")
        for url in origin.urls:
            if (source := _iri(url)) is None:
                continue
            if origin.source == "snapshot":
                # A page the bundled facts were read from: a source, not something we fetched.
                yield subject, _n(DCTERMS.source), source
            else:
                # A response kg fetched itself: derived from it, at the time it was retrieved.
                yield subject, _n(PROV.wasDerivedFrom), source
                yield from _retrieval_triples(source, origin)
        for note in origin.notes:
            if origin.source != "list":
                yield subject, _n(KG.sourceDescription), _text(note)


def _retrieval_triples(source: str, origin: Origin) -> Iterator[_Triple]:
    yield source, _n(RDF.type), _n(PROV.Entity)
    if origin.retrieved:
        yield source, _n(PROV.generatedAtTime), _typed(origin.retrieved, XSD.dateTime)


def citation_iri(citing: str, cited: str, base: str) -> str:
    """A stable IRI for the citation of ``cited`` by ``citing``."""
    digest = hashlib.sha1(f"{citing} {cited}".encode()).hexdigest()[:20]
    return f"{base}citation/{digest}"


def _citation_triples(
    citing: str, cited: str, attrs: dict[str, Any], list_iri: str, base: str
) -> Iterator[_Triple]:
    """A cito:Citation node where there is more to say than "cites": its source, whether it
    is influential, its intents. Citations fetched with nothing more stay a single triple,
    which keeps a 50,000-paper graph small."""
    origins = attrs.get("origins") or ()
    curated = [o for o in origins if o.source != "semantic-scholar"]
    if not (curated or attrs.get("is_influential") or attrs.get("intents")):
        return
    node = _n(citation_iri(citing, cited, base))
    yield node, _n(RDF.type), _n(CITO.Citation)
    yield node, _n(CITO.hasCitingEntity), _n(citing)
    yield node, _n(CITO.hasCitedEntity), _n(cited)
    if attrs.get("is_influential"):
        yield node, _n(KG.isInfluential), f'"true"^^{_n(XSD.boolean)}'
    for intent in attrs.get("intents") or ():
        yield node, _n(KG.citationIntent), _text(intent)
        if intent in _INTENTS:
            yield node, _n(CITO.hasCitationCharacterization), _n(_INTENTS[intent])
    yield from _origin_triples(node, curated, list_iri, base)


def sorted_ntriples(graph: nx.MultiDiGraph, ontology: Ontology) -> Iterator[str]:
    """Every triple of the graph once, as N-Triples lines in a fixed order: subjects in
    code-point order, each with rdf:type first, then predicates and objects in order
    (``rdf:_2`` before ``rdf:_10``)."""
    by_subject: dict[str, set[tuple[bool, int, str, str]]] = {}
    type_, rdf = _n(RDF.type), f"<{PREFIXES['rdf']}"
    for subject, predicate, obj in graph_triples(graph, ontology):
        # Only rdf: predicates can be members; the check keeps the hot loop cheap.
        number = (member_number(predicate[1:-1]) or 0) if predicate.startswith(rdf) else 0
        by_subject.setdefault(subject, set()).add((predicate != type_, number, predicate, obj))
    for subject in sorted(by_subject):
        for _, _, predicate, obj in sorted(by_subject.pop(subject)):
            yield f"{subject} {predicate} {obj} .\n"


def write_turtle(graph: nx.MultiDiGraph, path: Path, ontology: Ontology) -> int:
    """Write the graph as Turtle atomically; return the number of triples written.

    The sorted N-Triples go through a temporary file, so that a few million triples are
    never held as one string as well.
    """
    count = 0
    with tempfile.TemporaryFile() as ntriples:
        for line in sorted_ntriples(graph, ontology):
            ntriples.write(line.encode())
            count += 1
        ntriples.seek(0)
        with atomic_writer(path) as out:
            triples = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
            ox.serialize(triples, out, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return count
