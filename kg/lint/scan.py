"""What the Markdown of a list shows beyond its entries: bullet markers, empty headings,
every link and image with its line, items that link nowhere a reader can go, and link
syntax that did not parse. From the same markdown-it tokens the reader uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from kg.read.links import qualifies
from kg.read.markdown import is_toc_heading, markdown_parser

__all__ = ["Heading", "ListRun", "LooseItem", "PageLink", "Scan", "scan_markdown"]

_CONTENT_BLOCKS = frozenset(
    {"paragraph_open", "bullet_list_open", "ordered_list_open", "table_open", "fence",
     "code_block", "html_block", "blockquote_open", "hr"}
)  # fmt: skip
# "[text] (https://…)": a space between the brackets breaks the link; "[t](https://a b)":
# a space in the address does too.
_BROKEN_LINKS = (
    (re.compile(r"\[[^\]\n]+\]\s+\((?:https?://|www\.)[^)\s]*\)"), "a space between ] and ( breaks the link"),
    (re.compile(r"(?<!!)\[[^\]\n]+\]\((?:https?://|www\.)[^)\n]*?\s+[^)\n]*\)"), "the address has a space in it"),
)


@dataclass(frozen=True, slots=True)
class Heading:
    line: int
    level: int
    title: str
    empty: bool


@dataclass(frozen=True, slots=True)
class ListRun:
    """A Markdown list: where it starts, its marker ("-", "*", "+", "." or ")"), how deep
    it is nested, and the heading it sits under (the line of that heading, 0 for none)."""

    line: int
    marker: str
    depth: int
    section: int


@dataclass(frozen=True, slots=True)
class PageLink:
    """A link or an image, at its line."""

    line: int
    href: str
    text: str
    image: bool = False


@dataclass(frozen=True, slots=True)
class LooseItem:
    """A list item that names something but links only to an anchor, a relative path or an
    image: the reader does not take it for a resource."""

    line: int
    text: str
    reason: str
    """``anchor``, ``relative`` or ``image``."""
    href: str


@dataclass
class Scan:
    headings: list[Heading] = field(default_factory=list)
    lists: list[ListRun] = field(default_factory=list)
    links: list[PageLink] = field(default_factory=list)
    loose: list[LooseItem] = field(default_factory=list)
    broken: list[tuple[int, str, str]] = field(default_factory=list)
    """``(line, the text, why it is no link)``."""


def _inline_links(inline: Token) -> list[PageLink]:
    """Links and images of an inline token, each at the line it is written on."""
    first = inline.map[0] + 1 if inline.map else 1
    found: list[PageLink] = []
    line, href, text = first, None, list[str]()
    for token in inline.children or ():
        if token.type in {"softbreak", "hardbreak"}:
            line += 1
        elif token.type == "link_open":
            href, text = str(token.attrGet("href") or ""), []
        elif token.type == "link_close" and href is not None:
            found.append(PageLink(line, href, "".join(text)))
            href = None
        elif token.type == "image":
            found.append(PageLink(line, str(token.attrGet("src") or ""), token.content, image=True))
        elif href is not None and token.type in {"text", "code_inline"}:
            text.append(token.content)
    return found


_SCHEME = re.compile(r"^[a-zA-Z][\w+.-]*:")


def _words(inline: Token) -> str:
    """The words of an inline token, without markup."""
    return " ".join("".join(t.content for t in inline.children or () if t.type in {"text", "code_inline"}).split())


def _loose(links: list[PageLink], line: int, text: str) -> LooseItem | None:
    """The item as a loose one, when none of its links can be a resource."""
    if not text or any(not link.image and qualifies(link.href) for link in links):
        return None
    for link in links:
        if link.image:
            return LooseItem(line, text, "image", link.href)
        if link.href.startswith("#"):
            return LooseItem(line, text, "anchor", link.href)
        if link.href and not _SCHEME.match(link.href):
            return LooseItem(line, text, "relative", link.href)
    return None


@dataclass(slots=True)
class _Walk:
    lines: list[str]
    scan: Scan = field(default_factory=Scan)
    open_headings: list[tuple[int, int, str, bool]] = field(default_factory=list)
    """(level, line, title, has content) of the headings enclosing the current block."""
    depth: int = 0
    in_toc: bool = False

    def section(self) -> int:
        return self.open_headings[-1][1] if self.open_headings else 0

    def heading(self, level: int, line: int, title: str) -> None:
        while self.open_headings and self.open_headings[-1][0] >= level:
            self._close()
        self.in_toc = is_toc_heading(title)
        self.open_headings.append((level, line, title, False))

    def content(self) -> None:
        self.open_headings = [(lv, ln, t, True) for lv, ln, t, _ in self.open_headings]

    def _close(self) -> None:
        level, line, title, has_content = self.open_headings.pop()
        if not is_toc_heading(title):
            self.scan.headings.append(Heading(line, level, title, empty=not has_content))

    def finish(self) -> Scan:
        while self.open_headings:
            self._close()
        self.scan.headings.sort(key=lambda h: h.line)
        return self.scan

    def broken_links(self, inline: Token) -> None:
        if not inline.map:
            return
        for number in range(inline.map[0], inline.map[1]):
            for pattern, why in _BROKEN_LINKS:
                for match in pattern.finditer(self.lines[number]):
                    self.scan.broken.append((number + 1, match.group(), why))


def scan_markdown(text: str) -> Scan:
    """Walk the tokens of a list once and note what ``kg lint`` checks."""
    tokens = markdown_parser().parse(text.removeprefix("\ufeff"))
    walk = _Walk(lines=re.split(r"\r\n?|\n", text.removeprefix("\ufeff")))
    item_line: list[int] = []
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "heading_open":
            title = tokens[index + 1].content if index + 1 < len(tokens) else ""
            walk.heading(int(token.tag[1:]), (token.map or [0])[0] + 1, title.strip())
            continue
        if kind in _CONTENT_BLOCKS:
            walk.content()
        if kind in {"bullet_list_open", "ordered_list_open"}:
            walk.scan.lists.append(ListRun((token.map or [0])[0] + 1, token.markup, walk.depth, walk.section()))
            walk.depth += 1
        elif kind in {"bullet_list_close", "ordered_list_close"}:
            walk.depth -= 1
        elif kind == "list_item_open":
            item_line.append((token.map or [0])[0] + 1)
        elif kind == "list_item_close":
            item_line.pop()
        elif kind == "inline":
            links = _inline_links(token)
            walk.scan.links += links
            walk.broken_links(token)
            opens_item = index >= 2 and tokens[index - 2].type == "list_item_open"
            words = _words(token) or " ".join(link.text for link in links if link.image)
            if opens_item and not walk.in_toc and (loose := _loose(links, item_line[-1], words)):
                walk.scan.loose.append(loose)
    return walk.finish()
