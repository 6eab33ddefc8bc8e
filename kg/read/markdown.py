"""Parse an awesome-list style Markdown reading list into :class:`~kg.model.records.Entry` records.

The first stage of the pipeline: Markdown text in, a :class:`~kg.model.records.ReadingList` out.
Only :func:`read_list_text` touches a file. Structure comes from markdown-it tokens
(CommonMark, tables, linkify), never from regular expressions over lines. This module walks
the blocks; :mod:`kg.read.inline` reads a block's inline tokens into styled spans,
:mod:`kg.read.entry_text` an item's spans into title, byline, note and links (with
:mod:`kg.read.bylines` for authors, years and venues in plain text and :mod:`kg.read.links`
for what a link is), and :mod:`kg.read.tables` a table row.

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
('L4', '1', 'L3', '简化证明', 'zh', 2017)
"""

from __future__ import annotations

import functools
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from kg.errors import ReadingListError
from kg.files import not_a_file
from kg.model.records import Entry, ReadingList
from kg.read.bylines import Byline, year_in_parentheses
from kg.read.entry_text import Fields, resource_fields, split_number, topic_fields, trim
from kg.read.inline import Inline, InlineReader, Span
from kg.read.links import escape_address
from kg.read.tables import header_roles, row_fields

__all__ = [
    "is_toc_heading", "markdown_parser", "parse_reading_list", "read_list_text", "read_reading_list",
]

logger = logging.getLogger(__name__)

_TOC_TITLES = frozenset({"contents", "content", "tableofcontents", "toc", "目录", "目錄"})
_LISTS = frozenset({"bullet_list", "ordered_list"})
_ITEM_TEXT_BLOCKS = frozenset({"paragraph", "heading"})


@functools.cache
def markdown_parser() -> MarkdownIt:
    """The one parser configuration: CommonMark with tables and strict linkify."""
    md = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "linkify"])
    # Only scheme'd bare URLs: fuzzy matching turns "README.md" or "model.py" into links.
    md.linkify.set({"fuzzy_link": False, "fuzzy_email": False})  # type: ignore[union-attr]
    # Keep javascript:/data: links as links so their *text* survives and we drop the
    # target ourselves; markdown-it would otherwise leave "[t](javascript:…)" as raw text.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def _inline_of(node: SyntaxTreeNode) -> list[Inline]:
    """The lines of inline content of a paragraph, heading or table cell."""
    tokens = [t for child in node.children if child.token for t in child.token.children or ()]
    return InlineReader().read(tokens)


def _whole(node: SyntaxTreeNode) -> Inline:
    return Inline.join(_inline_of(node))


def _line(node: SyntaxTreeNode, default: int) -> int:
    """1-based first source line of a block node."""
    return node.map[0] + 1 if node.map else default


def _without_number(spans: Iterable[Span]) -> tuple[str | None, list[Span]]:
    """The number written before any link, and the spans with it removed."""
    rest = list(spans)
    if not rest or rest[0].url or rest[0].brk:
        return None, rest
    number, text = split_number(rest[0].text)
    if number is not None:
        rest[0] = Span(text, strong=rest[0].strong, em=rest[0].em)
    return number, rest


def _fields(inline: Inline, marker: str | None = None) -> Fields | None:
    """Fields of an item: a resource when it has a qualifying link, a topic when it has
    text, None when it has neither (an empty bullet, a lone badge)."""
    number, spans = _without_number(inline.spans)
    number = number or marker
    if any(s.url for s in spans):
        return resource_fields(spans, number=number)
    return topic_fields(spans, number=number)


def _units(lines: list[Inline]) -> list[Inline]:
    """A loose paragraph as resources: one per line when two or more of its lines hold a
    link (a list written without bullets), else the whole paragraph as one.

    Lines without a link continue the line before them.
    """
    if sum(1 for line in lines if line.links) < 2:
        return [Inline.join(lines)] if lines else []
    groups: list[list[Inline]] = []
    for line in lines:
        if line.links or not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    return [Inline.join(group) for group in groups]


