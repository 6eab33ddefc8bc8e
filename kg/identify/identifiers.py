"""Stable identifiers from URLs and free text, and a first guess of what a link points to.

The stage after :mod:`kg.readinglist`: a resource's URL (and its title, note and enclosing
topics) in, an :class:`~kg.records.Identifiers` record and the local name of a class of
``ontology/kg.ttl`` out. Nothing here touches the network; every rule is a pure function
of the text it is given, so a wrong guess is fixed by a new row in a table below.

>>> ids = identify_url("https://arxiv.org/pdf/2012.10931v2.pdf")
>>> ids.arxiv, ids.url
('2012.10931', 'https://arxiv.org/pdf/2012.10931v2.pdf')
>>> guess_kind(ids.url, ids, title="Recent advances in deep learning theory")
'Survey'
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from kg.model.records import Identifiers

__all__ = [
    "KINDS",
    "normalize_url",
    "identify_url",
    "extract_identifiers",
    "parse_arxiv_id",
    "doi_identifiers",
    "guess_kind",
    "PAPER_KINDS",
]

logger = logging.getLogger(__name__)

KINDS: tuple[str, ...] = (
    "Paper",
    "Preprint",
    "JournalArticle",
    "ConferencePaper",
    "Survey",
    "Book",
    "Course",
    "Blog",
    "BlogPost",
    "CodeRepository",
    "EncyclopediaArticle",
    "Slides",
    "Event",
    "Answer",
    "WebPage",
)
"""Local names of the ``kg:`` classes :func:`guess_kind` may return."""

PAPER_KINDS: frozenset[str] = frozenset(
    {"Paper", "Preprint", "JournalArticle", "ConferencePaper", "Survey", "Book"}
)
"""Kinds a bibliographic database may hold: worth looking up by title when no identifier
names them (courses, posts, code and pages are not)."""

_DEFAULT_PORTS: Mapping[str, int] = {"http": 80, "https": 443}

# ---------------------------------------------------------------------------------------
# URL normalisation
# ---------------------------------------------------------------------------------------


def normalize_url(url: str) -> str:
    """The URL with case, default port, fragment and trailing slash made canonical.

    The query is kept: it often *is* the identity of the page (``forum?id=…``).

    >>> normalize_url("HTTPS://ArXiv.org:443/abs/1702.08489/#v2")
    'https://arxiv.org/abs/1702.08489'
    >>> normalize_url("http://www.offconvex.org")
    'http://www.offconvex.org/'
    >>> normalize_url("https://openreview.net/forum?id=G70Z8ds32C9#top")
    'https://openreview.net/forum?id=G70Z8ds32C9'
    >>> normalize_url("http://example.org:8080/a/")
    'http://example.org:8080/a'
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:  # a malformed port or IPv6 literal: nothing safe to rewrite
        return text
    if not parts.netloc:
        return urlunsplit((parts.scheme.lower(), "", parts.path, parts.query, ""))
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literals keep their brackets
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    userinfo, at, _ = parts.netloc.rpartition("@")
    path = parts.path
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    elif not path and parts.scheme.lower() in _DEFAULT_PORTS:
        path = "/"
    return urlunsplit((parts.scheme.lower(), f"{userinfo}{at}{host}", path, parts.query, ""))


@dataclass(frozen=True, slots=True)
class _Url:
    """The parts of a URL the rules look at, decoded once."""

    scheme: str
    host: str
    """Lower-case host without a leading ``www.``."""
    path: str
    """Percent-decoded path, case kept (ids such as DOIs and repository names live there)."""
    query: Mapping[str, Sequence[str]]
    """Query parameters, names lower-cased."""

    @property
    def segments(self) -> list[str]:
        return [s for s in self.path.split("/") if s]


def _parse(url: str) -> _Url | None:
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return None
    query = {k.lower(): v for k, v in parse_qs(parts.query).items()}
    return _Url(
        scheme=parts.scheme.lower(),
        host=host.removeprefix("www."),
        path=unquote(parts.path),
        query=query,
    )


