"""What a link of a reading list is: a resource at all, a title, or a word for its kind.

Curators name most links by their titles, and many by what they are: ``[pdf]``, ``[code]``,
``[slides]``, ``[Tweet]``. Such *generic* texts never become titles; they give the link a
*role* instead (see :data:`LINK_ROLES`), which later stages use as a kind hint.

>>> is_generic("[PDF]"), link_role("[PDF]", "https://a.org/x.pdf")
(True, 'paper')
>>> link_role("Tweet", "https://x.com/a/status/1"), link_role("ReduNet", "https://github.com/a/b")
('social', 'code')
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pyoxigraph as ox

from kg.identify.urls import host_is

__all__ = ["LINK_ROLES", "address_title", "escape_address", "is_generic", "link_core", "link_role", "qualifies"]

LINK_ROLES: tuple[str, ...] = (
    "paper", "book", "code", "slides", "video", "social", "blog", "project", "poster",
    "demo", "data", "bibtex", "notes",
)  # fmt: skip
"""What a link can say it is. ``paper`` and ``book`` are the work itself; the others are
things beside it (a code repository, the talk's video, a social-media post about it…)."""

_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "paper": (
        "pdf", "paper", "papers", "arxiv", "abs", "abstract", "html", "doi", "full text",
        "fulltext", "preprint", "openreview", "paper link", "pdf link", "ps", "proceedings",
        "journal", "论文", "原文", "全文",
    ),
    "book": ("book", "ebook", "e-book", "book draft", "书", "电子书"),
    "code": (
        "code", "codes", "github", "gitlab", "repo", "repository", "source", "source code",
        "src", "implementation", "official code", "official implementation", "代码", "源码",
    ),
    "slides": ("slides", "slide", "ppt", "pptx", "deck", "幻灯片", "课件"),
    "video": ("video", "videos", "youtube", "talk", "recording", "bilibili", "视频"),
    "social": ("tweet", "tweets", "twitter", "thread", "toot", "mastodon", "微博"),
    "blog": ("blog", "post", "blog post", "博客"),
    "project": (
        "project", "project page", "website", "web", "site", "homepage", "home page", "page",
        "webpage", "主页", "项目",
    ),
    "poster": ("poster",),
    "demo": ("demo", "colab", "notebook"),
    "data": ("data", "dataset", "datasets", "数据", "数据集"),
    "bibtex": ("bib", "bibtex", "citation", "cite"),
    "notes": ("notes", "lecture notes", "笔记"),
}  # fmt: skip
_ROLE_OF_WORD = {word: role for role, words in _ROLE_WORDS.items() for word in words}

# Link texts that say nothing about the link at all (no role either).
_EMPTY_WORDS = frozenset(
    {
        "link", "here", "this", "click here", "url", "official", "download", "read more",
        "more", "online", "read online", "free", "details", "链接", "地址", "这里",
    }
)  # fmt: skip
_ID_LIKE_TEXT = re.compile(
    r"^(?:https?://\S+|www\.\S+"  # a bare address
    r"|(?:arxiv|doi)\s*[:：]?\s*\S+|10\.\d{4,9}/\S+|\d{4}\.\d{4,5}(?:v\d+)?)$",  # an id
    re.IGNORECASE,
)
_BRACKETS = " \t[](){}<>【】（）《》"
_BADGE_HOSTS = frozenset({"img.shields.io", "badgen.net", "badge.fury.io"})

# Hosts whose links are of one role whatever their text says.
_HOST_ROLES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("github.com", "gitlab.com", "bitbucket.org", "huggingface.co"), "code"),
    (("youtube.com", "youtu.be", "vimeo.com", "bilibili.com"), "video"),
    (("twitter.com", "x.com", "mastodon.social", "threads.net", "bsky.app"), "social"),
    (("speakerdeck.com", "slideshare.net"), "slides"),
    (("colab.research.google.com",), "demo"),
)


def link_core(text: str) -> str:
    """A link text without brackets, case or extra spaces: what the role words match.

    >>> link_core(" [[Code]] "), link_core("【论文】")
    ('code', '论文')
    """
    return " ".join(text.split()).strip(_BRACKETS).casefold()


def is_generic(text: str) -> bool:
    """True for link texts that name the kind of link ("[pdf]") rather than the work.

    >>> is_generic("[PDF]"), is_generic("arXiv:1702.08489"), is_generic("ReduNet")
    (True, True, False)
    """
    core = link_core(text)
    if not any(ch.isalnum() for ch in core):
        return True
    return core in _ROLE_OF_WORD or core in _EMPTY_WORDS or bool(_ID_LIKE_TEXT.match(core))


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def link_role(text: str, url: str) -> str | None:
    """What a link is, from its text first ("[slides]"), else from its host (GitHub is code).

    >>> link_role("[arXiv:1702.08489]", "https://arxiv.org/abs/1702.08489")
    'paper'
    >>> link_role("X", "https://x.com/a/status/1"), link_role("Home", "https://a.org") is None
    ('social', True)
    """
    core = link_core(text)
    role = _ROLE_OF_WORD.get(core)
    if role is None and _ID_LIKE_TEXT.match(core) and not core.startswith(("http", "www")):
        role = "paper"  # an arXiv id or a DOI as the link text
    if role is not None:
        return role
    host = _host(url)
    return next((r for hosts, r in _HOST_ROLES if host and host_is(host, *hosts)), None)


def address_title(url: str) -> str:
    """A title made of a link's address, for an item that has no words but "[pdf]".

    >>> address_title("https://www.example.org/a/b/"), address_title("https://openreview.net/forum?id=x")
    ('example.org/a/b', 'openreview.net/forum?id=x')
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = (parts.hostname or "").removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}" or url


def qualifies(href: str) -> bool:
    """True for links that can be a resource: absolute http(s) with a host (and a port, if
    any, that can be one), an IRI once :func:`escape_address` has escaped it, not a badge
    service.

    >>> qualifies("https://arxiv.org/abs/1"), qualifies("#intro"), qualifies("javascript:x")
    (True, False, False)
    >>> qualifies("https://"), qualifies("https://a.org:99999/"), qualifies("https://a.org/x#y#z")
    (False, False, True)
    """
    try:
        parts = urlsplit(href)
        host = parts.hostname
        _ = parts.port  # ValueError when it is no port number
    except ValueError:
        return False
    if parts.scheme not in {"http", "https"} or not host or host in _BADGE_HOSTS:
        return False
    try:
        ox.NamedNode(escape_address(href))
    except ValueError:
        return False
    return True


_NOT_IN_IRIS = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f-\x9f]')


def escape_address(href: str) -> str:
    """``href`` with what an IRI may not hold percent-escaped, as a browser sends it: a
    second ``#`` (the fragment holds any ``#`` after the first), spaces, quotes, control
    characters. Anything else, non-ASCII letters too, is left as written.

    >>> escape_address("https://example.org/a#b#c"), escape_address("https://e.org/a b")
    ('https://example.org/a#b%23c', 'https://e.org/a%20b')
    """
    head, hash_, fragment = href.partition("#")
    escaped = head + hash_ + fragment.replace("#", "%23")
    return _NOT_IN_IRIS.sub(lambda found: "".join(f"%{b:02X}" for b in found.group().encode()), escaped)
