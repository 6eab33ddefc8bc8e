"""Reading lists kept as Markdown tables: which column says what, and one row's fields.

The header row names the columns ("Paper", "Authors", "Year", "Venue", "Links",
"Description"…); a row is read like a list item whose title lies in the title column (or,
when no header says, the first cell with a telling link, else the first cell of words),
with the links of its other cells after it. Cells the header does not name are read for
what they hold: a year, a venue, a list of people, or words for the note.

>>> header_roles(["#", "**Paper**", "Authors", "Conf. / Year", "Links", "TL;DR"])
['number', 'title', 'authors', 'venue', 'links', 'note']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.read.bylines import Byline, leading_byline
from kg.read.entry_text import Fields, meaningful, resource_fields, split_number, trim
from kg.read.inline import Inline, Span
from kg.read.links import is_generic
from kg.read.people import person_names

__all__ = ["header_roles", "row_fields"]

_CELL_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.?")  # a "#" column of a table
_HEADER_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("number", frozenset({"#", "no", "no.", "nr", "index", "id", "序号", "编号"})),
    ("authors", frozenset({"author", "authors", "by", "who", "作者"})),
    ("year", frozenset({"year", "date", "published", "when", "年份", "时间", "日期"})),
    (
        "venue",
        frozenset({"venue", "conference", "journal", "conf", "conf.", "where", "published in",
                   "publication", "会议", "期刊", "出处"}),
    ),  # fmt: skip
    (
        "note",
        frozenset({"description", "summary", "notes", "note", "comment", "comments", "tl;dr",
                   "tldr", "remarks", "why", "highlights", "简介", "说明", "备注", "描述"}),
    ),  # fmt: skip
    (
        "links",
        frozenset({"link", "links", "url", "urls", "code", "pdf", "resources", "material",
                   "materials", "链接", "代码"}),
    ),  # fmt: skip
    (
        "title",
        frozenset({"title", "paper", "papers", "name", "work", "article", "book", "books",
                   "course", "talk", "resource", "repository", "project", "标题", "论文", "名称"}),
    ),  # fmt: skip
)


def _role(header: str) -> str | None:
    words = trim(header.strip("*_`")).casefold()
    if not words:
        return None
    for role, names in _HEADER_WORDS:
        if words in names:
            return role
    # "Conf. / Year", "Paper title", "Authors (first)": the first named word decides.
    for token in re.split(r"[\s/&,()]+", words):
        for role, names in _HEADER_WORDS:
            if token in names:
                return role
    return None


def header_roles(headers: Sequence[str]) -> list[str | None]:
    """What each column of a table holds, from its header (None: not said)."""
    return [_role(h) for h in headers]


def _title_cell(cells: Sequence[Inline], roles: Sequence[str | None]) -> int | None:
    """The cell holding the row's title."""
    if "title" in roles:
        return roles.index("title")
    for index, cell in enumerate(cells):
        if any(not is_generic(s.text) for s in cell.links) and roles[index] is None:
            return index
    for index, cell in enumerate(cells):
        text = meaningful(cell.text)
        if roles[index] is None and text and not cell.links and _what(text) is None:
            return index if not _CELL_NUMBER.fullmatch(text) else None
    return None


def _what(text: str, role: str | None = None) -> Byline | None:
    """The byline a cell gives, when that is all it says."""
    if role == "authors":
        names = person_names(text, lenient=True)
        return Byline.of(names) if names is not None else None
    if role not in {"year", "venue", None}:
        return None
    found, cut = leading_byline(text)
    if meaningful(text[cut:]) is None and (found.year or found.venue or found.authors):
        return found if role is None else Byline(year=found.year, venue=found.venue)
    if role == "venue":
        return Byline(venue=text)
    return None


def row_fields(cells: Sequence[Inline], roles: Sequence[str | None]) -> Fields | None:
    """Fields of a table row: a resource when a cell holds a qualifying link."""
    if not any(cell.links for cell in cells):
        return None
    roles = list(roles) + [None] * (len(cells) - len(roles))
    number: str | None = None
    first = meaningful(cells[0].text) if cells else None
    if first and _CELL_NUMBER.fullmatch(first) and roles[0] in {"number", None}:
        number, roles[0] = first.rstrip("."), "number"
    title_at = _title_cell(cells, roles)
    own: list[Span] = list(cells[title_at].spans) if title_at is not None else []
    if own and not own[0].url:
        cell_number, rest = split_number(own[0].text)
        if cell_number is not None:
            number, own[0] = number or cell_number, Span(rest, strong=own[0].strong, em=own[0].em)
    beside = [s for i, cell in enumerate(cells) if i != title_at for s in cell.links]
    fields = resource_fields([*own, Span(" ", brk=True), *beside], number=number, own=len(own))
    byline, notes = Byline(), [fields.note] if fields.note else []
    for index, (cell, role) in enumerate(zip(cells, roles, strict=True)):
        text = meaningful("".join(s.text for s in cell.spans if not s.url))
        if index == title_at or role in {"number", "links"} or text is None:
            continue
        found = _what(text, role)
        if found is not None:
            byline = byline.fill(found)  # a column of its own beats words beside the title
        elif role is None or role == "note":
            notes.append(text)
    byline = byline.fill(fields.byline)
    return Fields(
        title=fields.title,
        number=number,
        url=fields.url,
        url_role=fields.url_role,
        related=fields.related,
        note=" · ".join(notes) or None,
        byline=byline,
    )
