"""Parse an awesome-list style Markdown reading list into :class:`~kg.records.Entry` records.

The first stage of the pipeline: Markdown text in, a :class:`~kg.records.ReadingList` out.
Only :func:`read_reading_list` touches a file. Structure comes from markdown-it tokens
(CommonMark, tables, linkify), never from regular expressions over lines; the few regular
expressions here look *inside* one item's text (its leading number, its year).

What becomes what:

- every heading is a topic; the first level-1 heading is also the list's title, and the
  paragraphs between it and the first list, table or heading are the description (not
  resources, even when they link somewhere: an introduction cites, it does not list);
- a list item, table row or loose paragraph whose text holds a *qualifying* link (absolute
  ``http(s)``, not an image or badge) is a resource; a list item without one is a topic
  (a link-less group such as "6. NN Approximation Theory") and the parent of its children;
- tables of contents (a "Contents"/"目录" section, items linking only to ``#anchors``)
  are skipped.

>>> rl = parse_reading_list('''# Field
... Intro.
... ## Papers
... 1. [Depth Separation](https://arxiv.org/abs/1702.08489) 简化证明 (2017)
... ''')
>>> rl.title, rl.description, [e.title for e in rl.entries]
('Field', 'Intro.', ['Field', 'Papers', 'Depth Separation'])
>>> paper = rl.entries[-1]
>>> paper.key, paper.number, paper.parent, paper.note, paper.note_lang, paper.year
('L4', '1', 'L3', '简化证明 (2017)', 'zh', 2017)
"""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from kg.errors import ReadingListError
from kg.model.records import Entry, Link, ReadingList
from kg.read.language import text_language

__all__ = ["parse_reading_list", "read_reading_list"]

logger = logging.getLogger(__name__)

# Link texts that say what a link is, not which work it is: the item's other text names it.
_GENERIC_LINK_TEXTS = frozenset(
    {
        "pdf", "paper", "link", "code", "arxiv", "slides", "slide", "video", "videos",
        "html", "website", "web", "site", "homepage", "home page", "project",
        "project page", "page", "here", "this", "click here", "url", "doi", "github",
        "repo", "repository", "source", "src", "blog", "post", "ppt", "poster", "talk",
        "demo", "official", "download", "abs", "abstract", "bib", "bibtex",
        "openreview", "notes", "youtube", "full text", "preprint", "read more", "more",
        "论文", "代码", "链接", "地址", "视频", "主页", "幻灯片", "原文",
    }
)  # fmt: skip
_LINK_TEXT_BRACKETS = " \t[](){}<>【】（）《》"
_ID_LIKE_TEXT = re.compile(
    r"^(?:https?://\S+|www\.\S+"  # a bare address
    r"|(?:arxiv|doi)\s*[:：]?\s*\S+|10\.\d{4,9}/\S+|\d{4}\.\d{4,5}(?:v\d+)?)$",  # an id
    re.IGNORECASE,
)
_TOC_TITLES = frozenset({"contents", "content", "tableofcontents", "toc", "目录", "目錄"})
_BADGE_HOSTS = frozenset({"img.shields.io", "badgen.net", "badge.fury.io"})

# Separators curators put between a link and their note ("- desc", ": desc", "，desc").
_TRIM = " \t\n,，:：;；-–—·、|"
# "6.2 ", "1.1.3 ", "12. ", "3) ", "4、": at most three digits a part, so "2020. …" is text.
_NUMBER = re.compile(
    r"^\s*(?:(?P<dotted>\d{1,3}(?:\.\d{1,3})+)\.?(?=\s|$)|(?P<plain>\d{1,3})[.)、．](?!\d))"
)
_CELL_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.?")  # a "#" column of a table
_YEAR = re.compile(r"[(（]\s*((?:19|20)\d\d)\s*[)）]")
_HIDDEN_HTML = re.compile(r"^<\s*(script|style)\b", re.IGNORECASE)
_HIDDEN_HTML_END = re.compile(r"^<\s*/\s*(script|style)\s*>", re.IGNORECASE)
_BREAK_HTML = re.compile(r"^<\s*br\b", re.IGNORECASE)

_LISTS = frozenset({"bullet_list", "ordered_list"})
_ITEM_TEXT_BLOCKS = frozenset({"paragraph", "heading"})


@functools.cache
def _markdown() -> MarkdownIt:
    """The one parser configuration: CommonMark with tables and strict linkify."""
    md = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "linkify"])
    # Only scheme'd bare URLs: fuzzy matching turns "README.md" or "model.py" into links.
    md.linkify.set({"fuzzy_link": False, "fuzzy_email": False})  # type: ignore[union-attr]
    # Keep javascript:/data: links as links so their *text* survives and we drop the
    # target ourselves; markdown-it would otherwise leave "[t](javascript:…)" as raw text.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