def _host_is(host: str, *domains: str) -> bool:
    """True when ``host`` is one of ``domains`` or a subdomain of one.

    >>> _host_is("export.arxiv.org", "arxiv.org"), _host_is("notarxiv.org", "arxiv.org")
    (True, False)
    """
    return any(host == d or host.endswith("." + d) for d in domains)


# ---------------------------------------------------------------------------------------
# arXiv
# ---------------------------------------------------------------------------------------

# New-style ids (0704.0001 onwards) and old-style archive/YYMMNNN ids; an old-style id may
# carry a subject class (math.GT/0309136) that is not part of the identifier.
_ARXIV_ID = (
    r"(?P<new>\d{4}\.\d{4,5})"
    r"|(?P<archive>[a-z]+(?:-[a-z]+)*)(?:\.[a-z]{2})?/(?P<number>\d{7})"
)
_ARXIV_ID_RE = re.compile(rf"^(?:{_ARXIV_ID})(?:v\d+)?(?:\.pdf)?/?$", re.IGNORECASE)
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


def _arxiv_from_url(u: _Url) -> Identifiers:
    if u.scheme == "arxiv":
        return Identifiers(arxiv=parse_arxiv_id(u.path))
    if not _host_is(u.host, *_ARXIV_HOSTS):
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
_DOI_IN_PATH = re.compile(r"(?<![\w.])10\.\d{4,9}/\S+")
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
_VERSIONED_DOI_PREFIXES = ("10.1101/",)
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
    if value.startswith(_VERSIONED_DOI_PREFIXES):
        value = re.sub(r"v\d+$", "", value)
    return value


def doi_identifiers(doi: str | None) -> Identifiers:
    """Identifiers for a (raw) DOI; the arXiv DataCite DOI names the arXiv id instead.

    >>> doi_identifiers("10.48550/arXiv.2012.10931").arxiv
    '2012.10931'
    """
    if not doi:
        return Identifiers()
    value = _clean_doi(doi)
    if value.startswith(_ARXIV_DOI_PREFIX):
        return Identifiers(arxiv=parse_arxiv_id(value.removeprefix(_ARXIV_DOI_PREFIX)))
    return Identifiers(doi=value) if re.match(r"^10\.\d+/\S", value) else Identifiers()


def _doi_from_url(u: _Url) -> Identifiers:
    if u.scheme == "doi":
        return doi_identifiers(u.path)
    if _host_is(u.host, *_DOI_HOSTS):
        return doi_identifiers(u.path.lstrip("/"))
    for host, (path_prefix, doi_prefix) in _DOI_TEMPLATES.items():
        if _host_is(u.host, host) and u.path.startswith(path_prefix):
            return doi_identifiers(doi_prefix + u.path.removeprefix(path_prefix))
    if _host_is(u.host, *_ARXIV_HOSTS):
        return Identifiers()
    match = _DOI_IN_PATH.search(u.path)
    candidates = [match.group(0)] if match else []
    candidates += [v for v in u.query.get("doi", ()) if v.startswith("10.")]
    return doi_identifiers(candidates[0]) if candidates else Identifiers()


# ---------------------------------------------------------------------------------------
# OpenReview, GitHub, Wikipedia, Semantic Scholar, PubMed Central
# ---------------------------------------------------------------------------------------

_OPENREVIEW_VIEWS = frozenset({"/forum", "/pdf", "/attachment"})


def _openreview_from_url(u: _Url) -> Identifiers:
    if not _host_is(u.host, "openreview.net") or u.path.rstrip("/") not in _OPENREVIEW_VIEWS:
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


