"""How things get their IRIs: from stable identifiers where they exist, else under a base IRI.

Works prefer, in order, Semantic Scholar, arXiv, DOI, OpenReview, PubMed Central, ISBN,
GitHub, Wikipedia; a work known only by its web address or a source's label gets an IRI
under the base IRI from that address or label, never from its position in a list.

>>> work_iri(Identifiers(arxiv="1702.08489", doi="10.1/x"), "https://example.org/")
'https://arxiv.org/abs/1702.08489'
>>> topic_iri(["Deep Learning Theory", "Approximation"], "https://example.org/")
'https://example.org/topic/deep-learning-theory/approximation'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from kg.model.records import Identifiers

__all__ = [
    "slug",
    "work_iri",
    "identifier_iris",
    "identifier_pages",
    "person_iri",
    "topic_iri",
    "field_iri",
    "list_iri",
    "fields_scheme_iri",
    "web_iri",
    "orcid_iri",
    "ORCID",
    "check_base_iri",
]

_SLUG_MAX = 80

# scheme -> IRI template, in order of preference for the node's own IRI.
_IDENTIFIER_IRIS: tuple[tuple[str, str], ...] = (
    ("s2", "https://www.semanticscholar.org/paper/{}"),
    ("arxiv", "https://arxiv.org/abs/{}"),
    ("doi", "https://doi.org/{}"),
    ("corpus_id", "https://api.semanticscholar.org/CorpusID:{}"),
    ("openreview", "https://openreview.net/forum?id={}"),
    ("pmcid", "https://www.ncbi.nlm.nih.gov/pmc/articles/{}"),
    ("isbn", "urn:isbn:{}"),
    ("github", "https://github.com/{}"),
    ("wikipedia", "https://{lang}.wikipedia.org/wiki/{title}"),
)
_WIKI_LANG = re.compile(r"[a-z]{2,3}(-[a-z]+)?")
ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
"""An ORCID iD: four groups of four digits, the last character a check digit or X."""


def slug(text: str) -> str:
    """A readable, IRI-safe path segment for ``text`` (non-ASCII letters percent-encoded).

    >>> slug("NN Approximation Theory")
    'nn-approximation-theory'
    >>> slug("深度学习")
    '%E6%B7%B1%E5%BA%A6%E5%AD%A6%E4%B9%A0'
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    words = re.sub(r"[\W_]+", "-", folded).strip("-")
    if len(words) > _SLUG_MAX:
        # Long labels (a topic written as a sentence) keep a readable start and a hash of
        # the whole, so two labels sharing a start still differ.
        digest = hashlib.sha1(folded.encode()).hexdigest()[:8]
        words = f"{words[:_SLUG_MAX].rstrip('-')}-{digest}"
    return quote(words or "untitled", safe="-")


def _format(scheme: str, template: str, value: str) -> str | None:
    if scheme == "wikipedia":
        lang, _, title = value.partition(":")
        if not _WIKI_LANG.fullmatch(lang):
            return None  # the language becomes a host name: never let text shape it
        return template.format(lang=lang, title=quote(title, safe="_()-,.'"))
    return template.format(quote(value, safe="/:.-_()"))


def identifier_pages(ids: Identifiers | Mapping[str, str]) -> list[tuple[str, str, str]]:
    """``(scheme, value, IRI)`` for every identifier of a work, in order of preference.

    >>> identifier_pages({"doi": "10.1/x", "arxiv": "1702.08489"})[0]
    ('arxiv', '1702.08489', 'https://arxiv.org/abs/1702.08489')
    """
    values = dict(ids.items())
    pages = []
    for scheme, template in _IDENTIFIER_IRIS:
        if scheme in values and (iri := _format(scheme, template, str(values[scheme]))):
            pages.append((scheme, str(values[scheme]), iri))
    return pages


def identifier_iris(ids: Identifiers | Mapping[str, str]) -> list[str]:
    """IRIs of every identifier of a work, in order of preference."""
    return [iri for _, _, iri in identifier_pages(ids)]


def work_iri(ids: Identifiers, base: str) -> str:
    """The IRI of a work: its best identifier's IRI, else one under ``base``."""
    iris = identifier_iris(ids)
    if iris:
        return iris[0]
    if ids.url:
        return f"{base}work/{slug(ids.url.split('://', 1)[-1])}"
    return f"{base}work/{slug(ids.local or 'untitled')}"


def person_iri(name: str, base: str, s2_author_id: str | None = None) -> str:
    """A person's IRI: their Semantic Scholar author page, else one from their name."""
    if s2_author_id:
        return f"https://www.semanticscholar.org/author/{s2_author_id}"
    return f"{base}person/{slug(name)}"


def topic_iri(path: Iterable[str], base: str) -> str:
    """A topic's IRI from the labels of its ancestors and its own."""
    return f"{base}topic/" + "/".join(slug(label) for label in path)


def field_iri(name: str, base: str) -> str:
    """A field of study (a topic from a bibliographic source, not from the list)."""
    return f"{base}field/{slug(name)}"


def list_iri(name: str, base: str) -> str:
    """The IRI of a reading list, from its file name without extension."""
    stem = name.rsplit("/", 1)[-1].removesuffix(".md").removesuffix(".markdown")
    return f"{base}list/{slug(stem)}"


def fields_scheme_iri(base: str) -> str:
    """The concept scheme of the fields of study a bibliographic source assigns."""
    return f"{base}scheme/fields-of-study"


def web_iri(value: str | None) -> str | None:
    """``value`` when it is an absolute http(s) IRI (as RDF and browsers read it), else None.

    >>> web_iri("https://example.org/a_b?c=1"), web_iri("https://exa mple.org/"), web_iri("ftp://x/")
    ('https://example.org/a_b?c=1', None, None)
    """
    if not value or not value.lower().startswith(("http://", "https://")):
        return None
    try:
        ox.NamedNode(value)
    except ValueError:
        return None
    return value


def orcid_iri(orcid: str) -> str:
    """The address of an ORCID iD."""
    return f"https://orcid.org/{orcid}"


def check_base_iri(iri: str) -> str:
    """``iri`` when it can be the namespace of minted IRIs: an http(s) IRI with a host,
    ending in ``/`` or ``#`` (every minted IRI is the base plus a path). Else ValueError,
    saying what a base IRI is.

    >>> check_base_iri("https://example.org/kg/")
    'https://example.org/kg/'
    >>> check_base_iri("javascript:alert(1)/")
    Traceback (most recent call last):
    ValueError: 'javascript:alert(1)/' is not a base IRI: give an http(s) address with a host, ending in / or # (such as https://example.org/kg/)
    """
    try:
        parts = urlsplit(iri)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a malformed host or port ("http://[::1/")
        usable = False
    if not usable or not iri.endswith(("/", "#")) or web_iri(iri) is None:
        raise ValueError(
            f"{iri!r} is not a base IRI: give an http(s) address with a host, ending in / or # "
            "(such as https://example.org/kg/)"
        )
    return iri