# ---------------------------------------------------------------------------------------
# Small text helpers
# ---------------------------------------------------------------------------------------


def _squash(text: str) -> str:
    """Whitespace runs as one space, ends stripped.

    >>> _squash("  a \\n b  ")
    'a b'
    """
    return " ".join(text.split())


def _trim(text: str) -> str:
    """Collapse whitespace and strip the separators around a note or title.

    >>> _trim(" - 白盒神经网络。"), _trim("，：;")
    ('白盒神经网络。', '')
    """
    return _squash(text).strip(_TRIM)


def _meaningful(text: str) -> str | None:
    """``text`` trimmed, or None when nothing but punctuation or symbols is left.

    >>> _meaningful("。") is None, _meaningful(" (2019) ")
    (True, '(2019)')
    """
    trimmed = _trim(text)
    return trimmed if any(ch.isalnum() for ch in trimmed) else None




def _year(text: str) -> int | None:
    """The last ``(YYYY)`` or ``（YYYY）`` year, 1900–2099.

    >>> _year("20年发表 (2018)，（2020）"), _year("(1850)") is None
    (2020, True)
    """
    years = _YEAR.findall(text)
    return int(years[-1]) if years else None


def _split_number(text: str) -> tuple[str | None, str]:
    """A number written at the start of ``text``, and the text after it.

    >>> _split_number("6.2 [Depth"), _split_number("12. Foo"), _split_number("2020 was")
    (('6.2', ' [Depth'), ('12', ' Foo'), (None, '2020 was'))
    """
    match = _NUMBER.match(text)
    if not match:
        return None, text
    return match.group("dotted") or match.group("plain"), text[match.end() :]


def _is_generic(text: str) -> bool:
    """True for link texts that name the kind of link ("[pdf]") rather than the work.

    >>> _is_generic("[PDF]"), _is_generic("arXiv:1702.08489"), _is_generic("ReduNet")
    (True, True, False)
    """
    core = _squash(text).strip(_LINK_TEXT_BRACKETS).casefold()
    if not any(ch.isalnum() for ch in core):
        return True
    return core in _GENERIC_LINK_TEXTS or bool(_ID_LIKE_TEXT.match(core))


def _qualifies(href: str) -> bool:
    """True for links that can be a resource: absolute http(s), not a badge service.

    >>> _qualifies("https://arxiv.org/abs/1"), _qualifies("#intro"), _qualifies("javascript:x")
    (True, False, False)
    """
    try:
        parts = urlsplit(href)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(host) and host not in _BADGE_HOSTS


# ---------------------------------------------------------------------------------------
# Inline content: text and links of one paragraph, cell or heading
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Segment:
    """A run of plain text, or the text of a qualifying link (then ``url`` is set)."""

    text: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class _Inline:
    """The inline content of (part of) a block, as segments in reading order."""

    segments: tuple[_Segment, ...] = ()
    hrefs: tuple[str, ...] = ()
    """Targets of every link, qualifying or not (for the table-of-contents rule)."""
    offset: int = 0
    """Source lines between the block's first line and this content's first line."""

    @property
    def links(self) -> tuple[_Segment, ...]:
        return tuple(s for s in self.segments if s.url)

    @property
    def text(self) -> str:
        return _squash("".join(s.text for s in self.segments))

    @property
    def only_anchors(self) -> bool:
        return bool(self.hrefs) and all(h.startswith("#") for h in self.hrefs)

    @staticmethod
    def join(parts: Iterable[_Inline]) -> _Inline:
        """One inline made of several (an item's paragraphs, a paragraph's lines)."""
        parts = list(parts)
        segments: list[_Segment] = []
        for part in parts:
            if segments:
                segments.append(_Segment(" "))
            segments.extend(part.segments)
        hrefs = tuple(h for part in parts for h in part.hrefs)
        return _Inline(tuple(segments), hrefs, parts[0].offset if parts else 0)


