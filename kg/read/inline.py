"""The inline content of one paragraph, heading or table cell, as spans in reading order.

A span is a run of text with one style (plain, **strong**, *emphasis*), or the text of a
link that can be a resource (then ``url`` is set). Line breaks inside an item are kept as
spans of their own, so that "the next indented line" (a habit for author lines) is seen.

>>> from kg.read.markdown import markdown_parser
>>> tokens = markdown_parser().parseInline("**T.** by *A* [pdf](https://a.org)")[0].children
>>> [(s.text, s.strong, s.em, s.url) for s in InlineReader().read(tokens)[0].spans]
[('T.', True, False, None), (' by ', False, False, None), ('A', False, True, None), \
(' ', False, False, None), ('pdf', False, False, 'https://a.org')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token

from kg.read.links import qualifies

__all__ = ["Inline", "InlineReader", "Span", "squash"]

_HIDDEN_HTML = re.compile(r"^<\s*(script|style)\b", re.IGNORECASE)
_HIDDEN_HTML_END = re.compile(r"^<\s*/\s*(script|style)\s*>", re.IGNORECASE)
_BREAK_HTML = re.compile(r"^<\s*br\b", re.IGNORECASE)


def squash(text: str) -> str:
    """Whitespace runs as one space, ends stripped.

    >>> squash("  a \\n b  ")
    'a b'
    """
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text in one style, the text of a qualifying link, or a line break."""

    text: str
    url: str | None = None
    strong: bool = False
    em: bool = False
    brk: bool = False
    """A line break between two lines of one item (its text is a space)."""

    @property
    def emphasized(self) -> bool:
        return self.strong or self.em


BREAK = Span(" ", brk=True)


@dataclass(frozen=True, slots=True)
class Inline:
    """The inline content of (part of) a block, as spans in reading order."""

    spans: tuple[Span, ...] = ()
    hrefs: tuple[str, ...] = ()
    """Targets of every link, qualifying or not (for the table-of-contents rule)."""
    images: tuple[str, ...] = ()
    """Sources of the images shown (badges, figures): never resources."""
    offset: int = 0
    """Source lines between the block's first line and this content's first line."""

    @property
    def links(self) -> tuple[Span, ...]:
        return tuple(s for s in self.spans if s.url)

    @property
    def text(self) -> str:
        return squash("".join(s.text for s in self.spans))

    @property
    def only_anchors(self) -> bool:
        return bool(self.hrefs) and all(h.startswith("#") for h in self.hrefs)

    @staticmethod
    def join(parts: Iterable[Inline]) -> Inline:
        """One inline made of several (an item's paragraphs, a paragraph's lines)."""
        parts = list(parts)
        spans: list[Span] = []
        for part in parts:
            if spans:
                spans.append(BREAK)
            spans.extend(part.spans)
        hrefs = tuple(h for part in parts for h in part.hrefs)
        images = tuple(i for part in parts for i in part.images)
        return Inline(tuple(spans), hrefs, images, parts[0].offset if parts else 0)


@dataclass(slots=True)
class InlineReader:
    """Reads the flat inline tokens of one block into lines of spans.

    A linear scan rather than recursion: inline HTML can open ``<script>`` in one place
    and close it anywhere later, and its text must never reach a title or note.
    """

    lines: list[Inline] = field(default_factory=list)
    _spans: list[Span] = field(default_factory=list)
    _hrefs: list[str] = field(default_factory=list)
    _images: list[str] = field(default_factory=list)
    _href: str | None = None
    _link_text: list[str] = field(default_factory=list)
    _link_image: bool = False
    _link_style: tuple[bool, bool] = (False, False)
    _strong: int = 0
    _em: int = 0
    _hidden: bool = False
    _breaks: int = 0
    _line_start: int = 0

    def read(self, tokens: Sequence[Token]) -> list[Inline]:
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
            self._images.append(str(token.attrGet("src") or ""))
            self._link_image = True  # images are never text; inside a link they make a badge
        elif kind in {"strong_open", "strong_close"}:
            self._strong += 1 if kind == "strong_open" else -1
        elif kind in {"em_open", "em_close"}:
            self._em += 1 if kind == "em_open" else -1

    def _html(self, tag: str) -> None:
        if _HIDDEN_HTML.match(tag):
            self._hidden = True
        elif _HIDDEN_HTML_END.match(tag):
            self._hidden = False
        elif _BREAK_HTML.match(tag) and not self._hidden:
            self._text(" ")

    def _style(self) -> tuple[bool, bool]:
        return self._strong > 0, self._em > 0

    def _text(self, text: str) -> None:
        if not text:
            return
        if self._href is not None:
            self._link_text.append(text)
            return
        strong, em = self._style()
        last = self._spans[-1] if self._spans else None
        if last is not None and last.url is None and (last.strong, last.em) == (strong, em):
            self._spans[-1] = Span(last.text + text, strong=strong, em=em)
        else:
            self._spans.append(Span(text, strong=strong, em=em))

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
        self._link_style = self._style()

    def _close_link(self) -> None:
        href, text = self._href or "", "".join(self._link_text)
        self._href = None
        badge = self._link_image and not text.strip()
        if qualifies(href) and not badge:
            strong, em = self._link_style
            self._spans.append(Span(text, href, strong=strong, em=em))
        elif text:
            self._text(text)  # a dropped link keeps its words (javascript:, #anchor, …)

    def _end_line(self) -> None:
        if self._spans or self._hrefs or self._images:
            self.lines.append(
                Inline(tuple(self._spans), tuple(self._hrefs), tuple(self._images), self._line_start)
            )
        self._spans, self._hrefs, self._images = [], [], []