def _repository(u: _Url, domain: str) -> str | None:
    """``owner/repo`` of a code-hosting URL, or None for pages that are not a repository.

    >>> _repository(_parse("https://github.com/ryanchankh/redunet_paper/tree/main"), "github.com")
    'ryanchankh/redunet_paper'
    >>> _repository(_parse("https://github.com/topics/deep-learning"), "github.com") is None
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


def _github_from_url(u: _Url) -> Identifiers:
    return Identifiers(github=_repository(u, "github.com"))


_WIKIPEDIA_HOST = re.compile(r"^(?P<lang>[a-z][a-z0-9-]*)(?:\.m)?\.wikipedia\.org$")


def _wikipedia_from_url(u: _Url) -> Identifiers:
    match = _WIKIPEDIA_HOST.match(u.host)
    if not match or match.group("lang") in {"www", "m"}:
        return Identifiers()
    title = u.path.removeprefix("/wiki/") if u.path.startswith("/wiki/") else ""
    title = title or next(iter(u.query.get("title", ())), "")
    title = title.strip().replace(" ", "_")
    return Identifiers(wikipedia=f"{match.group('lang')}:{title}") if title else Identifiers()


_S2_PAPER = re.compile(r"/paper/(?:[^/]+/)?(?P<s2>[0-9a-fA-F]{40})(?:/|$)")
_S2_CORPUS = re.compile(r"CorpusI[dD]:(?P<corpus>\d+)")


def _semantic_scholar_from_url(u: _Url) -> Identifiers:
    if not _host_is(u.host, "semanticscholar.org"):
        return Identifiers()
    paper, corpus = _S2_PAPER.search(u.path), _S2_CORPUS.search(u.path)
    return Identifiers(
        s2=paper.group("s2").lower() if paper else None,
        corpus_id=int(corpus.group("corpus")) if corpus else None,
    )


_PMC_HOSTS = ("ncbi.nlm.nih.gov", "europepmc.org")
_PMC_ID = re.compile(r"(?<![A-Za-z])PMC(\d+)", re.IGNORECASE)


def _pmc_from_url(u: _Url) -> Identifiers:
    match = _PMC_ID.search(u.path) if _host_is(u.host, *_PMC_HOSTS) else None
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


def _isbn_from_url(u: _Url) -> Identifiers:
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


_EXTRACTORS: tuple[Callable[[_Url], Identifiers], ...] = (
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
    parsed = _parse(url)
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
    rf"\barxiv(?:\.org/(?:abs|pdf)/|\s*[:：]?\s*)(?:{_ARXIV_ID})(?![\d/])", re.IGNORECASE
)
# A DOI suffix is printable ASCII; after "doi:" or doi.org/ any registrant is accepted,
# a bare "10.x/y" needs the 4+ digit registrant real DOIs have.
# (Not IGNORECASE as a whole: case folding would let "i", "s", "k" match non-ASCII
# letters, and the negated class would then stop a DOI at them.)
_DOI_SUFFIX = r"[^\s\"<>\x7f-\U0010ffff]+"
_DOI_IN_TEXT = re.compile(
    rf"(?i:\bdoi\s*[:：]\s*|\bdoi\.org/)(?P<prefixed>10\.\d+/{_DOI_SUFFIX})"
    rf"|(?<![\w./])(?P<bare>10\.\d{{4,9}}/{_DOI_SUFFIX})"
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
    >>> extract_identifiers("see doi:10.1/x.").doi
    '10.1/x'
    """
    arxiv = _ARXIV_IN_TEXT.search(text)
    ids = Identifiers(arxiv=_arxiv_id(arxiv) if arxiv else None)
    for match in _DOI_IN_TEXT.finditer(text):
        found = doi_identifiers(_trim_trailing(match.group("prefixed") or match.group("bare")))
        if found:
            return ids.merge(found)
    return ids


# ---------------------------------------------------------------------------------------
# Kinds
# ---------------------------------------------------------------------------------------


def _words(*words: str) -> re.Pattern[str]:
    """A pattern finding any of ``words`` as a whole word (Latin) or substring (CJK)."""
    latin = [w for w in words if w.isascii()]
    cjk = [w for w in words if not w.isascii()]
    alternatives = [rf"\b(?:{'|'.join(latin)})\b"] if latin else []
    return re.compile("|".join(alternatives + cjk), re.IGNORECASE)


