"""RDF back into the graph: any Turtle (or other RDF) file in the vocabularies kg speaks
becomes the networkx graph of :mod:`kg.graph`, so it can be drawn (``kg render``).

It reads what :mod:`kg.rdf` writes, the same file after SPARQL edits, and graphs made
elsewhere with DCTerms, CiTO, FOAF, SKOS, schema.org (``http`` or ``https``), FaBiO or BIBO:

- **works**: anything typed as a kind of work (the kg classes, their FaBiO/schema.org
  superclasses in ``ontology/``, BIBO documents, ``schema:ScholarlyArticle``), or found
  citing, cited, authored or about a topic. The kind is the most specific kg class the
  node has, else the kg class of its most specific standard class.
- **persons**: ``foaf:Person``/``schema:Person``, or creators and contributors; a creator
  given as a plain name becomes a person under the base IRI.
- **topics**: ``skos:Concept``, or what works are about (``dcterms:subject``) and what
  topics are narrower than; a subject given as text becomes a topic.
- **edges**: ``cito:cites`` (and ``cito:isCitedBy``, ``bibo:cites``, ``schema:citation``),
  creators, contributors, subjects, ``skos:broader``/``narrower``, ``dcterms:isPartOf``.

Authors come in byline order where the work has a ``bibo:authorList`` (an ``rdf:Seq``
with ``rdf:_1``, ``rdf:_2``, …, as kg writes it; its members count as creators too), else
by name. Provenance (``origins``) stays in the RDF: the map does not show it.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
>>> _ = path.write_text('''
... @prefix dcterms: <http://purl.org/dc/terms/> . @prefix cito: <http://purl.org/spar/cito/> .
... <https://doi.org/10.1/a> dcterms:title "A" ; dcterms:creator "Ada Lovelace" ;
...     cito:cites <https://doi.org/10.1/b> .
... ''', encoding="utf-8")
>>> g = read_graph(path)
>>> sorted((g.nodes[n]["group"], g.nodes[n]["label"]) for n in g)
[('person', 'Ada Lovelace'), ('work', 'A'), ('work', 'https://doi.org/10.1/b')]
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DC

from kg.errors import DataError
from kg.identify.identifiers import identify_url
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
from kg.model.iris import person_iri, topic_iri
from kg.model.ontology import Ontology, load_ontology
from kg.model.vocab import (
    BIBO,
    CITO,
    DCTERMS,
    DEFAULT_BASE_IRI,
    FABIO,
    FOAF,
    KG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    member_number,
)
from kg.rdf.store import load_store
from kg.rdf.write import (  # the writer's tables: read what it writes
    COUNT_PROPERTIES,
    ID_PROPERTIES,
    TEXT_PROPERTIES,
)
from kg.read.extensions import kind_name

__all__ = ["read_graph", "graph_from_store"]

log = logging.getLogger(__name__)

_SCHEMA_HTTP = "http://schema.org/"
_SCHEMA = str(SDO._NS)

# predicate -> (relation, reversed?)
_RELATIONS: dict[str, tuple[str, bool]] = {
    **{str(p): (CITES, False) for p in (
        CITO.cites, CITO.usesMethodIn, CITO.citesForInformation, CITO.citesAsRelated,
        BIBO.cites, SDO.citation,
    )},
    str(CITO.isCitedBy): (CITES, True),
    str(BIBO.citedBy): (CITES, True),
    **{str(p): (CREATOR, False) for p in (DCTERMS.creator, DC.creator, SDO.author, FOAF.maker)},
    **{str(p): (CONTRIBUTOR, False) for p in (DCTERMS.contributor, DC.contributor, SDO.contributor)},
    **{str(p): (SUBJECT, False) for p in (DCTERMS.subject, DC.subject, SDO.about, FABIO.hasSubjectTerm)},
    str(SKOS.broader): (BROADER, False),
    str(SKOS.narrower): (BROADER, True),
    str(DCTERMS.isPartOf): (PART_OF, False),
    str(SDO.isPartOf): (PART_OF, False),
    str(DCTERMS.hasPart): (PART_OF, True),
    str(SDO.hasPart): (PART_OF, True),
}
# What each end of a relation is, for nodes no type names.
_ENDS = {
    CITES: (WORK, WORK),
    CREATOR: (WORK, PERSON),
    CONTRIBUTOR: (WORK, PERSON),
    SUBJECT: (WORK, TOPIC),
    BROADER: (TOPIC, TOPIC),
    PART_OF: (WORK, WORK),
}
# Classes outside the ontology that still name works, and the kind they mean.
_FOREIGN_KINDS = {
    str(BIBO.AcademicArticle): "Paper",
    str(BIBO.Article): "Paper",
    str(BIBO.Book): "Book",
    str(BIBO.Document): "Work",
    str(SDO.ScholarlyArticle): "Paper",
    str(FOAF.Document): "Work",
}
# Relations whose object may be plain text (a name, a keyword) rather than an IRI.
_NAMED_BY_TEXT = {CREATOR, CONTRIBUTOR, SUBJECT}
_PERSON_CLASSES = {str(FOAF.Person), str(SDO.Person)}
_TOPIC_CLASSES = {str(SKOS.Concept)}


class _P:
    """Predicates read per node, as plain strings (the keys of :class:`_Triples`): a
    closed namespace checks every attribute access, which adds up over 100,000 nodes."""

    years = tuple(map(str, (DCTERMS.issued, FABIO.hasPublicationYear, SDO.datePublished, DCTERMS.date, DC.date)))
    labels = {
        WORK: tuple(map(str, (RDFS.label, DCTERMS.title, SDO.name, DC.title))),
        PERSON: tuple(map(str, (FOAF.name, SDO.name, RDFS.label))),
        TOPIC: tuple(map(str, (SKOS.prefLabel, RDFS.label, DCTERMS.title, SDO.name))),
    }
    foreign_titles = (str(SDO.name), str(DC.title))
    title, description, label = str(DCTERMS.title), str(DCTERMS.description), str(RDFS.label)
    publication_type, open_access_pdf = str(KG.publicationType), str(KG.openAccessPdf)
    listed_in, listed_title, listed_year = str(KG.listedIn), str(KG.listedTitle), str(KG.listedYear)
    number, line, note = str(KG.listNumber), str(KG.sourceLine), str(KG.curatorNote)
    url, homepage, see_also, same_as = str(SDO.url), str(FOAF.homepage), str(RDFS.seeAlso), str(OWL.sameAs)
    s2_author, in_scheme = str(KG.s2AuthorId), str(SKOS.inScheme)
    citing, cited = str(CITO.hasCitingEntity), str(CITO.hasCitedEntity)
    influential, intent = str(KG.isInfluential), str(KG.citationIntent)
    author_list = str(BIBO.authorList)


# The writer's tables with plain-string keys: looked up once per node, not per triple.
_ID_PREDICATES = {scheme: str(p) for scheme, p in ID_PROPERTIES.items()}
_TEXT_PREDICATES = {name: str(p) for name, p in TEXT_PROPERTIES.items()}
_COUNT_PREDICATES = {name: str(p) for name, p in COUNT_PROPERTIES.items()}
_RDF_TYPE = str(RDF.type)
# Every predicate whose values some node attribute reads.
_VALUES = frozenset(
    [*_ID_PREDICATES.values(), *_TEXT_PREDICATES.values(), *_COUNT_PREDICATES.values(),
     *_P.years, *(p for ps in _P.labels.values() for p in ps), *_P.foreign_titles]
    + [v for k, v in vars(_P).items() if not k.startswith("_") and isinstance(v, str)]
)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_ORCID = re.compile(r"https?://orcid\.org/(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")


def read_graph(*paths: Path, ontology: Ontology | None = None) -> nx.MultiDiGraph:
    """The graph the RDF files at ``paths`` describe (see the module docstring).

    Raises DataError naming the file when one cannot be read, or when it holds no work,
    person or topic at all.
    """
    graph = graph_from_store(load_store(*paths), ontology=ontology)
    if graph.number_of_nodes() == 0:
        names = ", ".join(str(p) for p in paths)
        raise DataError(
            f"{names}: no works, people or topics found (kg reads DCTerms, CiTO, FOAF, SKOS, "
            "schema.org, FaBiO and BIBO terms)"
        )
    if not graph.graph.get("title") and paths:
        graph.graph["title"] = Path(paths[0]).stem
    return graph


@dataclass
class _Triples:
    """The triples that matter, grouped by subject (IRIs as strings)."""

    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    values: dict[str, dict[str, list[ox.NamedNode | ox.Literal]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    links: list[tuple[str, str, ox.NamedNode | ox.Literal]] = field(default_factory=list)
    """(subject, relation, object) in the direction of the graph contract."""
    members: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    """Container -> (number, member IRI): ``rdf:_n`` statements, for author lists."""


def graph_from_store(store: ox.Store, *, ontology: Ontology | None = None) -> nx.MultiDiGraph:
    """The graph of everything in ``store``'s default graph (see :func:`read_graph`)."""
    ontology = ontology or load_ontology()
    triples = _collect(store)
    bylines = _bylines(triples)
    kinds = _Kinds(ontology)
    lists = sorted(s for s, t in triples.types.items() if str(KG.ReadingList) in t)
    base = _base_iri(lists)
    graph = nx.MultiDiGraph(base_iri=base)
    if lists:
        meta = triples.values[lists[0]]
        graph.graph.update(
            title=_first_text(meta, _P.title, _P.label),
            description=_first_text(meta, _P.description),
            list_iri=lists[0],
        )
    groups, names = _groups(triples, kinds, base)
    for node in sorted(groups):
        group = groups[node]
        values = triples.values.get(node, {})
        if group == WORK:
            attrs = _work(node, values, kinds.kind(triples.types.get(node, set())))
        elif group == PERSON:
            attrs = _person(node, values)
        else:
            attrs = _topic(node, values)
        if attrs["label"] == node and node in names:
            attrs["label"] = names[node]
        graph.add_node(node, **attrs)
    _add_edges(graph, triples, groups, base, bylines)
    log.info("read %d nodes, %d edges", graph.number_of_nodes(), graph.number_of_edges())
    return graph


