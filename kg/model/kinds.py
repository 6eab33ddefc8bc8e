"""The kinds of works, as one table read from the ontology (``kg.ttl`` and the extensions).

A kind is ``kg:Work`` or a class below it. For each, the table holds its name as the graph
writes it (the local name in the kg namespace, else the full IRI), its label, its parent
classes and every superclass (what the Turtle states, so queries need no reasoner), and
how kg shows and exports it: map colour, BibTeX entry type, CSL item type
(``kg:mapColour``, ``kg:bibtexType``, ``kg:cslType``; a kind that states none takes its
nearest parent's), and the classes of other vocabularies that mean it when kg reads a graph
made elsewhere (``skos:closeMatch``). Sources and guessers name kinds by name; a test checks
that the table knows each one.

>>> kinds = shipped_kinds()
>>> kinds["JournalArticle"].label, kinds["JournalArticle"].bibtex, kinds["JournalArticle"].csl
('Journal article', 'article', 'article-journal')
>>> kinds.classify(["http://purl.org/spar/fabio/Preprint", "https://schema.org/CreativeWork"])
'Preprint'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from kg.model.ontology import Ontology, kind_iri, load_ontology
from kg.model.vocab import KG, PROV

__all__ = ["Kind", "KindTable", "shipped_kinds", "kind_name", "camel_label"]

_DEFAULTS = {"colour": "#79706e", "bibtex": "misc", "csl": "document"}
"""For a kind no ancestor gives one to (kg:Work gives all three)."""


def kind_name(cls: str) -> str:
    """How the graph names a class: its local name in the kg namespace, else the full IRI.

    >>> kind_name(str(KG.Preprint)), kind_name("https://example.org/Notes")
    ('Preprint', 'https://example.org/Notes')
    """
    namespace = str(KG._NS)
    return cls[len(namespace):] if cls.startswith(namespace) else cls


def camel_label(name: str) -> str:
    """A label from a class name: words split at capitals, only the first capitalised.

    >>> camel_label("LectureNotes"), camel_label("https://example.org/onto#VideoLecture")
    ('Lecture notes', 'Video lecture')
    """
    local = re.split(r"[#/:]", name.rstrip("#/"))[-1] or name
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).split()
    return " ".join([words[0]] + [w.lower() for w in words[1:]]) if words else name


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of work."""

    name: str
    """As the graph names it: ``"Preprint"``, or a full IRI outside the kg namespace."""
    iri: str
    label: str
    """``rdfs:label`` (English), else the name split at capitals."""
    parents: tuple[str, ...]
    """Direct superclasses (IRIs, sorted): kg kinds and their FaBiO / schema.org counterparts."""
    superclasses: tuple[str, ...]
    """The class and every superclass (IRIs, sorted): the ``rdf:type`` s a work of it has."""
    colour: str
    bibtex: str
    csl: str
    matches: tuple[str, ...] = ()
    """Classes of other vocabularies read as this kind (``skos:closeMatch``)."""


class KindTable:
    """Every kind the ontology declares, by name."""

    def __init__(self, kinds: Iterable[Kind]) -> None:
        self._kinds = {kind.name: kind for kind in sorted(kinds, key=lambda k: k.name)}
        self._classes = self._class_index()

    @classmethod
    def from_ontology(cls, ontology: Ontology) -> KindTable:
        graph = ontology.graph
        classes = ontology.work_kinds()
        own: dict[str, dict[str, str]] = {}
        for c in classes:
            own[str(c)] = {
                key: str(value)
                for key, prop in (("colour", KG.mapColour), ("bibtex", KG.bibtexType), ("csl", KG.cslType))
                if (value := graph.value(c, prop)) is not None
            }
        parents = {
            str(c): tuple(sorted(str(p) for p in graph.objects(c, RDFS.subClassOf) if isinstance(p, URIRef)))
            for c in classes
        }

        def inherited(iri: str, key: str) -> str:
            """The kind's own value, else the nearest kind above it that states one."""
            queue, seen = [iri], {iri}
            while queue:
                current = queue.pop(0)
                if key in own.get(current, {}):
                    return own[current][key]
                for parent in parents.get(current, ()):
                    if parent in own and parent not in seen:
                        seen.add(parent)
                        queue.append(parent)
            return _DEFAULTS[key]

        kinds = []
        for c in classes:
            iri = str(c)
            labels = [t for t in graph.objects(c, RDFS.label) if getattr(t, "language", None) in (None, "en")]
            kinds.append(Kind(
                name=kind_name(iri),
                iri=iri,
                label=min(str(t) for t in labels) if labels else camel_label(kind_name(iri)),
                parents=parents[iri],
                superclasses=tuple(str(s) for s in ontology.superclasses(c)),
                colour=inherited(iri, "colour"),
                bibtex=inherited(iri, "bibtex"),
                csl=inherited(iri, "csl"),
                matches=tuple(sorted(str(m) for m in graph.objects(c, SKOS.closeMatch))),
            ))  # fmt: skip
        return cls(kinds)

    def _class_index(self) -> dict[str, tuple[str, bool, int]]:
        """Class IRI -> (kind, the ontology's own?, specificity) for every class that names
        a kind: the kinds, the standard classes they refine, the classes that match them."""
        index = {k.iri: (k.name, True, len(k.superclasses)) for k in self._kinds.values()}
        kinds = set(index)
        own_ns = (str(KG._NS), str(PROV._NS))  # prov:Entity names lists and sources too
        # A standard class stands for the most general kind below it: fabio:ScholarlyWork
        # for kg:Paper, schema:CreativeWork for kg:Work.
        for kind in sorted(self._kinds.values(), key=lambda k: (-len(k.superclasses), k.iri)):
            for parent in kind.parents:
                if parent not in kinds and not parent.startswith(own_ns):
                    index[parent] = (kind.name, False, len(kind.superclasses))
        for kind in self._kinds.values():
            for match in kind.matches:
                index.setdefault(match, (kind.name, False, 1))
        return index

    def __getitem__(self, name: str) -> Kind:
        return self._kinds[name]

    def get(self, name: str) -> Kind | None:
        return self._kinds.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    def __iter__(self) -> Iterator[Kind]:
        return iter(self._kinds.values())

    def __len__(self) -> int:
        return len(self._kinds)

    def names(self) -> list[str]:
        return list(self._kinds)

    def superclasses(self, name: str) -> tuple[str, ...]:
        """The ``rdf:type`` s of a work of this kind (just its class, for an unknown kind)."""
        kind = self._kinds.get(name)
        return kind.superclasses if kind is not None else (str(kind_iri(name)),)

    def names_work(self, types: Iterable[str]) -> bool:
        """Whether any of these classes names a kind of work."""
        return any(t in self._classes for t in types)

    def classify(self, types: Iterable[str]) -> str | None:
        """The kind a node with these ``rdf:type`` s is: the most specific of the ontology's
        own kinds, else the kind of its most specific standard class; None when no class
        names a work."""
        known = [self._classes[t] + (t,) for t in types if t in self._classes]
        if not known:
            return None
        name, *_ = max(known, key=lambda k: (k[1], k[2], k[3]))
        return name


@functools.cache
def shipped_kinds() -> KindTable:
    """The kinds of the shipped ontology (``kg.ttl``), read once."""
    return KindTable.from_ontology(load_ontology())