_SECTION_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (_words("books?", "textbooks?", "monographs?", "书籍", "图书", "教材", "书单"), "Book"),
    (
        _words("courses?", "lectures?", "lecture notes", "classes", "课程", "公开课"),
        "Course",
    ),
    (_words("blog posts?", "posts", "博文"), "BlogPost"),
    (_words("blogs?", "博客"), "Blog"),
    (_words("surveys?", "survey papers?", "综述"), "Survey"),
    (
        _words(
            "(?<!with )code", "codes", "implementations?", "repositories", "repos?", "libraries",
            "software", "代码", "开源",
        ),
        "CodeRepository",
    ),  # fmt: skip
    (_words("slides", "slide decks?", "幻灯片"), "Slides"),
    (
        _words("events?", r"workshops?(?!\s+papers?)", "symposi(?:a|um|ums)", "研讨会"),
        "Event",
    ),
)
"""Section names that say what their items are: the curator's word beats URL hints.

("Papers with code" and "Workshop papers" name papers, hence the lookarounds.)"""

_SECTION_REFINEMENTS: Mapping[str, frozenset[str]] = {
    "Blog": frozenset({"BlogPost"}),
}
"""URL kinds that may narrow a section's kind (a dated post inside a "Blogs" section)."""


@dataclass(frozen=True, slots=True)
class _Clues:
    """What the kind rules look at, computed once per resource."""

    u: _Url
    ids: Identifiers
    title: str
    """Lower-cased title."""
    context: str
    """Lower-cased title, note and topic labels together."""

    @property
    def is_pdf(self) -> bool:
        path = self.u.path.lower()
        return path.endswith(".pdf") or "/pdf/" in path

    @property
    def is_root(self) -> bool:
        return not self.u.segments

    @property
    def path(self) -> str:
        return self.u.path.lower()


_ENCYCLOPEDIA_HOSTS = (
    "scholarpedia.org",
    "plato.stanford.edu",
    "encyclopediaofmath.org",
    "mathworld.wolfram.com",
    "ncatlab.org",
    "baike.baidu.com",
)
_ANSWER_HOSTS = ("stackexchange.com", "stackoverflow.com", "mathoverflow.net", "quora.com")
_SLIDE_HOSTS = ("speakerdeck.com", "slideshare.net")
_COURSE_HOSTS = ("coursera.org", "edx.org", "ocw.mit.edu", "udacity.com")
_PREPRINT_HOSTS = (
    "biorxiv.org",
    "medrxiv.org",
    "chemrxiv.org",
    "ssrn.com",
    "hal.science",
    "hal.archives-ouvertes.fr",
    "researchsquare.com",
    "preprints.org",
)
_VENUE_HOSTS: Mapping[str, str] = {
    # Proceedings sites: every paper there is a conference paper.
    "papers.nips.cc": "ConferencePaper",
    "papers.neurips.cc": "ConferencePaper",
    "proceedings.neurips.cc": "ConferencePaper",
    "proceedings.mlr.press": "ConferencePaper",
    "openaccess.thecvf.com": "ConferencePaper",
    "aclanthology.org": "ConferencePaper",
    "ojs.aaai.org": "ConferencePaper",
    "ijcai.org": "ConferencePaper",
    # Journals whose article pages carry no DOI in the URL.
    "jmlr.org": "JournalArticle",
    "sciencedirect.com": "JournalArticle",
    # Pages of papers whose venue the URL does not tell.
    "pnas.org": "Paper",
    "ieeexplore.ieee.org": "Paper",
    "researchgate.net": "Paper",
    "citeseerx.ist.psu.edu": "Paper",
    "paperswithcode.com": "Paper",
    "semanticscholar.org": "Paper",
}