def _collect(store: ox.Store) -> _Triples:
    triples = _Triples()
    routes: dict[ox.NamedNode, tuple[str, Any]] = {}  # predicate -> what to do with it
    for subject, predicate, obj, _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        if not isinstance(subject, ox.NamedNode) or isinstance(obj, (ox.BlankNode, ox.Triple)):
            continue  # kg never writes blank nodes; foreign ones name nothing we could show
        route = routes.get(predicate)
        if route is None:
            route = routes[predicate] = _route(_normalise(predicate.value))
        action, how = route
        if action == "value":
            triples.values[subject.value][how].append(obj)
        elif action == "type":
            if isinstance(obj, ox.NamedNode):
                triples.types[subject.value].add(_normalise(obj.value))
        elif action == "member":
            if isinstance(obj, ox.NamedNode):
                triples.members[subject.value].append((how, obj.value))
        elif action == "link":
            relation, backwards = how
            if backwards and isinstance(obj, ox.NamedNode):
                triples.links.append((obj.value, relation, subject))
            elif not backwards and (isinstance(obj, ox.NamedNode) or relation in _NAMED_BY_TEXT):
                triples.links.append((subject.value, relation, obj))
    return triples


def _route(predicate: str) -> tuple[str, Any]:
    if predicate == _RDF_TYPE:
        return "type", None
    if predicate in _RELATIONS:
        return "link", _RELATIONS[predicate]
    if predicate in _VALUES:
        return "value", predicate
    if (number := member_number(predicate)) is not None:
        return "member", number
    return "skip", None  # provenance and the like: the map does not show it