def is_toc_heading(title: str) -> bool:
    """True for a heading that introduces a table of contents.

    >>> is_toc_heading("Table of Contents"), is_toc_heading("📑 目录"), is_toc_heading("Contents of the brain")
    (True, True, False)
    """
    return "".join(ch for ch in title.casefold() if ch.isalnum()) in _TOC_TITLES


# ---------------------------------------------------------------------------------------
# The document walk
# ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Builder:
    """Walks the block tree once, in document order, and collects entries."""

    source: str = "<string>"
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
        self, fields: Fields, line: int, parent: str | None, heading_level: int | None = None
    ) -> str:
        """Store an entry; its key is its line, with a suffix if the line has one already."""
        self._per_line[line] += 1
        count = self._per_line[line]
        key = f"L{line}" if count == 1 else f"L{line}-{count}"
        self.entries.append(self._escaped(fields, line).entry(key, line, parent, heading_level))
        return key

    def _escaped(self, fields: Fields, line: int) -> Fields:
        """``fields`` with its addresses as IRIs (:func:`escape_address`), each change
        told with its line: ``https://example.org/a#b#c`` is read as ``…/a#b%23c``."""
        def escaped(url: str) -> str:
            iri = escape_address(url)
            if iri != url:
                logger.warning("%s: line %d: the address %s is read as %s (an IRI holds no second #, "
                            "space or quote: write them as %%23, %%20, %%22)", self.source, line, url, iri)
            return iri

        related = tuple(replace(link, url=escaped(link.url)) for link in fields.related)
        return replace(fields, url=escaped(fields.url) if fields.url else None, related=related)

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
        self._in_toc = is_toc_heading(inline.text)
        number, rest = split_number(inline.text)
        title = trim(rest)
        if self._in_toc or not title:
            return
        while self._headings and self._headings[-1][0] >= level:
            self._headings.pop()
        fields = Fields(title=title, number=number, byline=Byline(year=year_in_parentheses(inline.text)))
        key = self._add(fields, _line(node, 1), self._section(), heading_level=level)
        self._headings.append((level, key))
        if level == 1 and self.title is None:
            self.title, self._in_intro = trim(inline.text), True

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
        inline = Inline.join(_whole(c) for c in own)
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
        roles: list[str | None] = []
        for section in node.children:
            if section.type == "thead":  # the header row names columns, not works
                roles = [r for row in section.children for r in header_roles([_whole(c).text for c in row.children])]
                continue
            for row in section.children:
                fields = row_fields([_whole(cell) for cell in row.children], roles)
                if fields is not None:
                    self._add(fields, _line(row, _line(node, 1)), parent)


# ---------------------------------------------------------------------------------------
# Public surface
# ---------------------------------------------------------------------------------------


def parse_reading_list(text: str, *, source: str = "<string>") -> ReadingList:
    """Parse the Markdown of a reading list. Never raises on odd Markdown.

    ``source`` names the text in messages and in the result.
    """
    tokens = markdown_parser().parse(text.removeprefix("\ufeff"))
    builder = _Builder(source=source)
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


def read_list_text(path: str | Path) -> str:
    """The text of a reading list file (UTF-8, a byte-order mark allowed).

    Raises :class:`~kg.errors.ReadingListError` naming the file when it is missing or not a
    regular file (a directory, a FIFO, a device: never opened), cannot be read or is not
    UTF-8 (then with the line and column of the first bad byte).
    """
    path = Path(path)
    problem = not_a_file(path)  # told from its metadata: /dev/zero never ends, a FIFO waits
    if problem is not None:
        raise ReadingListError(f"{path}: {problem}: give the path of a reading list (Markdown, .bib, .ris or .json)")
    try:
        data = path.read_bytes()
    except OSError as err:
        reason = err.strerror or str(err)
        raise ReadingListError(f"{path}: cannot read the reading list: {reason}") from err
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise ReadingListError(
            f"{path}: line {line}, column {column}: not UTF-8 (byte 0x{data[err.start]:02x})"
        ) from err


def read_reading_list(path: str | Path) -> ReadingList:
    """Read and parse a reading list file (see :func:`read_list_text` for its errors)."""
    return parse_reading_list(read_list_text(path), source=str(path))