@dataclass(slots=True)
class _InlineReader:
    """Reads the flat inline tokens of one block into lines of segments.

    A linear scan rather than recursion: inline HTML can open ``<script>`` in one place
    and close it anywhere later, and its text must never reach a title or note.
    """

    lines: list[_Inline] = field(default_factory=list)
    _segments: list[_Segment] = field(default_factory=list)
    _hrefs: list[str] = field(default_factory=list)
    _href: str | None = None
    _link_text: list[str] = field(default_factory=list)
    _link_image: bool = False
    _hidden: bool = False
    _breaks: int = 0
    _line_start: int = 0

    def read(self, tokens: Sequence[Token]) -> list[_Inline]:
        for token in tokens:
            self._feed(token)
        if self._href is not None:  # markdown-it always closes links; stay safe anyway
            self._close_link()
        self._end_line()
        return self.lines

    def _feed(self, token: Token) -> None:
        kind = token.type
        if kind == "html_inline":
            self._html(token.content)
        elif self._hidden:
            return
        elif kind in {"text", "text_special", "code_inline"}:
            self._text(token.content)
        elif kind in {"softbreak", "hardbreak"}:
            self._break()
        elif kind == "link_open":
            self._open_link(str(token.attrGet("href") or ""))
        elif kind == "link_close":
            self._close_link()
        elif kind == "image":
            self._link_image = True  # images are never text; inside a link they make a badge

    def _html(self, tag: str) -> None:
        if _HIDDEN_HTML.match(tag):
            self._hidden = True
        elif _HIDDEN_HTML_END.match(tag):
            self._hidden = False
        elif _BREAK_HTML.match(tag) and not self._hidden:
            self._text(" ")

    def _text(self, text: str) -> None:
        if self._href is not None:
            self._link_text.append(text)
        elif self._segments and self._segments[-1].url is None:
            self._segments[-1] = _Segment(self._segments[-1].text + text)
        else:
            self._segments.append(_Segment(text))

    def _break(self) -> None:
        self._breaks += 1
        if self._href is not None:  # a link text running over two lines stays one link
            self._link_text.append(" ")
        else:
            self._end_line()
            self._line_start = self._breaks

    def _open_link(self, href: str) -> None:
        self._hrefs.append(href)
        self._href, self._link_text, self._link_image = href, [], False

    def _close_link(self) -> None:
        href, text = self._href or "", "".join(self._link_text)
        self._href = None
        badge = self._link_image and not text.strip()
        if _qualifies(href) and not badge:
            self._segments.append(_Segment(text, href))
        elif text:
            self._text(text)  # a dropped link keeps its words (javascript:, #anchor, …)

    def _end_line(self) -> None:
        if self._segments or self._hrefs:
            self.lines.append(_Inline(tuple(self._segments), tuple(self._hrefs), self._line_start))
        self._segments, self._hrefs = [], []


def _inline_of(node: SyntaxTreeNode) -> list[_Inline]:
    """The lines of inline content of a paragraph, heading or table cell."""
    tokens = [t for child in node.children if child.token for t in child.token.children or ()]
    return _InlineReader().read(tokens)


def _whole(node: SyntaxTreeNode) -> _Inline:
    return _Inline.join(_inline_of(node))


def _line(node: SyntaxTreeNode, default: int) -> int:
    """1-based first source line of a block node."""
    return node.map[0] + 1 if node.map else default


# ---------------------------------------------------------------------------------------
# From inline content to entry fields
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Fields:
    """What an item says, before it gets a key, a line and a parent."""

    title: str
    number: str | None = None
    url: str | None = None
    related: tuple[Link, ...] = ()
    note: str | None = None
    year: int | None = None

    def entry(
        self, key: str, line: int, parent: str | None, heading_level: int | None = None
    ) -> Entry:
        return Entry(
            key=key,
            title=self.title,
            line=line,
            url=self.url,
            related=self.related,
            number=self.number,
            parent=parent,
            note=self.note,
            note_lang=text_language(self.note) if self.note else None,
            year=self.year,
            heading_level=heading_level,
        )


def _without_number(segments: Sequence[_Segment]) -> tuple[str | None, list[_Segment]]:
    """The number written before any link, and the segments with it removed."""
    rest = list(segments)
    if not rest or rest[0].url:
        return None, rest
    number, text = _split_number(rest[0].text)
    if number is not None:
        rest[0] = _Segment(text)
    return number, rest


def _related(links: Sequence[_Segment], first: str) -> tuple[Link, ...]:
    """Further links of an item, each target once, never the item's own URL."""
    seen, related = {first}, []
    for link in links:
        if link.url and link.url not in seen:
            seen.add(link.url)
            related.append(Link(link.url, _squash(link.text)))
    return tuple(related)


def _plain(segments: Iterable[_Segment]) -> str:
    """The text of the segments that are not qualifying links."""
    return "".join(s.text for s in segments if not s.url)


