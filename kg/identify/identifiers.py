"""Stable identifiers from URLs and free text.

The stage after :mod:`kg.read`: a resource's URL in, an :class:`~kg.model.records.Identifiers`
record out. Nothing here touches the network; every rule is a pure function of the text it
is given, so a wrong guess is fixed by a new row in a table below.

>>> ids = identify_url("https://arxiv.org/pdf/2012.10931v2.pdf")
>>> ids.arxiv, ids.url
('2012.10931', 'https://arxiv.org/pdf/2012.10931v2.pdf')
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping

from kg.identify.urls import Url, host_is, normalize_url, parse_url
from kg.model.records import Identifiers

__all__ = [
    "identify_url",
    "extract_identifiers",
    "parse_arxiv_id",
    "doi_identifiers",
    "DOI_SHAPE",
    "repository",
    "VERSIONED_DOI_PREFIXES",
]

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------
# arXiv
# ---------------------------------------------------------------------------------------

# New-style ids (0704.0001 onwards) and old-style archive/YYMMNNN ids; an old-style id may
# carry a subject class (math.GT/0309136) that is not part of the identifier.
_ARXIV_ID = (
    r"(?P<new>[0-9]{4}\.[0-9]{4,5})"
    r"|(?P<archive>[a-z]+(?:-[a-z]+)*)(?:\.[a-z]{2})?/(?P<number>[0-9]{7})"
)
_ARXIV_ID_RE = re.compile(rf"^(?:{_ARXIV_ID})(?:v[0-9]+)?(?:\.pdf)?/?$", re.IGNORECASE)
_ARXIV_HOSTS = ("arxiv.org", "ar5iv.org", "ar5iv.labs.arxiv.org")
_ARXIV_VIEWS = frozenset({"abs", "pdf", "format", "html", "ps", "src"})
_ARXIV_DOI_PREFIX = "10.48550/arxiv."


def _arxiv_id(match: re.Match[str]) -> str:
    if match.group("new"):
        return match.group("new")
    return f"{match.group('archive').lower()}/{match.group('number')}"


def parse_arxiv_id(text: str) -> str | None:
    """The arXiv id in ``text`` (an id alone, perhaps with a version), without version.

    >>> parse_arxiv_id("1702.08489v3"), parse_arxiv_id("hep-th/9901001v2")
    ('1702.08489', 'hep-th/9901001')
    >>> parse_arxiv_id("math.GT/0309136"), parse_arxiv_id("1702.084") is None
    ('math/0309136', True)
    """
    match = _ARXIV_ID_RE.match(text.strip())
    return _arxiv_id(match) if match else None


def _arxiv_from_url(u: Url) -> Identifiers:
    if u.scheme == "arxiv":
        return Identifiers(arxiv=parse_arxiv_id(u.path))
    if not host_is(u.host, *_ARXIV_HOSTS):
        return Identifiers()
    view, _, rest = u.path.strip("/").partition("/")
    if view not in _ARXIV_VIEWS:
        return Identifiers()
    return Identifiers(arxiv=parse_arxiv_id(rest))


# ---------------------------------------------------------------------------------------
# DOI
# ---------------------------------------------------------------------------------------

# A DOI is "10.<registrant>/<suffix>"; in a URL path it runs to the end of the path, minus
# the view names publishers append (tried repeatedly: ".../doi/pdf/10.x/y/full" exists).
_DOI_IN_PATH = re.compile(r"(?<![\w.])10\.[0-9]{4,9}/\S+")
_DOI_TAILS: tuple[str, ...] = (
    "/",
    ".pdf",
    "/full",
    "/abstract",
    "/pdf",
    "/epdf",
    "/fulltext",
    "/references",
    "/html",
    ".full",
    ".abstract",
    ".html",
)
# bioRxiv/medRxiv write the version into the URL after the DOI ("…123456v2.full.pdf").
VERSIONED_DOI_PREFIXES = ("10.1101/",)
_DOI_HOSTS = ("doi.org", "dx.doi.org")
_DOI_TEMPLATES: Mapping[str, tuple[str, str]] = {
    # host → (path prefix, DOI prefix): publishers whose article URL *is* the DOI suffix.
    "nature.com": ("/articles/", "10.1038/"),
}


def _clean_doi(doi: str) -> str:
    """A DOI lower-cased, with view suffixes and versions a URL adds removed.

    >>> _clean_doi("10.1002/ANIE.201915678/full")
    '10.1002/anie.201915678'
    >>> _clean_doi("10.1101/2020.05.01.072306v2.full.pdf")
    '10.1101/2020.05.01.072306'
    """
    value = doi.strip().lower()
    changed = True
    while changed:
        changed = False
        for tail in _DOI_TAILS:
            if value.endswith(tail):
                value, changed = value[: -len(tail)], True
    if value.startswith(VERSIONED_DOI_PREFIXES):
        value = re.sub(r"v\d+$", "", value)
    return value


DOI_SHAPE = re.compile(r"10\.[0-9]{4,9}/\S+")
"""A DOI as the graph's shapes accept it (``ontology/shapes.ttl``): a registrant code of
four to nine ASCII digits (``[0-9]``, as there: ``\\d`` takes every script's), then a
suffix with no space in it."""


def doi_identifiers(doi: str | None) -> Identifiers:
    """Identifiers for a (raw) DOI; the arXiv DataCite DOI names the arXiv id instead; a
    value that is no DOI (``10.1/x0``, ``10.5555/a b``) names nothing.

    >>> doi_identifiers("10.48550/arXiv.2012.10931").arxiv
    '2012.10931'
    >>> doi_identifiers("10.5555/ER  -").doi, doi_identifiers("10.1/x0").doi
    (None, None)
    """
    if not doi:
        return Identifiers()
    value = _clean_doi(doi)
    if value.startswith(_ARXIV_DOI_PREFIX):
        return Identifiers(arxiv=parse_arxiv_id(value.removeprefix(_ARXIV_DOI_PREFIX)))
    return Identifiers(doi=value) if DOI_SHAPE.fullmatch(value) else Identifiers()


def _doi_from_url(u: Url) -> Identifiers:
    if u.scheme == "doi":
        return doi_identifiers(u.path)
    if host_is(u.host, *_DOI_HOSTS):
        return doi_identifiers(u.path.lstrip("/"))
    for host, (path_prefix, doi_prefix) in _DOI_TEMPLATES.items():
        if host_is(u.host, host) and u.path.startswith(path_prefix):
            return doi_identifiers(doi_prefix + u.path.removeprefix(path_prefix))
    if host_is(u.host, *_ARXIV_HOSTS):
        return Identifiers()
    match = _DOI_IN_PATH.search(u.path)
    candidates = [match.group(0)] if match else []
    candidates += [v for v in u.query.get("doi", ()) if v.startswith("10.")]
    return doi_identifiers(candidates[0]) if candidates else Identifiers()


# ---------------------------------------------------------------------------------------
# OpenReview, GitHub, Wikipedia, Semantic Scholar, PubMed Central
# ---------------------------------------------------------------------------------------

_OPENREVIEW_VIEWS = frozenset({"/forum", "/pdf", "/attachment"})


def _openreview_from_url(u: Url) -> Identifiers:
    if not host_is(u.host, "openreview.net") or u.path.rstrip("/") not in _OPENREVIEW_VIEWS:
        return Identifiers()
    ids = u.query.get("id", ())
    return Identifiers(openreview=ids[0]) if ids else Identifiers()


# First path segments of github.com that are GitHub's own pages, not user accounts.
_GITHUB_RESERVED = frozenset(
    {
        "about", "apps", "collections", "contact", "customer-stories", "enterprise",
        "events", "explore", "features", "issues", "join", "login", "marketplace", "new",
        "notifications", "orgs", "organizations", "pricing", "pulls", "search", "security",
        "settings", "site", "sponsors", "team", "topics", "trending", "users", "codespaces",
        "readme", "blog",
    }
)  # fmt: skip
_GITHUB_OWNER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
_GITHUB_REPO = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


def repository(u: Url, domain: str) -> str | None:
    """``owner/repo`` of a code-hosting URL, or None for pages that are not a repository.

    >>> repository(parse_url("https://github.com/ryanchankh/redunet_paper/tree/main"), "github.com")
    'ryanchankh/redunet_paper'
    >>> repository(parse_url("https://github.com/topics/deep-learning"), "github.com") is None
    True
    """
    if u.host != domain:
        return None
    segments = u.segments
    if len(segments) < 2 or segments[0].lower() in _GITHUB_RESERVED:
        return None
    owner, repo = segments[0], segments[1].removesuffix(".git")
    if not (_GITHUB_OWNER.match(owner) and _GITHUB_REPO.match(repo)) or repo in {".", ".."}:
        return None
    return f"{owner}/{repo}"


def _github_from_url(u: Url) -> Identifiers:
    return Identifiers(github=repository(u, "github.com"))


_WIKIPEDIA_HOST = re.compile(r"^(?P<lang>[a-z][a-z0-9-]*)(?:\.m)?\.wikipedia\.org$")


def _wikipedia_from_url(u: Url) -> Identifiers:
    match = _WIKIPEDIA_HOST.match(u.host)
    if not match or match.group("lang") in {"www", "m"}:
        return Identifiers()
    title = u.path.removeprefix("/wiki/") if u.path.startswith("/wiki/") else ""
    title = title or next(iter(u.query.get("title", ())), "")
    title = title.strip().replace(" ", "_")
    return Identifiers(wikipedia=f"{match.group('lang')}:{title}") if title else Identifiers()


_S2_PAPER = re.compile(r"/paper/(?:[^/]+/)?(?P<s2>[0-9a-fA-F]{40})(?:/|$)")
_S2_CORPUS = re.compile(r"CorpusI[dD]:(?P<corpus>\d+)")


def _semantic_scholar_from_url(u: Url) -> Identifiers:
    if not host_is(u.host, "semanticscholar.org"):
        return Identifiers()
    paper, corpus = _S2_PAPER.search(u.path), _S2_CORPUS.search(u.path)
    return Identifiers(
        s2=paper.group("s2").lower() if paper else None,
        corpus_id=int(corpus.group("corpus")) if corpus else None,
    )


_PMC_HOSTS = ("ncbi.nlm.nih.gov", "europepmc.org")
_PMC_ID = re.compile(r"(?<![A-Za-z])PMC(\d+)", re.IGNORECASE)


def _pmc_from_url(u: Url) -> Identifiers:
    match = _PMC_ID.search(u.path) if host_is(u.host, *_PMC_HOSTS) else None
    return Identifiers(pmcid=f"PMC{match.group(1)}") if match else Identifiers()


# ---------------------------------------------------------------------------------------
# ISBN
# ---------------------------------------------------------------------------------------

_BOOK_URL_HINT = re.compile(r"book|isbn|/dp/|/gp/product/|amazon\.", re.IGNORECASE)
_ISBN13_SEGMENT = re.compile(r"^97[89]-?\d[\d-]{9,14}$")
_ISBN_CANDIDATE = re.compile(r"^(?:isbn[:-]?)?(?P<isbn>[\d-]{9,16}[\dX])$", re.IGNORECASE)


def _isbn13(value: str) -> str | None:
    """ISBN-13 digits of an ISBN-10 or ISBN-13 whose check digit is right, else None.

    >>> _isbn13("978-3-030-36720-6"), _isbn13("0262035618")
    ('9783030367206', '9780262035613')
    >>> _isbn13("9783030367207") is None, _isbn13("12345") is None
    (True, True)
    """
    digits = value.replace("-", "").replace(" ", "").upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        if total % 11:
            return None
        digits = "978" + digits[:9]
        return digits + str(-sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(digits)) % 10)
    if re.fullmatch(r"97[89]\d{10}", digits):
        checksum = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(digits))
        return digits if checksum % 10 == 0 else None
    return None


def _isbn_from_url(u: Url) -> Identifiers:
    """An ISBN in the query (``isbn=``, Google Books ``vid=ISBN…``) or the path.

    A 13-digit 978/979 path segment with a valid check digit is an ISBN wherever it
    stands (publishers such as MIT Press put it in the path); a 10-digit one counts only
    in a URL that speaks of books, where an order number is unlikely to pass the check.
    """
    candidates = [v for key in ("isbn", "vid") for v in u.query.get(key, ())]
    bookish = bool(_BOOK_URL_HINT.search(u.host + u.path))
    candidates += [s for s in u.segments if bookish or _ISBN13_SEGMENT.match(s)]
    for candidate in candidates:
        match = _ISBN_CANDIDATE.match(candidate.strip())
        isbn = _isbn13(match.group("isbn")) if match else None
        if isbn:
            return Identifiers(isbn=isbn)
    return Identifiers()


_EXTRACTORS: tuple[Callable[[Url], Identifiers], ...] = (
    _arxiv_from_url,
    _doi_from_url,
    _openreview_from_url,
    _github_from_url,
    _isbn_from_url,
    _wikipedia_from_url,
    _semantic_scholar_from_url,
    _pmc_from_url,
)
"""Every rule sees every URL; each answers only for the hosts it knows."""


def identify_url(url: str) -> Identifiers:
    """The identifiers a URL names, plus the normalised URL itself.

    >>> identify_url("https://dx.doi.org/10.1016/J.ACHA.2019.06.004").doi
    '10.1016/j.acha.2019.06.004'
    >>> identify_url("https://github.com/ryanchankh/redunet_paper").github
    'ryanchankh/redunet_paper'
    >>> identify_url("arXiv:hep-th/9901001v2").arxiv
    'hep-th/9901001'
    """
    ids = Identifiers(url=normalize_url(url))
    parsed = parse_url(url)
    if parsed is None:
        logger.debug("not a parsable URL: %r", url)
        return ids
    for extract in _EXTRACTORS:
        ids = ids.merge(extract(parsed))
    return ids


# ---------------------------------------------------------------------------------------
# Identifiers in free text
# ---------------------------------------------------------------------------------------

_ARXIV_IN_TEXT = re.compile(
    rf"\barxiv(?:\.org/(?:abs|pdf)/|\s*[:：]?\s*)(?:{_ARXIV_ID})(?![0-9/])", re.IGNORECASE
)
# A DOI suffix is printable ASCII; after "doi:" or doi.org/ any registrant is accepted,
# a bare "10.x/y" needs the 4+ digit registrant real DOIs have.
# (Not IGNORECASE as a whole: case folding would let "i", "s", "k" match non-ASCII
# letters, and the negated class would then stop a DOI at them.)
_DOI_SUFFIX = r"[^\s\"<>\x7f-\U0010ffff]+"
_DOI_IN_TEXT = re.compile(
    rf"(?i:\bdoi\s*[:：]\s*|\bdoi\.org/)(?P<prefixed>10\.[0-9]+/{_DOI_SUFFIX})"
    rf"|(?<![\w./])(?P<bare>10\.[0-9]{{4,9}}/{_DOI_SUFFIX})"
)
_CLOSERS = {")": "(", "]": "[", "}": "{"}


def _trim_trailing(value: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets that follow an identifier.

    >>> _trim_trailing("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O).")
    '10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O'
    """
    while value:
        last = value[-1]
        if last in ".,;:!?'\"*`":
            value = value[:-1]
        elif last in _CLOSERS and value.count(last) > value.count(_CLOSERS[last]):
            value = value[:-1]
        else:
            break
    return value


def extract_identifiers(text: str) -> Identifiers:
    """The first arXiv id and the first DOI written in free text.

    >>> extract_identifiers("arXiv 1910.01619 (Beyond Linearization)").arxiv
    '1910.01619'
    >>> extract_identifiers("see doi:10.1234/x.").doi
    '10.1234/x'
    """
    arxiv = _ARXIV_IN_TEXT.search(text)
    ids = Identifiers(arxiv=_arxiv_id(arxiv) if arxiv else None)
    for match in _DOI_IN_TEXT.finditer(text):
        found = doi_identifiers(_trim_trailing(match.group("prefixed") or match.group("bare")))
        if found:
            return ids.merge(found)
    return ids
