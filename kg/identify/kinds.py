"""A first guess of what a listed link points to: the kind (a class of ``ontology/kg.ttl``).

From the URL, its identifiers, the title, the note and the enclosing topics. A wrong guess is
fixed by a new row in a table below.

>>> from kg.identify.identifiers import identify_url
>>> ids = identify_url("https://arxiv.org/pdf/2012.10931v2.pdf")
>>> guess_kind(ids.url, ids, title="Recent advances in deep learning theory")
'Survey'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from kg.identify.identifiers import VERSIONED_DOI_PREFIXES, identify_url, repository
from kg.identify.urls import Url, host_is, parse_url
from kg.model.records import Identifiers

__all__ = ["KINDS", "PAPER_KINDS", "guess_kind", "venue_kind"]

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

    u: Url
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
    return c.ids.github is not None or repository(c.u, "gitlab.com") is not None


def _is_encyclopedia(c: _Clues) -> bool:
    method_page = host_is(c.u.host, "paperswithcode.com") and c.path.startswith("/method/")
    return c.ids.wikipedia is not None or method_page or host_is(c.u.host, *_ENCYCLOPEDIA_HOSTS)


def _is_answer(c: _Clues) -> bool:
    zhihu = host_is(c.u.host, "zhihu.com") and "/question/" in c.path
    return zhihu or host_is(c.u.host, *_ANSWER_HOSTS)


def _is_book_url(c: _Clues) -> bool:
    book_doi = c.ids.doi is not None and bool(_BOOK_DOI.search(c.ids.doi))
    book_path = bool({"book", "books"} & set(c.path.split("/")))
    return c.ids.isbn is not None or book_doi or book_path


def _is_blog_post(c: _Clues) -> bool:
    zhuanlan = host_is(c.u.host, "zhuanlan.zhihu.com") and c.path.startswith("/p/")
    blog_host_page = "blog" in c.u.host and not c.is_root
    dated = _DATED_PATH.search(c.path) or _POST_PATH.search(c.path)
    return bool(dated) or zhuanlan or blog_host_page


def _is_blog(c: _Clues) -> bool:
    blog_home = "blog" in c.u.host or c.path.rstrip("/").endswith("/blog")
    return blog_home or (c.is_root and bool(_BLOG_WORDS.search(c.context)))


def _is_slides(c: _Clues) -> bool:
    slide_file = c.path.endswith(_SLIDE_FILES) or c.path.startswith("/presentation/")
    worded = c.is_pdf and bool(_SLIDE_WORDS.search(c.path) or _SLIDE_WORDS.search(c.title))
    return slide_file or worded or host_is(c.u.host, *_SLIDE_HOSTS)


def _is_course(c: _Clues) -> bool:
    course_path = bool(_COURSE_SEGMENTS & set(c.path.split("/")))
    worded = course_path or _COURSE_TITLE.search(c.title)
    return not _is_scholarly(c) and bool(worded or host_is(c.u.host, *_COURSE_HOSTS))


def _is_scholarly(c: _Clues) -> bool:
    ids = c.ids
    known = ids.arxiv or ids.doi or ids.pmcid or ids.s2 or ids.corpus_id
    return bool(known) or c.is_pdf or _venue_kind(c) is not None


def _is_survey(c: _Clues) -> bool:
    return _is_scholarly(c) and bool(_SURVEY_TITLE.search(c.title))


def _is_preprint(c: _Clues) -> bool:
    biorxiv_doi = c.ids.doi is not None and c.ids.doi.startswith(VERSIONED_DOI_PREFIXES)
    return c.ids.arxiv is not None or biorxiv_doi or host_is(c.u.host, *_PREPRINT_HOSTS)


def _venue_kind(c: _Clues) -> str | None:
    return next((k for host, k in _VENUE_HOSTS.items() if host_is(c.u.host, host)), None)


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


# Venues: what the list says a work appeared in tells its kind when its address does not.
_PREPRINT_VENUE = _words("arxiv", "corr", "biorxiv", "medrxiv", "chemrxiv", "ssrn", "preprints?")
_JOURNAL_NAMES = frozenset({
    "nature", "science", "pnas", "cell", "neuron", "neural computation", "neural networks",
    "machine learning", "distill", "biometrika", "jasa", "cacm", "communications of the acm",
    "proceedings of the ieee", "proceedings of the national academy of sciences",
    "science advances", "nature communications", "nature machine intelligence",
})  # fmt: skip
"""Journals named in full ("Neural Networks" is a journal; "… on Neural Networks" may not be)."""
_JOURNAL_ACRONYMS = frozenset({
    "jmlr", "tmlr", "tpami", "pami", "tnn", "tnnls", "tkde", "tip", "tog", "ijcv", "jair", "tacl",
    "mlj", "pnas", "jasa", "cacm", "siam", "tit", "tsp", "jacm",
})  # fmt: skip
_JOURNAL_WORDS = _words(
    "journal", "transactions", "trans", "letters", "reviews?", "annals", "magazine", "bulletin",
    "quarterly", "foundations and trends",
)
_CONFERENCE_ACRONYMS = frozenset({
    "neurips", "nips", "icml", "iclr", "colt", "aistats", "uai", "alt", "cvpr", "iccv", "eccv",
    "bmvc", "wacv", "acl", "emnlp", "naacl", "coling", "eacl", "conll", "aaai", "ijcai", "kdd",
    "sigkdd", "www", "wsdm", "sigir", "cikm", "icdm", "recsys", "icde", "vldb", "sigmod", "stoc",
    "focs", "soda", "icalp", "itcs", "siggraph", "icra", "iros", "rss", "corl", "icassp",
    "interspeech", "miccai", "isbi", "chi", "uist", "log", "ecml", "pkdd", "ijcnn",
})  # fmt: skip
_CONFERENCE_WORDS = _words(
    "conference", "conf", "proceedings", "proc", "symposium", "workshops?", "congress", "meeting",
    "advances in neural information processing systems",
)


def venue_kind(venue: str) -> str | None:
    """The kind a venue's name tells: ``Preprint`` for arXiv and its kin,
    ``JournalArticle`` for a journal, ``ConferencePaper`` for a conference or workshop;
    None when the name says neither.

    >>> [venue_kind(v) for v in ("arxiv", "IEEE TNN", "ICML Workshop", "Proceedings of the IEEE")]
    ['Preprint', 'JournalArticle', 'ConferencePaper', 'JournalArticle']
    >>> venue_kind("In Proceedings of COLT"), venue_kind("Springer") is None
    ('ConferencePaper', True)
    """
    folded = " ".join(venue.casefold().split())
    tokens = set(re.findall(r"[a-z0-9]+", folded))
    if _PREPRINT_VENUE.search(folded):
        return "Preprint"
    if folded in _JOURNAL_NAMES or tokens & _JOURNAL_ACRONYMS:
        return "JournalArticle"
    if tokens & _CONFERENCE_ACRONYMS or _CONFERENCE_WORDS.search(folded):
        return "ConferencePaper"
    return "JournalArticle" if _JOURNAL_WORDS.search(folded) else None


_ROLE_KINDS: Mapping[str, str] = {"book": "Book", "code": "CodeRepository", "slides": "Slides"}
"""What a link's own text ("[book]", "[code]", "[slides]") says the work is."""
_VAGUE_KINDS = frozenset({"WebPage", "Paper"})
"""URL kinds a link's text may make more precise."""


