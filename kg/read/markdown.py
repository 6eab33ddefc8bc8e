"""Parse an awesome-list style Markdown reading list into :class:`~kg.model.records.Entry` records.

The first stage of the pipeline: Markdown text in, a :class:`~kg.model.records.ReadingList` out.
Only :func:`read_list_text` touches a file. Structure comes from markdown-it tokens
(CommonMark, tables, linkify), never from regular expressions over lines. This module walks
the blocks; :mod:`kg.read.inline` reads a block's inline tokens into styled spans,
:mod:`kg.read.entry_text` an item's spans into title, byline, note and links (with
:mod:`kg.read.bylines` for authors, years and venues in plain text and :mod:`kg.read.links`
for what a link is), and :mod:`kg.read.tables` a table row.

What becomes what:

- every heading is a topic, and so is an HTML ``<h1>`` block (``<h1 align="center">…``,
  a level-1 heading); the first level-1 heading is also the list's title (a list without
  one takes its first heading of any level: a wiki page that starts at ``###``), and the
  paragraphs between it and the first list, table or heading are the description (not
  resources, even when they link somewhere: an introduction cites, it does not list);
- a list item, table row or loose paragraph whose text holds a *qualifying* link (absolute
  ``http(s)``, not an image or badge) is a resource; a list item without one is a topic
  (a link-less group such as "6. NN Approximation Theory") and the parent of its children;
- a line that is only **bold** text, as a paragraph or as a link-less list item, followed by
  resources is a pseudo-heading: a topic under the section it is in, holding the resources
  after it up to the next heading or bold line (its sibling items, for a list item). A bold
  paragraph followed by one resource that gives no title of its own is that entry's title;
- a link-less item nested under a resource is a topic that resource covers ("3.1 Geometry
  of Data" under a course), unless it reads as a note on it (:func:`_reads_as_note`: a
  sentence, or in another script than its section's heading); a note joins the resource's;
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

A sub-topic nested under a resource stays one; a sentence under it is its note:

>>> rl = parse_reading_list('''### Wiki page
... **Courses**
...
... - [MathsDL](https://joanbruna.github.io/MathsDL-spring19/)
...   - 3.1 Geometry of Data
...   - Une excellente introduction.
... ''')
>>> rl.title, [(e.title, e.parent) for e in rl.entries if e.is_topic], rl.entries[2].note
('Wiki page', [('Wiki page', None), ('Courses', 'L1'), ('Geometry of Data', 'L4')], 'Une excellente introduction.')
"""

from __future__ import annotations

import functools
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from kg.errors import ReadingListError
from kg.files import not_a_file
from kg.model.records import Entry, ReadingList
from kg.read.bylines import Byline, year_in_parentheses
from kg.read.entry_text import Fields, resource_fields, split_number, topic_fields, trim
from kg.read.inline import Inline, InlineReader, Span
from kg.read.language import text_language
from kg.read.links import address_title, escape_address
from kg.read.tables import header_roles, row_fields

__all__ = [
    "is_toc_heading", "markdown_parser", "parse_reading_list", "read_list_text", "read_reading_list",
]

logger = logging.getLogger(__name__)

_TOC_TITLES = frozenset({"contents", "content", "tableofcontents", "toc", "目录", "目錄"})
_LISTS = frozenset({"bullet_list", "ordered_list"})
_ITEM_TEXT_BLOCKS = frozenset({"paragraph", "heading"})
_SENTENCE_ENDS = (".", "。", "!", "?", "！", "？", "…")
_NOTE_WORDS = 12
"""A link-less line of this many words or more under a resource is prose, not a topic's name."""


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


