"""Which resources of a list are the same work: by their identifiers (arXiv abs, pdf and
versioned links name one preprint), and by what the bundled facts and the response cache
know (a preprint and the DOI of its published version). Offline: nothing is fetched.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

from kg.errors import KgError
from kg.model.records import Identifiers
from kg.sources.cache import ResponseCache, request_key
from kg.sources.semantic_scholar import PAPER_FIELDS, api_id
from kg.sources.semantic_scholar.records import paper_identifiers
from kg.sources.snapshot import load_snapshot

__all__ = ["Known", "Token", "WorkGroups", "describe", "identity_tokens", "known_equivalents"]

log = logging.getLogger(__name__)

Token = tuple[str, str]
"""``(scheme, value)`` of one identifier: ``("arxiv", "1901.00596")``."""

_WORK_SCHEMES = frozenset({"arxiv", "doi", "s2", "corpus_id", "openreview", "isbn", "pmcid", "wikipedia", "url"})
"""Identifiers that name one work. (A GitHub ``owner/repo`` does not: a list may link a
repository and a folder of it.)"""


def identity_tokens(ids: Identifiers) -> set[Token]:
    """The identifiers that make two links the same work.

    >>> sorted(identity_tokens(Identifiers(arxiv="1901.00596", github="a/b")))
    [('arxiv', '1901.00596')]
    """
    return {(scheme, value) for scheme, value in ids.items() if scheme in _WORK_SCHEMES}


class WorkGroups:
    """Identifiers joined into works (union–find over identifier tokens)."""

    def __init__(self) -> None:
        self._parent: dict[Token, Token] = {}

    def _root(self, token: Token) -> Token:
        self._parent.setdefault(token, token)
        while self._parent[token] != token:
            self._parent[token] = self._parent[self._parent[token]]
            token = self._parent[token]
        return token

    def join(self, tokens: Iterable[Token]) -> None:
        tokens = list(tokens)
        for other in tokens[1:]:
            self._parent[self._root(other)] = self._root(tokens[0])

    def work(self, tokens: Iterable[Token]) -> Token | None:
        """The work the identifiers belong to (its representative token)."""
        roots = {self._root(t) for t in tokens}
        return min(roots) if roots else None


def _snapshot_pairs() -> Iterable[set[Token]]:
    """Identifier sets of the works the bundled facts describe."""
    try:
        snapshot = load_snapshot()
    except KgError as err:  # a broken install still lints by identifiers alone
        log.warning("bundled facts not read: %s", err)
        return []
    works = [w.ids for w in snapshot.works] + list(snapshot.referenced)
    return [tokens for ids in works if len(tokens := identity_tokens(ids) - _urls(ids)) > 1]


def _urls(ids: Identifiers) -> set[Token]:
    return {("url", ids.url)} if ids.url else set()


def _paper_path(paper_id: str) -> str:
    """The request the Semantic Scholar stage makes for one work, below the API root."""
    return f"/graph/v1/paper/{quote(paper_id, safe=':/')}?fields={','.join(PAPER_FIELDS)}"


def _cached_pairs(all_ids: Sequence[Identifiers], cache_dir: Path | None) -> Iterable[set[Token]]:
    """Identifier sets the cached answers of Semantic Scholar give the list's works."""
    try:
        cache = ResponseCache.in_dir(cache_dir, create=False)
    except KgError as err:
        log.warning("response cache not read: %s", err)
        return []
    if cache is None:
        return []
    with cache:
        asked = {ids: found for ids in all_ids if (found := api_id(ids)) is not None}
        keys = {ids: request_key("GET", _paper_path(found)) for ids, found in asked.items()}
        answers = cache.get_many(sorted(set(keys.values())))
    pairs = []
    for ids, key in keys.items():
        answer = answers.get(key)
        if answer is None or answer.status != 200:
            continue
        try:
            paper = json.loads(answer.body)
        except ValueError:
            continue
        if isinstance(paper, dict):
            found_ids = identity_tokens(paper_identifiers(paper))
            pairs.append((identity_tokens(ids) - _urls(ids)) | found_ids)
    return pairs


Known = list[tuple[set[Token], str]]
"""Identifier sets that name one work, each with who says so."""


def known_equivalents(
    all_ids: Sequence[Identifiers], *, cache_dir: Path | None = None, use_cache: bool = True
) -> tuple[WorkGroups, Known]:
    """Works of the list's identifiers: each list link's own identifiers, joined with what
    the bundled facts and (``use_cache``) the response cache say about them; and those
    sayings that concern the list."""
    groups = WorkGroups()
    for ids in all_ids:
        groups.join(identity_tokens(ids))
    known: Known = [(tokens, "the bundled facts") for tokens in _snapshot_pairs()]
    if use_cache:
        known += [(tokens, "the response cache") for tokens in _cached_pairs(all_ids, cache_dir)]
    listed = {t for ids in all_ids for t in identity_tokens(ids)}
    useful = [(tokens, source) for tokens, source in known if tokens & listed]
    for tokens, _ in useful:
        groups.join(tokens)
    return groups, useful


def describe(tokens: Iterable[Token], names: Mapping[str, str] | None = None) -> str:
    """A short name for the identifier two entries share: "arXiv 1901.00596"."""
    labels = dict(names or {"arxiv": "arXiv", "doi": "DOI", "isbn": "ISBN", "openreview": "OpenReview",
                           "url": "address", "s2": "Semantic Scholar id", "wikipedia": "Wikipedia"})
    ordered = sorted(tokens, key=lambda t: (t[0] == "url", t))
    return ", ".join(f"{labels.get(s, s)} {v}" for s, v in ordered[:2])