def _generic_title(segments: Sequence[_Segment], links: Sequence[_Segment]) -> tuple[str, bool]:
    """Title of an item whose first link says only "pdf": the text before the link, else
    the text after it, else a telling link text. The flag says the title took the text
    before the link (which then is not part of the note)."""
    first = next(i for i, s in enumerate(segments) if s.url)
    before = _trim(_plain(segments[:first]))
    if before:
        return before, True
    after = _trim(_plain(segments[first:]))
    if after:
        return after, False
    telling = [_squash(s.text) for s in links if not _is_generic(s.text)]
    return (telling or [_squash(links[0].text) or str(links[0].url)])[0], False


def _linked(
    title: str, links: Sequence[_Segment], note: str, number: str | None, year: int | None
) -> _Fields:
    """Fields of a resource: its first link is its URL, the others are related."""
    first = str(links[0].url)
    return _Fields(
        title=title,
        number=number,
        url=first,
        related=_related(links[1:], first),
        note=_meaningful(note),
        year=year,
    )


def _resource(number: str | None, segments: list[_Segment], year: int | None) -> _Fields:
    links = [s for s in segments if s.url]
    if not _is_generic(links[0].text):
        return _linked(_squash(links[0].text), links, _plain(segments), number, year)
    title, took_before = _generic_title(segments, links)
    start = next(i for i, s in enumerate(segments) if s.url) if took_before else 0
    note = _plain(segments[start:])
    return _linked(title, links, "" if _trim(note) == title else note, number, year)


def _fields(inline: _Inline, marker: str | None = None) -> _Fields | None:
    """Fields of an item: a resource when it has a qualifying link, a topic when it has
    text, None when it has neither (an empty bullet, a lone badge)."""
    number, segments = _without_number(inline.segments)
    year = _year("".join(s.text for s in inline.segments))
    number = number or marker
    if any(s.url for s in segments):
        return _resource(number, segments, year)
    title = _trim(_plain(segments))
    return _Fields(title=title, number=number, year=year) if title else None


def _row_fields(cells: Sequence[_Inline]) -> _Fields | None:
    """Fields of a table row: a resource when a cell holds a qualifying link."""
    links = [s for cell in cells for s in cell.links]
    if not links:
        return None
    texts = [_trim(_plain(cell.segments)) for cell in cells]
    number = None
    if texts and _CELL_NUMBER.fullmatch(texts[0]):
        number, texts[0] = texts[0].rstrip("."), ""
    title = _squash(links[0].text)
    if _is_generic(links[0].text):
        index = next((i for i, t in enumerate(texts) if t), None)
        title = texts[index] if index is not None else title or str(links[0].url)
        if index is not None:
            texts[index] = ""
    year = _year(" ".join(cell.text for cell in cells))
    return _linked(title, links, " · ".join(t for t in texts if t), number, year)


def _units(lines: list[_Inline]) -> list[_Inline]:
    """A loose paragraph as resources: one per line when two or more of its lines hold a
    link (a list written without bullets), else the whole paragraph as one.

    Lines without a link continue the line before them.
    """
    if sum(1 for line in lines if line.links) < 2:
        return [_Inline.join(lines)] if lines else []
    groups: list[list[_Inline]] = []
    for line in lines:
        if line.links or not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    return [_Inline.join(group) for group in groups]


def _is_toc(title: str) -> bool:
    """True for a heading that introduces a table of contents.

    >>> _is_toc("Table of Contents"), _is_toc("📑 目录"), _is_toc("Contents of the brain")
    (True, True, False)
    """
    return "".join(ch for ch in title.casefold() if ch.isalnum()) in _TOC_TITLES