def _bold_line(inline: Inline) -> str | None:
    """The text of a line that is only **bold** text and no link (a pseudo-heading such as
    ``**Gradient-based**``), or None. A bold sentence ("**Contributions welcome!**") is no
    heading.

    >>> def line(md): return _bold_line(_whole(SyntaxTreeNode(markdown_parser().parse(md)).children[0]))
    >>> line("**Gradient-based**"), line("**Title.** Authors"), line("**Contributions welcome!**")
    ('Gradient-based', None, None)
    """
    spans = [s for s in inline.spans if s.text.strip()]
    if not spans or inline.hrefs or inline.images or any(s.brk or s.url or not s.strong for s in spans):
        return None
    text = trim(inline.text)
    if not text or not any(ch.isalnum() for ch in text) or text.endswith(_SENTENCE_ENDS):
        return None
    return text


def _reads_as_note(text: str, section_title: str | None) -> bool:
    """True when the text of a link-less, unnumbered item under a resource is a note on the
    resource rather than a topic it covers: a sentence (it ends like one, or runs to
    :data:`_NOTE_WORDS` words), or written in another script than its section's heading
    (a Chinese remark in a list headed in English).

    >>> _reads_as_note("Geometry of Data", "Course"), _reads_as_note("Causal forests; see grf.", None)
    (False, True)
    >>> _reads_as_note("简化证明", "Approximation"), _reads_as_note("几何", "课程")
    (True, False)
    """
    if text.endswith(_SENTENCE_ENDS) or len(text.split()) >= _NOTE_WORDS:
        return True
    return section_title is not None and text_language(text) != text_language(section_title)


