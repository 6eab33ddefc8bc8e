"""Which records name the same work, and which names the same person."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from kg.model.iris import work_iri
from kg.model.records import Identifiers

__all__ = ["WorkIdentity", "match_names", "name_key", "person_keys"]


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


_JOINED = re.compile(r"(?<=\w)-(?=\w)")


def name_key(name: str) -> str:
    """Names compare without case, accents, dots or spacing ("J. Doe" != "Jane Doe"); a
    name written "Last, First" compares as "First Last", and a hyphen joins ("Ding-Xuan"
    is "Dingxuan").

    >>> name_key("Hinton, G."), name_key("Ding-Xuan Zhou"), name_key("J.-P. Serre")
    ('g hinton', 'dingxuan zhou', 'j p serre')
    """
    if name.count(",") == 1:
        last, first = name.split(",")
        name = f"{first} {last}"
    folded = unicodedata.normalize("NFKD", name).casefold()
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", _JOINED.sub("", plain)).strip()


def person_keys(name: str) -> list[str]:
    """The full name key, then initial + surname ("gal vardi", "g vardi").

    >>> person_keys("Gal Vardi"), person_keys("G. Vardi")
    (['gal vardi', 'g vardi'], ['g vardi', 'g vardi'])
    """
    key = name_key(name)
    words = key.split()
    return [key, f"{words[0][0]} {words[-1]}"] if len(words) > 1 else [key]


def _name_levels(name: str) -> tuple[str, str, str]:
    """How a name is compared, strictest first: the whole name, the first given name (or
    its initial) and the surname, the surname."""
    key = name_key(name)
    words = key.split()
    return key, f"{words[0]} {words[-1]}" if len(words) > 1 else "", words[-1] if words else ""


def _same_given_name(ours: str, theirs: str) -> bool:
    """"g hinton" and "geoffrey hinton" may name one person; "jane doe" and "john doe" do not."""
    a, b = ours.split(" ")[0], theirs.split(" ")[0]
    return a == b or ((len(a) == 1 or len(b) == 1) and a[0] == b[0])


def _fits(level: int, ours: str, theirs: str) -> bool:
    if level == 1:
        return ours.rsplit(" ", 1)[-1] == theirs.rsplit(" ", 1)[-1] and _same_given_name(ours, theirs)
    return ours == theirs


def match_names(names: Sequence[str], candidates: Sequence[str]) -> list[int | None]:
    """For each of ``names`` (a byline as one source writes it), the index of the name in
    ``candidates`` (another source's byline of the same work) that names the same person,
    or None. A name matches the same whole name, else the one candidate with its first
    initial and surname ("G. Hinton", "Hinton, G." and "Geoffrey E. Hinton"), else, when it
    is a surname alone, the one candidate with that surname ("Kipf"); two different given
    names never match ("Jane Doe", "John Doe"). Two candidates that fit equally well match
    nothing; no candidate is matched twice.

    >>> match_names(["G. Hinton", "Vinyals, O.", "Dean"], ["Geoffrey E. Hinton", "Oriol Vinyals", "J. Dean"])
    [0, 1, 2]
    >>> match_names(["G. Smith"], ["Gary Smith", "Gina Smith"]), match_names(["A. Ng"], ["Andrew Ng"])
    ([None], [0])
    """
    found: list[int | None] = [None] * len(names)
    taken: set[int] = set()
    theirs = [_name_levels(c) for c in candidates]
    for level in range(3):
        for index, name in enumerate(names):
            ours = _name_levels(name)
            if found[index] is not None or not ours[level] or (level == 2 and " " in ours[0]):
                continue  # the surname alone matches only a name written as a surname alone
            fits = [i for i, keys in enumerate(theirs) if i not in taken and keys[level] and _fits(level, ours[level], keys[level])]
            if len(fits) == 1:
                found[index] = fits[0]
                taken.add(fits[0])
    return found