_DATED_PATH = re.compile(r"/(?:19|20)\d\d/\d{1,2}/\d{1,2}/")
_POST_PATH = re.compile(r"/(?:blog|posts?)/[^/]+")
_SLIDE_WORDS = re.compile(r"(?<![a-z])(?:slides?|seminars?|talks?|lectures?|presentation)(?![a-z])")
_SLIDE_FILES = (".ppt", ".pptx", ".key", ".odp")
_SURVEY_TITLE = _words(
    "survey", "review", "overview", "recent advances", "tutorial", "primer", "综述"
)
# Book and chapter DOIs embed the ISBN: 10.1007/978-3-…, 10.1093/acprof:oso/9780199…
_BOOK_DOI = re.compile(r"[/:.]97[89]-?\d")
_BOOK_TITLE = _words("book", "textbook", "monograph")
_EVENT_WORDS = re.compile(r"(?<![a-z])(?:events?|workshops?|programmes?|symposium)(?![a-z])")
_EVENT_TITLE = _words("workshop", "symposium", "summer school", "programme")
_COURSE_SEGMENTS = frozenset({"course", "courses", "class", "classes"})
_COURSE_TITLE = _words("course", "lecture series", "课程")
_BLOG_WORDS = re.compile(r"blog|博客")


def _is_code(c: _Clues) -> bool:
    return c.ids.github is not None or _repository(c.u, "gitlab.com") is not None


def _is_encyclopedia(c: _Clues) -> bool:
    method_page = _host_is(c.u.host, "paperswithcode.com") and c.path.startswith("/method/")
    return c.ids.wikipedia is not None or method_page or _host_is(c.u.host, *_ENCYCLOPEDIA_HOSTS)


def _is_answer(c: _Clues) -> bool:
    zhihu = _host_is(c.u.host, "zhihu.com") and "/question/" in c.path
    return zhihu or _host_is(c.u.host, *_ANSWER_HOSTS)


def _is_book_url(c: _Clues) -> bool:
    book_doi = c.ids.doi is not None and bool(_BOOK_DOI.search(c.ids.doi))
    book_path = bool({"book", "books"} & set(c.path.split("/")))
    return c.ids.isbn is not None or book_doi or book_path


def _is_blog_post(c: _Clues) -> bool:
    zhuanlan = _host_is(c.u.host, "zhuanlan.zhihu.com") and c.path.startswith("/p/")
    blog_host_page = "blog" in c.u.host and not c.is_root
    dated = _DATED_PATH.search(c.path) or _POST_PATH.search(c.path)
    return bool(dated) or zhuanlan or blog_host_page


def _is_blog(c: _Clues) -> bool:
    blog_home = "blog" in c.u.host or c.path.rstrip("/").endswith("/blog")
    return blog_home or (c.is_root and bool(_BLOG_WORDS.search(c.context)))


def _is_slides(c: _Clues) -> bool:
    slide_file = c.path.endswith(_SLIDE_FILES) or c.path.startswith("/presentation/")
    worded = c.is_pdf and bool(_SLIDE_WORDS.search(c.path) or _SLIDE_WORDS.search(c.title))
    return slide_file or worded or _host_is(c.u.host, *_SLIDE_HOSTS)


def _is_course(c: _Clues) -> bool:
    course_path = bool(_COURSE_SEGMENTS & set(c.path.split("/")))
    worded = course_path or _COURSE_TITLE.search(c.title)
    return not _is_scholarly(c) and bool(worded or _host_is(c.u.host, *_COURSE_HOSTS))


def _is_scholarly(c: _Clues) -> bool:
    ids = c.ids
    known = ids.arxiv or ids.doi or ids.pmcid or ids.s2 or ids.corpus_id
    return bool(known) or c.is_pdf or _venue_kind(c) is not None


def _is_survey(c: _Clues) -> bool:
    return _is_scholarly(c) and bool(_SURVEY_TITLE.search(c.title))