class _HeadingText(HTMLParser):
    """The text of the first ``<h1>`` element of an HTML block (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.state = "before"  # before → inside → after

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1" and self.state == "before":
            self.state = "inside"
        elif tag == "br" and self.state == "inside":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1" and self.state == "inside":
            self.state = "after"

    def handle_data(self, data: str) -> None:
        if self.state == "inside":
            self.parts.append(data)


def html_heading(html: str) -> str | None:
    """The text of the first ``<h1>`` of an HTML block, or None when it has none (or only
    an image).

    >>> html_heading('<h1 align="center">Awesome Causal &amp; ML</h1>')
    'Awesome Causal & ML'
    >>> html_heading('<p align="center"><img src="logo.png"></p>') is None
    True
    """
    parser = _HeadingText()
    parser.feed(html)
    parser.close()
    text = trim("".join(parser.parts))
    return text or None


def _title_node(nodes: list[SyntaxTreeNode]) -> tuple[SyntaxTreeNode | None, bool]:
    """The block that names the list, and whether an introduction follows it.

    The list's first level-1 heading (Markdown or HTML ``<h1>``) names it, else its first
    heading of any level; tables of contents name nothing. The paragraphs after a level-1
    heading are the introduction; after another, only when every other heading is deeper
    (it heads the page): "## Papers" before "## Books" starts no introduction, as a link
    written right under it is a resource.
    """
    levels = [(n, int(n.tag[1:])) for n in nodes
              if n.type == "heading" and trim(_whole(n).text) and not is_toc_heading(_whole(n).text)]
    for node in nodes:
        if (node.type == "heading" and node.tag == "h1" and any(node is n for n, _ in levels)) or (
            node.type == "html_block" and html_heading(node.content)
        ):
            return node, True
    if not levels:
        return None, False
    first, level = levels[0]
    return first, all(other > level for _, other in levels[1:])


# ---------------------------------------------------------------------------------------
# The document walk
# ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class _PendingHeading:
    """A bold line waiting for the resources that make it a pseudo-heading."""

    fields: Fields
    line: int
    parent: str | None
    description_index: int | None = None
    """Where it sits in the description when it stood in the introduction."""

    @property
    def key(self) -> str:
        return f"L{self.line}"  # a bold-only paragraph holds nothing else on its line


@dataclass(slots=True)
class _Builder:
    """Walks the block tree once, in document order, and collects entries."""

    source: str = "<string>"
    entries: list[Entry] = field(default_factory=list)
    title: str | None = None
    description: list[str] = field(default_factory=list)
    title_node: SyntaxTreeNode | None = None
    """The block that names the list (:func:`_title_node`)."""
    intro_after_title: bool = True
    _per_line: Counter[int] = field(default_factory=Counter)
    _index: dict[str, int] = field(default_factory=dict)
    """Entry key -> its place in :attr:`entries`."""
    _headings: list[tuple[int, str]] = field(default_factory=list)
    _pending: _PendingHeading | None = None
    _bold: str | None = None
    """The bold line that became a heading: what follows is under it, paragraph after
    paragraph, up to the next heading or bold line."""
    _in_intro: bool = False
    _in_toc: bool = False

    def document(self, nodes: Iterable[SyntaxTreeNode]) -> None:
        nodes = list(nodes)
        taken = False
        for index, node in enumerate(nodes):
            after = nodes[index + 1] if index + 1 < len(nodes) else None
            if taken:  # the block before used this one as part of its entry
                taken = False
                continue
            taken = self._top(node, after)

    # -- keys and sections ---------------------------------------------------------

    def _add(
        self, fields: Fields, line: int, parent: str | None, heading_level: int | None = None
    ) -> str:
        """Store an entry; its key is its line, with a suffix if the line has one already."""
        pending = self._pending
        if pending is not None and parent == pending.key:
            self._pending = None  # the first entry under a bold line makes it a heading
            if pending.description_index is not None:
                del self.description[pending.description_index]
            self._bold = self._add(pending.fields, pending.line, pending.parent)
        self._per_line[line] += 1
        count = self._per_line[line]
        key = f"L{line}" if count == 1 else f"L{line}-{count}"
        self._index[key] = len(self.entries)
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

    def _heading_section(self) -> str | None:
        return self._headings[-1][1] if self._headings else None

    def _section(self) -> str | None:
        """Where a block of the section goes: under the bold line before it, if any."""
        if self._pending is not None:
            return self._pending.key
        return self._bold or self._heading_section()

    def _entry(self, key: str | None) -> Entry | None:
        return self.entries[self._index[key]] if key in self._index else None

    def _add_note(self, key: str, note: str) -> None:
        """Append ``note`` to the note of the entry ``key``; a note has one language, the
        one it starts in (an English note with a Chinese remark after it stays ``en``)."""
        index = self._index[key]
        entry = self.entries[index]
        joined = f"{entry.note} {note}" if entry.note else note
        self.entries[index] = replace(entry, note=joined, note_lang=entry.note_lang or text_language(note))

    # -- top level: headings, intro, tables of contents ----------------------------

    def _top(self, node: SyntaxTreeNode, after: SyntaxTreeNode | None) -> bool:
        """Read one top-level block; True when it used the block ``after`` it too."""
        if node.type == "heading":
            self._heading(node, _whole(node).text, int(node.tag[1:]) if node.tag[1:].isdigit() else 6)
        elif node.type == "html_block" and (text := html_heading(node.content)) is not None:
            self._heading(node, text, 1)
        elif self._in_toc:
            return False
        elif node.type == "blockquote":
            self.document(node.children)
        elif node.type == "paragraph" and (bold := _bold_line(_whole(node))) is not None:
            return self._bold_paragraph(node, bold, after)
        elif self._in_intro and node.type == "paragraph":
            text = _whole(node).text
            if text:
                self.description.append(text)
        else:
            if node.type in _LISTS or node.type == "table":
                self._in_intro = False
            self._block(node, self._section())
        return False

    def _heading(self, node: SyntaxTreeNode, text: str, level: int) -> None:
        self._in_intro, self._pending, self._bold = False, None, None
        self._in_toc = is_toc_heading(text)
        number, rest = split_number(text)
        title = trim(rest)
        if self._in_toc or not title:
            return
        while self._headings and self._headings[-1][0] >= level:
            self._headings.pop()
        fields = Fields(title=title, number=number, byline=Byline(year=year_in_parentheses(text)))
        key = self._add(fields, _line(node, 1), self._heading_section(), heading_level=level)
        self._headings.append((level, key))
        if node is self.title_node:
            self.title, self._in_intro = trim(text), self.intro_after_title

    def _bold_paragraph(self, node: SyntaxTreeNode, text: str, after: SyntaxTreeNode | None) -> bool:
        """A bold-only paragraph: the title of the one resource after it when that gives no
        title of its own, else a heading-to-be for the resources after it."""
        inline = _whole(node)
        if not self._in_intro and after is not None and after.type == "paragraph":
            units = _units(_inline_of(after))
            fields = _fields(units[0]) if len(units) == 1 else None
            if fields is not None and fields.url is not None and fields.title == address_title(fields.url):
                own = _fields(Inline.join([inline, units[0]]))
                assert own is not None
                self._add(own, _line(node, 1), self._section())
                return True
        number, rest = split_number(text)
        fields = Fields(title=trim(rest) or text, number=number)
        self._pending, self._bold = _PendingHeading(fields, _line(node, 1), self._heading_section()), None
        if self._in_intro:  # an introduction's bold line stays its words until resources follow
            self._pending.description_index = len(self.description)
            self.description.append(inline.text)
        return False

    # -- blocks inside a section or an item ------------------------------------------

    def _block(self, node: SyntaxTreeNode, parent: str | None) -> None:
        if node.type in _LISTS:
            self._list(node, parent)
        elif node.type == "table":
            self._table(node, parent)
        elif node.type in _ITEM_TEXT_BLOCKS:
            self._paragraph(node, parent)
        elif node.type == "blockquote":
            for child in node.children:
                self._block(child, parent)
        # html blocks, code, rules: nothing a reader would call an entry

    def _list(self, node: SyntaxTreeNode, parent: str | None) -> None:
        """The items of a list; a bold link-less item with nothing nested under it heads
        the items after it (up to the next such item), as a bold line heads a section."""
        ordered = node.type == "ordered_list"
        group: str | None = None
        for index, item in enumerate(node.children):
            own = [c for c in item.children if c.type in _ITEM_TEXT_BLOCKS]
            inline = Inline.join(_whole(c) for c in own)
            if len(own) == len(item.children) and _bold_line(inline) is not None:
                group = None  # the next bold item ends the group; the last one heads nothing
                fields = _fields(inline, marker=(item.info or None) if ordered else None)
                if fields is not None and index + 1 < len(node.children):
                    group = self._add(fields, _line(item, 1), parent)
                    continue
            self._item(item, group or parent, ordered=ordered)

    def _item(self, item: SyntaxTreeNode, parent: str | None, *, ordered: bool) -> None:
        own = [c for c in item.children if c.type in _ITEM_TEXT_BLOCKS]
        inline = Inline.join(_whole(c) for c in own)
        if inline.only_anchors:
            return  # an entry of a table of contents, and its sub-entries with it
        fields = _fields(inline, marker=(item.info or None) if ordered else None)
        if fields is not None and parent is not None and self._is_note(fields, inline, parent, item):
            self._add_note(parent, fields.title)
            return
        key = self._add(fields, _line(item, 1), parent) if fields else None
        for child in item.children:
            if child.type not in _ITEM_TEXT_BLOCKS:
                self._block(child, key or parent)

    def _is_note(self, fields: Fields, inline: Inline, parent: str, item: SyntaxTreeNode) -> bool:
        """A link-less item right under a resource, with nothing nested under it, no number
        ("3.1 Geometry of Data" is a part of a course) and not bold, that reads as a note."""
        above = self._entry(parent)
        if fields.url is not None or above is None or above.is_topic or fields.number:
            return False
        if any(c.type not in _ITEM_TEXT_BLOCKS for c in item.children) or _bold_line(inline) is not None:
            return False
        section = self._entry(self._heading_section())
        return _reads_as_note(fields.title, section.title if section else None)

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
    blocks = SyntaxTreeNode(tokens).children
    title_node, intro = _title_node(blocks)
    builder = _Builder(source=source, title_node=title_node, intro_after_title=intro)
    builder.document(blocks)
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
