"""Which records name the same work, and which names the same person."""

from __future__ import annotations

import re
import unicodedata

from kg.model.iris import work_iri
from kg.model.records import Identifiers

__all__ = ["WorkIdentity", "name_key", "person_keys"]


class WorkIdentity:
    """Which records describe the same work: any shared identifier makes them one.

    A union-find over identifier tokens such as ``("arxiv", "1702.08489")``, so a preprint
    linked by the list, its DOI from a publisher and its Semantic Scholar record meet in one
    node whatever order they arrive in.
    """

    def __init__(self) -> None:
        self._parent: dict[tuple[str, str], tuple[str, str]] = {}
        self._merged: dict[tuple[str, str], Identifiers] = {}
        self._iris: dict[tuple[str, str], str] = {}
        """IRI of each component, by root; forgotten whenever components merge."""

    def _find(self, token: tuple[str, str]) -> tuple[str, str]:
        root = token
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[token] != root:  # path compression
            self._parent[token], token = root, self._parent[token]
        return root

    def add(self, ids: Identifiers) -> None:
        tokens = list(ids.items())
        if not tokens or (len(tokens) == 1 and tokens[0] in self._parent):
            return  # nothing new (the common case: a citation's end named by its paper id)
        roots = []
        for token in tokens:
            if token not in self._parent:
                self._parent[token] = token
                self._merged[token] = Identifiers()
            roots.append(self._find(token))
        root = roots[0]
        merged = self._merged[root].merge(ids)
        for other in dict.fromkeys(roots[1:]):  # two tokens may already share a root
            if other != root:
                self._parent[other] = root
                merged = merged.merge(self._merged.pop(other))
                self._iris.pop(other, None)
        if merged != self._merged[root]:
            self._merged[root] = merged
            self._iris.pop(root, None)

    def merged(self, ids: Identifiers) -> Identifiers:
        """Everything known about the identity of the work ``ids`` names."""
        first = next(ids.items(), None)
        return self._merged[self._find(first)] if first else ids

    def iri(self, ids: Identifiers, base: str) -> str:
        first = next(ids.items(), None)
        if first is None:
            return work_iri(ids, base)
        root = self._find(first)
        if root not in self._iris:
            self._iris[root] = work_iri(self._merged[root], base)
        return self._iris[root]


def name_key(name: str) -> str:
    """Names compare without case, accents, dots or spacing ("J. Doe" != "Jane Doe")."""
    folded = unicodedata.normalize("NFKD", name).casefold()
    return re.sub(r"[\W_]+", " ", "".join(c for c in folded if not unicodedata.combining(c))).strip()


def person_keys(name: str) -> list[str]:
    """The full name key, then initial + surname ("gal vardi", "g vardi").

    >>> person_keys("Gal Vardi"), person_keys("G. Vardi")
    (['gal vardi', 'g vardi'], ['g vardi', 'g vardi'])
    """
    key = name_key(name)
    words = key.split()
    return [key, f"{words[0][0]} {words[-1]}"] if len(words) > 1 else [key]