def _is_preprint(c: _Clues) -> bool:
    biorxiv_doi = c.ids.doi is not None and c.ids.doi.startswith(_VERSIONED_DOI_PREFIXES)
    return c.ids.arxiv is not None or biorxiv_doi or _host_is(c.u.host, *_PREPRINT_HOSTS)


def _venue_kind(c: _Clues) -> str | None:
    return next((k for host, k in _VENUE_HOSTS.items() if _host_is(c.u.host, host)), None)


def _is_event(c: _Clues) -> bool:
    worded = _EVENT_WORDS.search(c.path) or "workshop" in c.u.host or _EVENT_TITLE.search(c.title)
    return not c.is_pdf and bool(worded)


def _is_paper(c: _Clues) -> bool:
    return c.is_pdf or c.ids.s2 is not None or c.ids.corpus_id is not None


_KIND_RULES: tuple[tuple[str, Callable[[_Clues], bool]], ...] = (
    ("CodeRepository", _is_code),
    ("EncyclopediaArticle", _is_encyclopedia),
    ("Answer", _is_answer),
    ("ConferencePaper", lambda c: c.ids.openreview is not None),
    ("Book", _is_book_url),
    ("BlogPost", _is_blog_post),
    ("Blog", _is_blog),
    ("Slides", _is_slides),
    ("Course", _is_course),
    ("Survey", _is_survey),
    ("Preprint", _is_preprint),
    ("ConferencePaper", lambda c: _venue_kind(c) == "ConferencePaper"),
    ("JournalArticle", lambda c: c.ids.doi is not None or c.ids.pmcid is not None),
    ("JournalArticle", lambda c: _venue_kind(c) == "JournalArticle"),
    ("Event", _is_event),
    ("Book", lambda c: bool(_BOOK_TITLE.search(c.title))),
    ("Paper", lambda c: _is_paper(c) or _venue_kind(c) == "Paper"),
)
"""URL and title hints, strongest first; the first rule that holds names the kind.

Scholarly identifiers come before the event rule and the title hints, so that an arXiv
paper titled "… workshop …" or a blog post titled "… book …" keeps its URL's kind.
"""


def _section_kind(topics: Sequence[str]) -> str | None:
    """The kind the innermost telling section name gives, if any.

    >>> _section_kind(["Deep Learning Theory", "Books"]), _section_kind(["其他", "课程"])
    ('Book', 'Course')
    >>> _section_kind(["Optimization"]) is None
    True
    """
    for label in reversed(topics):
        for pattern, kind in _SECTION_KINDS:
            if pattern.search(label):
                return kind
    return None


def _url_kind(clues: _Clues) -> str:
    return next((kind for kind, holds in _KIND_RULES if holds(clues)), "WebPage")


def guess_kind(
    url: str,
    ids: Identifiers,
    *,
    title: str = "",
    topics: Sequence[str] = (),
    note: str = "",
) -> str:
    """Local name of the ``kg:`` class a listed resource most likely belongs to.

    ``topics`` are the labels of the enclosing headings and groups, innermost last. A
    section that names a kind ("Books", "课程") wins over URL hints; within a "Blogs"
    section a dated post is still a ``BlogPost``.

    >>> guess_kind("https://www.springer.com/gp/book/9783030367206", Identifiers())
    'Book'
    >>> guess_kind("https://joanbruna.github.io/MathsDL-spring19/", Identifiers(),
    ...            topics=["Deep Learning Theory", "Course"])
    'Course'
    >>> guess_kind("https://example.org/about", Identifiers())
    'WebPage'
    """
    parsed = _parse(url) or _Url(scheme="", host="", path="", query={})
    ids = ids.merge(identify_url(url))  # callers may pass only what a source told them
    context = " ".join([title, note, *topics]).lower()
    clues = _Clues(u=parsed, ids=ids, title=title.lower(), context=context)
    by_url = _url_kind(clues)
    by_section = _section_kind(topics)
    if by_section is None:
        return by_url
    return by_url if by_url in _SECTION_REFINEMENTS.get(by_section, frozenset()) else by_section
