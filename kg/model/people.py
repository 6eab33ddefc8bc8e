"""The people of the graph: the bylines sources give and the names the list writes, one
person each.

The first source with a byline for a work gives it (the bundled facts come before the API).
A source that names people without ids (the bundled facts) meets the API's people of the
same work by name ("Gal Vardi" and "G. Vardi"), else by a name the corpus gives only one
Semantic Scholar id. The list's names come last: where a source gave the byline, each name
the list shares with it (:func:`~kg.model.identity.match_names`) adds the list's provenance
to that person; where none did, the list's names are the byline, in the order written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from kg.model.graph import KnowledgeGraph
from kg.model.identity import match_names, person_keys
from kg.model.iris import ORCID, person_iri
from kg.model.nodes import Contributor, Creator, PersonNode, Provenance
from kg.model.records import Person, Work

__all__ = ["People"]

log = logging.getLogger(__name__)

_CREATOR, _CONTRIBUTOR = Creator.relation, Contributor.relation
_NO_PROVENANCE = Provenance()


def _union(*parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({item for part in parts for item in part}))


@dataclass(slots=True)
class People:
    """Who wrote what, while the graph is built (see the module docstring)."""

    graph: KnowledgeGraph
    base: str
    work_authors: dict[str, dict[str, Person]] = field(default_factory=dict)
    """Work IRI -> name keys -> an author with a Semantic Scholar id, for the works that
    also have authors without one (a curated author list beside the API's)."""
    unique_author_ids: dict[str, str] = field(default_factory=dict)
    """Normalised name -> the one Semantic Scholar author id the corpus gives that name."""
    orcids: dict[str, str] = field(default_factory=dict)
    """Semantic Scholar author id -> ORCID."""
    authored: set[str] = field(default_factory=set)
    """Works whose byline is given (the first source's byline wins, the list's comes last)."""
    byline_length: dict[str, int] = field(default_factory=dict)
    mentions: dict[str, tuple[str | None, list[Provenance]]] = field(default_factory=dict)
    """Person IRI -> what further mentions add (an ORCID, provenance), applied by
    :meth:`finish` once: a person the list names on 200 lines is remade once, not 200 times."""

    def register(self, works: Sequence[tuple[str, Work]], *, names_without_ids: bool = False) -> None:
        """Learn the Semantic Scholar ids of the corpus's people, where some people come
        without one: a source's (``works``: each with its node's IRI) or the list's
        (``names_without_ids``)."""
        unnamed = {iri for iri, work in works if any(not person.s2_author_id for person in work.authors)}
        if not unnamed and not names_without_ids:
            return
        ids_by_name: dict[str, set[str]] = {}
        for iri, work in works:
            for person in work.authors:
                if not person.s2_author_id:
                    continue
                keys = person_keys(person.name)
                if iri in unnamed:
                    for key in keys:
                        self.work_authors.setdefault(iri, {}).setdefault(key, person)
                ids_by_name.setdefault(keys[0], set()).add(person.s2_author_id)
                if person.orcid:
                    self.orcids.setdefault(person.s2_author_id, person.orcid)
        self.unique_author_ids = {k: next(iter(v)) for k, v in ids_by_name.items() if len(v) == 1}

    def add_byline(self, work: str, people: Iterable[Person]) -> None:
        """A source's byline of ``work``, unless an earlier source gave one."""
        if work not in self.authored:
            self.authored.add(work)
            self.add(work, people, creators=True)

    def add_listed(self, work: str, names: Sequence[str], provenance: Provenance) -> None:
        """The names the list writes as the authors of ``work`` (see the module docstring)."""
        if work not in self.authored:
            self.authored.add(work)
            self.add(work, [Person(name) for name in names], creators=True, provenance=provenance)
            return
        creators = self.graph.authors(work)
        labels = [self.graph.node(person).label for person in creators]
        for name, match in zip(names, match_names(names, labels), strict=True):
            if match is None:
                log.info("%s: the list names %r as an author; the source's byline does not", work, name)
            else:
                self._update(creators[match], None, provenance)

    def add(
        self, work: str, people: Iterable[Person], *, creators: bool, provenance: Provenance = _NO_PROVENANCE
    ) -> None:
        """People of ``work``: its creators (numbered on from its byline so far) or contributors."""
        for person in people:
            s2_id = person.s2_author_id or self._known_author_id(work, person.name)
            orcid = person.orcid or (self.orcids.get(s2_id) if s2_id else None)
            orcid = orcid if orcid and ORCID.fullmatch(orcid) else None
            iri = person_iri(person.name, self.base, s2_id)
            if iri not in self.graph:
                self.graph.add(PersonNode(
                    iri=iri, label=person.name, s2_author_id=s2_id, orcid=orcid, provenance=provenance,
                ))  # fmt: skip
            else:
                self._update(iri, orcid, provenance)
            if creators and not self.graph.has_edge(work, iri, _CREATOR):
                # Numbered without a gap, as a byline (rdf:_1, rdf:_2…) can say it.
                position = self.byline_length.get(work, 0)
                self.byline_length[work] = position + 1
                self.graph.link(work, iri, Creator(position=position))
            elif not creators and not self.graph.has_edge(work, iri, _CONTRIBUTOR):
                self.graph.link(work, iri, Contributor())

    def _update(self, iri: str, orcid: str | None, provenance: Provenance) -> None:
        """Note what another mention of a known person adds: an ORCID, provenance."""
        if not orcid and not provenance:
            return
        known_orcid, provenances = self.mentions.setdefault(iri, (None, []))
        if provenance:
            provenances.append(provenance)
        if orcid and not known_orcid:
            self.mentions[iri] = (orcid, provenances)

    def finish(self) -> None:
        """Put what further mentions added on the people's records."""
        for iri, (orcid, provenances) in self.mentions.items():
            known = self.graph.get(iri)
            if not isinstance(known, PersonNode):
                continue
            merged = known.provenance
            if provenances:
                merged = Provenance(
                    derived_from=_union(known.provenance.derived_from, *(p.derived_from for p in provenances)),
                    sources=_union(known.provenance.sources, *(p.sources for p in provenances)),
                    notes=_union(known.provenance.notes, *(p.notes for p in provenances)),
                )
            updated = replace(known, orcid=known.orcid or orcid, provenance=merged)
            if updated != known:
                self.graph.add(updated)
        self.mentions.clear()

    def _known_author_id(self, work: str, name: str) -> str | None:
        if not self.unique_author_ids and not self.work_authors:
            return None
        keys = person_keys(name)
        same_work = self.work_authors.get(work, {})
        match = next((same_work[k] for k in keys if k in same_work), None)
        return match.s2_author_id if match is not None else self.unique_author_ids.get(keys[0])