# ---------------------------------------------------------------------------------------
# The document walk
# ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Builder:
    """Walks the block tree once, in document order, and collects entries."""

    entries: list[Entry] = field(default_factory=list)
    title: str | None = None
    description: list[str] = field(default_factory=list)
    _per_line: Counter[int] = field(default_factory=Counter)
    _headings: list[tuple[int, str]] = field(default_factory=list)
    _in_intro: bool = False
    _in_toc: bool = False

    def document(self, nodes: Iterable[SyntaxTreeNode]) -> None:
        for node in nodes:
            self._top(node)

    # -- keys and sections ---------------------------------------------------------

    def _add(
        self, fields: _Fields, line: int, parent: str | None, heading_level: int | None = None
    ) -> str:
        """Store an entry; its key is its line, with a suffix if the line has one already."""
        self._per_line[line] += 1
        count = self._per_line[line]
        key = f"L{line}" if count == 1 else f"L{line}-{count}"
        self.entries.append(fields.entry(key, line, parent, heading_level))
        return key

    def _section(self) -> str | None:
        return self._headings[-1][1] if self._headings else None

    # -- top level: headings, intro, tables of contents ----------------------------

    def _top(self, node: SyntaxTreeNode) -> None:
        if node.type == "heading":
            self._heading(node)
        elif self._in_toc:
            return
        elif node.type == "blockquote":
            self.document(node.children)
        elif self._in_intro and node.type == "paragraph":
            text = _whole(node).text
            if text:
                self.description.append(text)
        else:
            if node.type in _LISTS or node.type == "table":
                self._in_intro = False
            self._block(node, self._section())

    def _heading(self, node: SyntaxTreeNode) -> None:
        self._in_intro = False
        level = int(node.tag[1:]) if node.tag[1:].isdigit() else 6
        inline = _whole(node)
        self._in_toc = _is_toc(inline.text)
        number, rest = _split_number(inline.text)
        title = _trim(rest)
        if self._in_toc or not title:
            return
        while self._headings and self._headings[-1][0] >= level:
            self._headings.pop()
        fields = _Fields(title=title, number=number, year=_year(inline.text))
        key = self._add(fields, _line(node, 1), self._section(), heading_level=level)
        self._headings.append((level, key))
        if level == 1 and self.title is None:
            self.title, self._in_intro = _trim(inline.text), True

    # -- blocks inside a section or an item ------------------------------------------

    def _block(self, node: SyntaxTreeNode, parent: str | None) -> None:
        if node.type in _LISTS:
            for item in node.children:
                self._item(item, parent, ordered=node.type == "ordered_list")
        elif node.type == "table":
            self._table(node, parent)
        elif node.type in _ITEM_TEXT_BLOCKS:
            self._paragraph(node, parent)
        elif node.type == "blockquote":
            for child in node.children:
                self._block(child, parent)
        # html blocks, code, rules: nothing a reader would call an entry

    def _item(self, item: SyntaxTreeNode, parent: str | None, *, ordered: bool) -> None:
        own = [c for c in item.children if c.type in _ITEM_TEXT_BLOCKS]
        inline = _Inline.join(_whole(c) for c in own)
        if inline.only_anchors:
            return  # an entry of a table of contents, and its sub-entries with it
        fields = _fields(inline, marker=(item.info or None) if ordered else None)
        key = self._add(fields, _line(item, 1), parent) if fields else None
        for child in item.children:
            if child.type not in _ITEM_TEXT_BLOCKS:
                self._block(child, key or parent)

    def _paragraph(self, node: SyntaxTreeNode, parent: str | None) -> None:
        first_line = _line(node, 1)
        for unit in _units(_inline_of(node)):
            fields = _fields(unit)
            if fields is not None and fields.url is not None:
                self._add(fields, first_line + unit.offset, parent)

    def _table(self, node: SyntaxTreeNode, parent: str | None) -> None:
        for section in node.children:
            if section.type != "tbody":
                continue  # the header row names columns, not works
            for row in section.children:
                fields = _row_fields([_whole(cell) for cell in row.children])
                if fields is not None:
                    self._add(fields, _line(row, _line(node, 1)), parent)


# ---------------------------------------------------------------------------------------
# Public surface
# ---------------------------------------------------------------------------------------


def parse_reading_list(text: str, *, source: str = "<string>") -> ReadingList:
    """Parse the Markdown of a reading list. Never raises on odd Markdown.

    ``source`` names the text in messages and in the result.
    """
    tokens = _markdown().parse(text.removeprefix("\ufeff"))
    builder = _Builder()
    builder.document(SyntaxTreeNode(tokens).children)
    entries = tuple(builder.entries)
    logger.debug(
        "%s: %d entries (%d resources)",
        source,
        len(entries),
        sum(1 for e in entries if not e.is_topic),
    )
    return ReadingList(
        entries=entries,
        title=builder.title,
        description="\n\n".join(builder.description) or None,
        source=source,
    )


def read_reading_list(path: str | Path) -> ReadingList:
    """Read and parse a reading list file (UTF-8, a byte-order mark allowed).

    Raises :class:`~kg.errors.ReadingListError` naming the file when it cannot be read or
    is not UTF-8 (then with the line and column of the first bad byte).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        reason = err.strerror or str(err)
        raise ReadingListError(f"{path}: cannot read the reading list: {reason}") from err
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise ReadingListError(
            f"{path}: line {line}, column {column}: not UTF-8 (byte 0x{data[err.start]:02x})"
        ) from err
    return parse_reading_list(text, source=str(path))