def _normalise(iri: str) -> str:
    """schema.org is written with http as often as https: read both as kg writes it."""
    return _SCHEMA + iri[len(_SCHEMA_HTTP):] if iri.startswith(_SCHEMA_HTTP) else iri


def _base_iri(lists: list[str]) -> str:
    """The base IRI a kg graph was built with, from its list's IRI (``<base>list/<name>``)."""
    if lists and "/list/" in lists[0]:
        return lists[0].rsplit("list/", 1)[0]
    return DEFAULT_BASE_IRI


class _Kinds:
    """Which classes name works, and the kind (kg class) each stands for."""

    def __init__(self, ontology: Ontology) -> None:
        kg_ns = str(KG._NS)
        self._specificity: dict[str, int] = {}
        self._kind_of: dict[str, str] = {}
        self._own = {str(c) for c in ontology.work_kinds()}
        for cls in ontology.work_kinds():
            self._specificity[str(cls)] = len(ontology.superclasses(cls))
            self._kind_of[str(cls)] = kind_name(cls)
        # A standard class stands for the most general kg class below it, e.g.
        # fabio:ScholarlyWork for kg:Paper, schema:CreativeWork for kg:Work.
        for cls in sorted(ontology.work_kinds(), key=lambda c: (-len(ontology.superclasses(c)), str(c))):
            for parent in ontology.graph.objects(cls, RDFS.subClassOf):
                parent_iri = str(parent)
                if isinstance(parent, URIRef) and not parent_iri.startswith((kg_ns, str(PROV._NS))):
                    self._kind_of[parent_iri] = self._kind_of[str(cls)]
                    self._specificity[parent_iri] = self._specificity[str(cls)]
        for iri, kind in _FOREIGN_KINDS.items():
            self._kind_of.setdefault(iri, kind)
            self._specificity.setdefault(iri, 1)

    def names_work(self, types: Iterable[str]) -> bool:
        return any(t in self._kind_of for t in types)

    def kind(self, types: Iterable[str]) -> str:
        known = [t for t in types if t in self._kind_of]
        if not known:
            return "Work"
        # The ontology's own kinds (kg's and its extensions') first, then the most specific.
        best = max(known, key=lambda t: (t in self._own, self._specificity[t], t))
        return self._kind_of[best]