def guess_kind(
    url: str,
    ids: Identifiers,
    *,
    title: str = "",
    topics: Sequence[str] = (),
    note: str = "",
    role: str | None = None,
    venue: str | None = None,
) -> str:
    """Local name of the ``kg:`` class a listed resource most likely belongs to.

    ``topics`` are the labels of the enclosing headings and groups, innermost last. A
    section that names a kind ("Books", "课程") wins over URL hints; within a "Blogs"
    section a dated post is still a ``BlogPost``. ``role`` is what the link's own text
    says it is (:attr:`kg.model.records.Link.role`): "[book]" makes a page a ``Book``.
    ``venue`` is where the list says the work appeared (:func:`venue_kind`): it names the
    kind of a work whose address says nothing precise (a page, a PDF), after the role.

    >>> guess_kind("https://www.springer.com/gp/book/9783030367206", Identifiers())
    'Book'
    >>> guess_kind("https://joanbruna.github.io/MathsDL-spring19/", Identifiers(),
    ...            topics=["Deep Learning Theory", "Course"])
    'Course'
    >>> guess_kind("https://example.org/about", Identifiers())
    'WebPage'
    >>> guess_kind("https://example.org/about", Identifiers(), role="book")
    'Book'
    >>> guess_kind("https://example.org/p.pdf", Identifiers(), venue="ICML"), guess_kind(
    ...     "https://arxiv.org/abs/1702.08489", Identifiers(), venue="ICML")
    ('ConferencePaper', 'Preprint')
    """
    parsed = parse_url(url) or Url(scheme="", host="", path="", query={})
    ids = ids.merge(identify_url(url))  # callers may pass only what a source told them
    context = " ".join([title, note, *topics]).lower()
    clues = _Clues(u=parsed, ids=ids, title=title.lower(), context=context)
    by_url = _url_kind(clues)
    if by_url in _VAGUE_KINDS and role is not None:
        by_url = _ROLE_KINDS.get(role, by_url)
    if by_url in _VAGUE_KINDS and venue:
        by_url = venue_kind(venue) or by_url
    by_section = _section_kind(topics)
    if by_section is None:
        return by_url
    return by_url if by_url in _SECTION_REFINEMENTS.get(by_section, frozenset()) else by_section
