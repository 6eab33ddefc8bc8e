"""RDF back into the graph: any Turtle (or other RDF) file in the vocabularies kg speaks
becomes a :class:`~kg.model.graph.KnowledgeGraph`, so it can be drawn (``kg render``),
analysed or loaded from Python.

What it reads is what :mod:`kg.rdf.mapping` says, so the graph read from the Turtle kg
wrote equals the graph kg wrote it from. It also reads the same file after SPARQL edits,
and graphs made elsewhere with DCTerms, CiTO, FOAF, SKOS, schema.org (``http`` or
``https``), FaBiO or BIBO (the mapping's ``also`` and ``inverse`` predicates):

- **works**: anything typed as a kind of work (the kinds table: kg classes, their FaBiO /
  schema.org superclasses, the classes the ontology matches to them, such as BIBO's), or
  found citing, cited, authored or about a topic. The kind is the most specific kg class
  the node has, else the kind of its most specific standard class.
- **persons**: ``foaf:Person``/``schema:Person``, or creators and contributors; a creator
  given as a plain name becomes a person under the base IRI.
- **topics**: ``skos:Concept``, or what works are about and what topics are narrower than;
  a subject given as text becomes a topic.

Authors come in byline order where the work has a ``bibo:authorList`` (an ``rdf:Seq``;
its members count as creators too), else by name.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
>>> _ = path.write_text('''
... @prefix dcterms: <http://purl.org/dc/terms/> . @prefix cito: <http://purl.org/spar/cito/> .
... <https://doi.org/10.1/a> dcterms:title "A" ; dcterms:creator "Ada Lovelace" ;
...     cito:cites <https://doi.org/10.1/b> .
... ''', encoding="utf-8")
>>> g = read_graph(path)
>>> sorted((n.group, n.label) for n in g.nodes())
[('person', 'Ada Lovelace'), ('work', 'A'), ('work', 'https://doi.org/10.1/b')]
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import DataError
from kg.identify.identifiers import identify_url
from kg.model.derived import Insights, Pair
from kg.model.graph import KnowledgeGraph
from kg.model.iris import person_iri, topic_iri
from kg.model.kinds import KindTable, shipped_kinds
from kg.model.nodes import (
    CITES,
    CREATOR,
    PERSON,
    WORK,
    Creator,
    Edge,
    GraphMeta,
    Source,
    default_edge,
)
from kg.model.records import Identifiers, Link
from kg.model.vocab import DEFAULT_BASE_IRI, member_number
from kg.rdf.mapping import (
    DERIVED,
    INTEGER,
    IRI,
    LIST,
    MAPPINGS,
    NODES,
    RELATIONS,
    REPORT,
    SOURCE,
    TEXT,
    RecordMapping,
    Term,
    Terms,
)
from kg.rdf.store import load_store

__all__ = ["read_graph", "graph_from_store"]

log = logging.getLogger(__name__)

_Values = dict[str, list[Term]]

_STRUCTURES = (
    Terms.same_as, Terms.see_also, Terms.related_link, Terms.link_text, Terms.link_position, Terms.link_kind,
    Terms.author_list,
    *(p for r in RELATIONS.values() if r.qualified for p in (r.qualified.source, r.qualified.target)),
)  # fmt: skip
_READING_LIST = LIST.types[0]  # kg:ReadingList


def _routes() -> dict[str, tuple[str, Any]]:
    """Predicate -> what to do with its triples: a relation (and whether it points
    backwards), or a value some record reads. Everything else (say, a characterisation
    kg derives from an intent) is left out."""
    routes: dict[str, tuple[str, Any]] = {Terms.type: ("type", None)}
    for key, relation in RELATIONS.items():
        routes.update({p: ("link", (key, False)) for p in (relation.predicate, *relation.also)})
        routes.update({p: ("link", (key, True)) for p in relation.inverse})
    for mapping in MAPPINGS:
        for attribute in mapping.attributes:
            routes.update({p: ("value", p) for p in attribute.reads if p not in routes})
    routes.update({p: ("value", p) for p in _STRUCTURES})
    return routes


_ROUTES = _routes()
_NAMED_BY_TEXT = {key for key, relation in RELATIONS.items() if relation.named_by_text}


def read_graph(*paths: Path, kinds: KindTable | None = None) -> KnowledgeGraph:
    """The graph the RDF files at ``paths`` describe (see the module docstring). ``kinds``
    (default: the shipped ontology's) tells kinds of works from other classes.

    Raises DataError naming the file when one cannot be read, or when it holds no work,
    person or topic at all.
    """
    graph = graph_from_store(load_store(*paths), kinds=kinds)
    if len(graph) == 0:
        names = ", ".join(str(p) for p in paths)
        raise DataError(
            f"{names}: no works, people or topics found (kg reads DCTerms, CiTO, FOAF, SKOS, "
            "schema.org, FaBiO and BIBO terms)"
        )
    if not graph.meta.title and paths:
        graph.meta = replace(graph.meta, title=Path(paths[0]).stem)
    return graph


@dataclass
class _Triples:
    """The triples that matter, grouped by subject (IRIs as strings)."""

    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    values: dict[str, _Values] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    links: list[tuple[str, str, Term]] = field(default_factory=list)
    """(subject, relation, object) in the direction of the model."""
    members: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    """Container -> (number, member IRI): ``rdf:_n`` statements, for bylines."""


def graph_from_store(store: ox.Store, *, kinds: KindTable | None = None) -> KnowledgeGraph:
    """The graph of everything in ``store``'s default graph (see :func:`read_graph`)."""
    kinds = kinds or shipped_kinds()
    triples = _collect(store)
    bylines = _bylines(triples)
    lists = sorted(s for s, t in triples.types.items() if _READING_LIST in t)
    graph = KnowledgeGraph(_meta(triples, lists), kinds=kinds)
    base = graph.meta.base_iri
    groups, names = _groups(triples, kinds, base)
    for node in sorted(groups):
        values = triples.values.get(node, {})
        fields = _read(values, NODES[groups[node]])
        fields["label"] = fields.get("label") or names.get(node) or node
        if groups[node] == WORK:
            fields = _work(node, values, fields, kinds.classify(triples.types.get(node, ())) or "Work", triples)
        graph.add(NODES[groups[node]].record(iri=node, **fields))
    _add_edges(graph, triples, groups, bylines)
    graph.sources.update(_sources(triples, groups, lists))
    graph.insights = _insights(triples)
    log.info("read %d nodes, %d edges", len(graph), graph.number_of_edges())
    return graph


def _collect(store: ox.Store) -> _Triples:
    triples = _Triples()
    routes: dict[ox.NamedNode, tuple[str, Any]] = {}  # by predicate term, looked up once
    how: Any
    for subject, predicate, obj, _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        if not isinstance(subject, ox.NamedNode) or isinstance(obj, (ox.BlankNode, ox.Triple)):
            continue  # kg never writes blank nodes; foreign ones name nothing we could show
        route = routes.get(predicate)
        if route is None:
            iri = _normalise(predicate.value)
            route = _ROUTES.get(iri) or (("member", n) if (n := member_number(iri)) is not None else ("skip", None))
            routes[predicate] = route
        action, how = route
        if action == "value":
            triples.values[subject.value][str(how)].append(obj)
        elif action == "type":
            if isinstance(obj, ox.NamedNode):
                triples.types[subject.value].add(_normalise(obj.value))
        elif action == "member":
            if isinstance(obj, ox.NamedNode):
                triples.members[subject.value].append((int(how), obj.value))
        elif action == "link":
            relation, backwards = how
            if backwards and isinstance(obj, ox.NamedNode):
                triples.links.append((obj.value, relation, subject))
            elif not backwards and (isinstance(obj, ox.NamedNode) or relation in _NAMED_BY_TEXT):
                triples.links.append((subject.value, relation, obj))
    return triples


def _normalise(iri: str) -> str:
    """schema.org is written with http as often as https: read both as kg writes it."""
    return Terms.schema + iri[len(Terms.schema_http):] if iri.startswith(Terms.schema_http) else iri


# --- values ----------------------------------------------------------------------------


def _ordered(terms: Iterable[Term]) -> list[Term]:
    """Texts in English or untagged first, then by value: the choice among several is stable."""
    return sorted(terms, key=lambda t: (
        isinstance(t, ox.NamedNode), isinstance(t, ox.Literal) and t.language not in (None, "en"), t.value,
    ))  # fmt: skip


def _read(values: _Values, mapping: RecordMapping) -> dict[str, Any]:
    """The fields of one record as the mapping finds them (absent ones left out), with the
    records nested in it."""
    out: dict[str, Any] = {}
    for attribute in mapping.attributes:
        read = attribute.datatype.read
        if attribute.write_only:
            continue
        if attribute.many:
            found = {v for p in attribute.reads for t in values.get(p, ()) if (v := read(t)) is not None}
            if found:
                out[attribute.field] = tuple(sorted(found))
            continue
        for predicate in attribute.reads:
            term, value = next(
                ((t, v) for t in _ordered(values.get(predicate, ())) if (v := read(t)) is not None), (None, None)
            )
            if term is not None:
                out[attribute.field] = value
                if attribute.lang_field and isinstance(term, ox.Literal):
                    out[attribute.lang_field] = term.language or None
                break
    for name, nested in mapping.nested:
        fields = _read(values, nested)
        if nested.key is None or nested.key in fields:
            out[name] = nested.record(**fields)
    return out


def _first(values: _Values, predicate: str, datatype: Any) -> Any:
    return next((v for t in _ordered(values.get(predicate, ())) if (v := datatype.read(t)) is not None), None)


def _meta(triples: _Triples, lists: list[str]) -> GraphMeta:
    if not lists:
        return GraphMeta(base_iri=DEFAULT_BASE_IRI)
    # The base IRI a kg graph was built with, from its list's IRI (<base>list/<name>).
    base = lists[0].rsplit("list/", 1)[0] if "/list/" in lists[0] else DEFAULT_BASE_IRI
    return GraphMeta(list_iri=lists[0], base_iri=base, **_read(triples.values.get(lists[0], {}), LIST))


def _work(node: str, values: _Values, fields: dict[str, Any], kind: str, triples: _Triples) -> dict[str, Any]:
    """A work's fields: its kind, its identifiers (stated, or seen in its IRIs), and its
    listing with its related links."""
    fields["kind"] = kind
    if fields["ids"] == Identifiers():
        fields["ids"] = _identifiers_in_iris(node, values)
    if (listing := fields.get("listing")) is not None:
        # The list's words without kg:listedTitle: a graph edited by hand, or one kg wrote
        # before it always stated it (it left it out where it was the title).
        title = listing.title or fields.get("title") or fields["label"]
        fields["listing"] = replace(listing, title=title, related=_related(values, triples))
    return fields


def _related(values: _Values, triples: _Triples) -> tuple[Link, ...]:
    """Related links in list order with their text, from their LinkRoles; addresses only
    ``rdfs:seeAlso`` names come after them, without a text."""
    roles = []
    for role in sorted(t.value for t in values.get(Terms.related_link, ()) if isinstance(t, ox.NamedNode)):
        described = triples.values.get(role, {})
        url = _first(described, Terms.related_link, IRI) or role  # schema:relatedLink <address>
        position = _first(described, Terms.link_position, INTEGER)
        text = _first(described, Terms.link_text, TEXT) or ""
        roles.append((position if position is not None else 1 << 30, url, text, _first(described, Terms.link_kind, TEXT)))
    ordered: list[Link] = []
    seen: set[str] = set()
    for _, url, text, kind in sorted(roles, key=lambda r: (r[0], r[1], r[2])):
        if url not in seen:
            seen.add(url)
            ordered.append(Link(url, text, kind))
    extra = sorted({t.value for t in values.get(Terms.see_also, ()) if isinstance(t, ox.NamedNode)} - seen)
    return tuple(ordered) + tuple(Link(url, "") for url in extra)


def _identifiers_in_iris(node: str, values: _Values) -> Identifiers:
    """A graph made elsewhere states no bare identifiers: the node's IRIs, its own and
    ``owl:sameAs``, reveal them (https://doi.org/…, https://arxiv.org/abs/…)."""
    found: dict[str, Any] = {}
    same = sorted(t.value for t in values.get(Terms.same_as, ()) if isinstance(t, ox.NamedNode))
    for iri in [node, *same]:
        for scheme, value in identify_url(iri).items():
            if scheme not in ("url", "local"):
                found.setdefault(scheme, int(value) if scheme == "corpus_id" else value)
    return Identifiers(**found)


def _sources(triples: _Triples, groups: dict[str, str], lists: Sequence[str]) -> dict[str, Source]:
    """The prov:Entity s facts were derived from that are not nodes of the graph (nor
    citations, nor the list)."""
    qualified = {t for r in RELATIONS.values() if r.qualified for t in r.qualified.mapping.types}
    return {
        iri: Source(iri=iri, **_read(triples.values.get(iri, {}), SOURCE))
        for iri, types in sorted(triples.types.items())
        if Terms.entity in types and iri not in groups and iri not in lists and not types & qualified
    }


# --- nodes and edges -------------------------------------------------------------------


def _groups(triples: _Triples, kinds: KindTable, base: str) -> tuple[dict[str, str], dict[str, str]]:
    """Work, person or topic, for every node: what its types say, else its relations.
    Also the names of the nodes minted for people and topics given as text."""
    groups: dict[str, str] = {}
    for subject, types in triples.types.items():
        if kinds.names_work(types):
            groups[subject] = WORK
        elif group := next((g for g, m in NODES.items() if types & m.classes), None):
            groups[subject] = group
    roles: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for subject, relation, obj in triples.links:
        start, end = RELATIONS[relation].ends
        roles[subject].add(start)
        target = _object_node(obj, relation, base)
        roles[target].add(end)
        if isinstance(obj, ox.Literal):
            names.setdefault(target, obj.value)
    for node, found in roles.items():
        if node not in groups:
            groups[node] = next(g for g in NODES if g in found)
    return groups, names


def _object_node(obj: Term, relation: str, base: str) -> str:
    """The node an object names: its IRI, or for a name given as text, a minted IRI."""
    if isinstance(obj, ox.NamedNode):
        return obj.value
    if RELATIONS[relation].ends[1] == PERSON:
        return person_iri(obj.value, base)
    return topic_iri([obj.value], base)


def _bylines(triples: _Triples) -> dict[str, list[str]]:
    """Work -> its authors in byline order, from ``bibo:authorList``; each of them is
    also made a creator of the work, as a graph with only the list means."""
    bylines: dict[str, list[str]] = {}
    for work, values in triples.values.items():
        lists = sorted(t.value for t in values.get(Terms.author_list, ()) if isinstance(t, ox.NamedNode))
        for author_list in lists[:1]:
            people = [person for _, person in sorted(triples.members.get(author_list, ()))]
            bylines[work] = list(dict.fromkeys(people))
            triples.links.extend((work, CREATOR, ox.NamedNode(p)) for p in bylines[work])
    return bylines


def _add_edges(graph: KnowledgeGraph, triples: _Triples, groups: dict[str, str], bylines: dict[str, list[str]]) -> None:
    base = graph.meta.base_iri
    qualified = _qualified(triples)
    for subject, relation, obj in sorted(triples.links, key=lambda t: (t[0], t[1], str(t[2]))):
        target = _object_node(obj, relation, base)
        start, end = RELATIONS[relation].ends
        if groups.get(subject) != start or groups.get(target) != end or subject == target:
            log.debug("skipped %s %s %s: the ends are not a %s and a %s", subject, relation, target, start, end)
            continue
        if relation != CREATOR and not graph.has_edge(subject, target, relation):
            edge = qualified.get((subject, target, relation)) or default_edge(RELATIONS[relation].record)
            graph.link(subject, target, edge)
    # Number each work's authors: the byline first, then any other creator by name.
    creators: dict[str, set[str]] = defaultdict(set)
    for subject, relation, obj in triples.links:
        target = _object_node(obj, relation, base)
        if relation == CREATOR and groups.get(subject) == WORK and groups.get(target) == PERSON and subject != target:
            creators[subject].add(target)
    for work in sorted(creators):
        byline = [p for p in bylines.get(work, ()) if p in creators[work]]
        rest = sorted(creators[work].difference(byline), key=lambda p: (graph.node(p).label.casefold(), p))
        for position, person in enumerate(byline + rest):
            graph.link(work, person, Creator(position=position))


def _qualified(triples: _Triples) -> dict[tuple[str, str, str], Edge]:
    """The edges whose own resources (a ``cito:Citation``) say more than their relation."""
    found: dict[tuple[str, str, str], Edge] = {}
    for key, relation in RELATIONS.items():
        if relation.qualified is None:
            continue
        where = relation.qualified
        for node, types in triples.types.items():
            if not types.issuperset(where.mapping.types):
                continue
            values = triples.values.get(node, {})
            source, target = _first(values, where.source, IRI), _first(values, where.target, IRI)
            if source and target:
                found[(source, target, key)] = relation.record(**_read(values, where.mapping))
    return found


# --- derived facts ---------------------------------------------------------------------

_ORDER: dict[str, Any] = {
    "candidate": lambda r: (r.rank, r.work),
    "derivative": lambda r: (r.rank, r.work),
    "similarity": lambda r: r.ends,
    "misfiling": lambda r: (-r.agreement, r.resource),
    "community": lambda r: (r.number, r.label),
}


def _insights(triples: _Triples) -> Insights | None:
    """The insights the RDF states (:mod:`kg.model.derived`), each finding with the
    citations and similarities its ``prov:wasDerivedFrom`` names; None when it holds no
    ``kg:InsightReport``. A finding that lacks a required value (a file edited by hand)
    is left out."""
    reports = sorted(s for s, t in triples.types.items() if REPORT.types[0] in t)
    if not reports:
        return None
    where = RELATIONS[CITES].qualified
    assert where is not None
    pairs: dict[str, Pair] = {}
    for node, types in triples.types.items():
        values = triples.values.get(node, {})
        if types.issuperset(where.mapping.types):
            source, target = _first(values, where.source, IRI), _first(values, where.target, IRI)
            if source and target:
                pairs[node] = (source, target)
        elif DERIVED["similarity"].types[0] in types:
            ends = sorted({t.value for t in values.get(DERIVED["similarity"].attributes[0].predicate, ())
                           if isinstance(t, ox.NamedNode)})  # fmt: skip
            if len(ends) == 2:
                pairs[node] = (ends[0], ends[1])
    similar = set(pairs) - {n for n, t in triples.types.items() if t.issuperset(where.mapping.types)}
    found: dict[str, list[Any]] = {kind: [] for kind in DERIVED}
    for node, types in sorted(triples.types.items()):
        for kind, mapping in DERIVED.items():
            if not types.issuperset(mapping.types):
                continue
            values = triples.values.get(node, {})
            fields = _read(values, mapping)
            refs = sorted(t.value for t in values.get(Terms.evidence, ()) if isinstance(t, ox.NamedNode))
            fields["evidence"] = tuple(sorted({pairs[r] for r in refs if r in pairs and r not in similar}))
            if kind in ("misfiling", "community"):
                fields["similar"] = tuple(sorted({pairs[r] for r in refs if r in similar}))
            if kind == "similarity":
                fields["ends"] = pairs.get(node, ())
            try:
                found[kind].append(mapping.record(**fields))
            except TypeError as err:
                log.warning("%s: a %s without all its values, left out (%s)", node, kind, err)
    ordered = {kind: tuple(sorted(records, key=_ORDER[kind])) for kind, records in found.items()}
    return Insights(
        **_read(triples.values.get(reports[0], {}), REPORT),
        candidates=ordered["candidate"],
        derivatives=ordered["derivative"],
        similarities=tuple(s for s in ordered["similarity"] if len(s.ends) == 2),
        misfiled=ordered["misfiling"],
        communities=ordered["community"],
    )