def _groups(triples: _Triples, kinds: _Kinds, base: str) -> tuple[dict[str, str], dict[str, str]]:
    """Work, person or topic, for every node: what its types say, else its relations.
    Also the names of the nodes minted for people and topics given as text."""
    groups: dict[str, str] = {}
    for subject, types in triples.types.items():
        if kinds.names_work(types):
            groups[subject] = WORK
        elif types & _PERSON_CLASSES:
            groups[subject] = PERSON
        elif types & _TOPIC_CLASSES:
            groups[subject] = TOPIC
    roles: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for subject, relation, obj in triples.links:
        start, end = _ENDS[relation]
        roles[subject].add(start)
        target = _object_node(obj, relation, base)
        roles[target].add(end)
        if isinstance(obj, ox.Literal):
            names.setdefault(target, obj.value)
    for node, found in roles.items():
        if node not in groups:
            groups[node] = next(g for g in (WORK, PERSON, TOPIC) if g in found)
    return groups, names


def _object_node(obj: ox.NamedNode | ox.Literal, relation: str, base: str) -> str:
    """The node an object names: its IRI, or for a name given as text, a minted IRI."""
    if isinstance(obj, ox.NamedNode):
        return obj.value
    if relation in (CREATOR, CONTRIBUTOR):
        return person_iri(obj.value, base)
    return topic_iri([obj.value], base)


def _literals(values: dict[str, list[Any]], *predicates: str) -> list[ox.Literal]:
    return [o for p in predicates for o in values.get(p, ()) if isinstance(o, ox.Literal)]


def _first_text(values: dict[str, list[Any]], *predicates: str) -> str | None:
    """The first non-empty text of the first predicate that has one (English or untagged
    before other languages, then in code-point order, so the choice is stable)."""
    for predicate in predicates:
        found = sorted(
            (o for o in _literals(values, predicate) if o.value.strip()),
            key=lambda o: (o.language not in (None, "en"), o.value),
        )
        if found:
            return found[0].value
    return None


def _integer(values: dict[str, list[Any]], predicate: str) -> int | None:
    for literal in _literals(values, predicate):
        try:
            return int(literal.value)
        except ValueError:
            log.debug("not an integer: %r", literal.value)
    return None


def _year(values: dict[str, list[Any]], *predicates: str) -> int | None:
    for literal in _literals(values, *predicates):
        match = _YEAR.search(literal.value)
        if match:
            return int(match.group(1))
    return None


def _iris(values: dict[str, list[Any]], predicate: str) -> list[str]:
    return sorted(o.value for o in values.get(predicate, ()) if isinstance(o, ox.NamedNode))


def _work(node: str, values: dict[str, list[Any]], kind: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {"group": WORK, "kind": kind, "origins": []}
    label = _first_text(values, *_P.labels[WORK])
    attrs["label"] = label or node
    for name, predicate in _TEXT_PREDICATES.items():
        if text := _first_text(values, predicate):
            attrs[name] = text
    if "title" not in attrs and (foreign := _first_text(values, *_P.foreign_titles)):
        attrs["title"] = foreign
    for name, predicate in _COUNT_PREDICATES.items():
        if (number := _integer(values, predicate)) is not None:
            attrs[name] = number
    if (year := _year(values, *_P.years)) is not None:
        attrs["year"] = year
    if types := sorted(o.value for o in _literals(values, _P.publication_type)):
        attrs["publication_types"] = types
    if pdf := _iris(values, _P.open_access_pdf):
        attrs["open_access_pdf"] = pdf[0]
    attrs["ids"] = _identifiers(node, values)
    attrs["in_list"] = bool(_iris(values, _P.listed_in))
    if attrs["in_list"]:
        attrs.update(_listing(values, attrs))
    elif url := (_iris(values, _P.url) or _iris(values, _P.homepage)):
        attrs["url"] = url[0]
    return attrs


def _listing(values: dict[str, list[Any]], work: dict[str, Any]) -> dict[str, Any]:
    """What the reading list says about one of its resources."""
    attrs: dict[str, Any] = {
        # The writer leaves the list's title out when it equals the work's title.
        "listed_title": _first_text(values, _P.listed_title) or work.get("title") or work["label"],
        "listed_year": _year(values, _P.listed_year),
        "number": _first_text(values, _P.number),
        "line": _integer(values, _P.line),
        "related": [(url, "") for url in _iris(values, _P.see_also)],
    }
    url = _iris(values, _P.url)
    attrs["url"] = url[0] if url else None
    notes = sorted(_literals(values, _P.note), key=lambda o: (o.language or "", o.value))
    attrs["note"] = notes[0].value if notes else None
    attrs["note_lang"] = (notes[0].language or None) if notes else None
    return attrs


def _identifiers(node: str, values: dict[str, list[Any]]) -> dict[str, str]:
    """Identifier scheme -> value: as stated, else (a graph made elsewhere) as the node's
    IRIs, its own and ``owl:sameAs``, reveal (https://doi.org/…, https://arxiv.org/abs/…)."""
    ids: dict[str, str] = {}
    for scheme, predicate in _ID_PREDICATES.items():
        found = sorted(o.value for o in _literals(values, predicate))
        if found:
            ids[scheme] = found[0]
    if ids:
        return ids
    for iri in [node, *_iris(values, _P.same_as)]:
        for scheme, value in identify_url(iri).items():
            if scheme not in ("url", "local"):
                ids.setdefault(scheme, value)
    return ids


def _person(node: str, values: dict[str, list[Any]]) -> dict[str, Any]:
    orcids = [m.group(1) for iri in _iris(values, _P.same_as) if (m := _ORCID.match(iri))]
    return {
        "group": PERSON,
        "label": _first_text(values, *_P.labels[PERSON]) or node,
        "s2_author_id": _first_text(values, _P.s2_author),
        "orcid": orcids[0] if orcids else None,
    }


def _topic(node: str, values: dict[str, list[Any]]) -> dict[str, Any]:
    schemes = _iris(values, _P.in_scheme)
    return {
        "group": TOPIC,
        "label": _first_text(values, *_P.labels[TOPIC]) or node,
        "scheme": "fields-of-study" if any(s.endswith("scheme/fields-of-study") for s in schemes) else "list",
        "line": _integer(values, _P.line),
        "number": _first_text(values, _P.number),
    }


def _bylines(triples: _Triples) -> dict[str, list[str]]:
    """Work -> its authors in byline order, from ``bibo:authorList``; each of them is
    also made a creator of the work, as a graph with only the list means."""
    bylines: dict[str, list[str]] = {}
    for work, values in triples.values.items():
        for author_list in _iris(values, _P.author_list)[:1]:
            people = [person for _, person in sorted(triples.members.get(author_list, ()))]
            bylines[work] = list(dict.fromkeys(people))
            triples.links.extend((work, CREATOR, ox.NamedNode(p)) for p in bylines[work])
    return bylines


def _add_edges(
    graph: nx.MultiDiGraph,
    triples: _Triples,
    groups: dict[str, str],
    base: str,
    bylines: dict[str, list[str]],
) -> None:
    citation_facts = _citation_facts(triples)
    for subject, relation, obj in sorted(triples.links, key=lambda t: (t[0], t[1], str(t[2]))):
        target = _object_node(obj, relation, base)
        start, end = _ENDS[relation]
        if groups.get(subject) != start or groups.get(target) != end or subject == target:
            log.debug("skipped %s %s %s: the ends are not a %s and a %s", subject, relation, target, start, end)
            continue
        if graph.has_edge(subject, target, key=relation):
            continue
        attrs: dict[str, Any] = {}
        if relation == CITES:
            influential, intents = citation_facts.get((subject, target), (None, []))
            attrs = {"origins": [], "is_influential": influential, "intents": intents}
        graph.add_edge(subject, target, key=relation, **attrs)
    # Number each work's authors: the byline first, then any other creator by name.
    for work in (n for n, g in groups.items() if g == WORK and n in graph):
        authors = {v for _, v, k in graph.out_edges(work, keys=True) if k == CREATOR}
        byline = [p for p in bylines.get(work, ()) if p in authors]
        rest = sorted(authors.difference(byline), key=lambda p: (graph.nodes[p]["label"].casefold(), p))
        for position, person in enumerate(byline + rest):
            graph.edges[work, person, CREATOR]["position"] = position


def _citation_facts(triples: _Triples) -> dict[tuple[str, str], tuple[bool | None, list[str]]]:
    """Influence and intents of citations, from the ``cito:Citation`` nodes kg writes."""
    facts: dict[tuple[str, str], tuple[bool | None, list[str]]] = {}
    for node, types in triples.types.items():
        if str(CITO.Citation) not in types:
            continue
        values = triples.values.get(node, {})
        citing, cited = _iris(values, _P.citing), _iris(values, _P.cited)
        if not (citing and cited):
            continue
        influential = any(o.value in ("true", "1") for o in _literals(values, _P.influential))
        intents = sorted({o.value for o in _literals(values, _P.intent)})
        facts[(citing[0], cited[0])] = (True if influential else None, intents)
    return facts
