"""Reading lists that are not Markdown: a reference manager's library (a Zotero or Mendeley
collection exported as BibTeX, RIS or CSL-JSON) read into the same
:class:`~kg.model.records.ReadingList` a Markdown list becomes; everything after (identify,
sources, graph, Turtle, map, insights) is the same.

Each item is a resource. Its link is the one its identifiers give: the DOI's address, else
the arXiv abstract page, else the item's URL (an item's own URL, when another link was
chosen, is kept as a related link); an item with none of them names nothing kg can find
and is left out, with a warning naming its line. Title, authors (in order, "Last, First"
turned round), year, venue and note are the list's words about it. Keywords or
collections become topics (``topics``: ``"keywords"``, ``"collections"`` or ``"none"``):
one topic per distinct name, in order of first use, each item filed under each of its
topics, as if the list named it in several sections (the graph merges them, as it merges
any resource a list names twice). Items without a topic stay at the top level.

The item's type says its kind where it is unambiguous (a journal article, a conference
paper, a book…); otherwise kg guesses it from the link, as for Markdown lists.

>>> rl = library_list([LibraryItem(line=3, title="Depth separation", url="https://arxiv.org/abs/1702.08489",
...                                keywords=("Approximation",))], source="lib.bib")
>>> [(e.title, e.is_topic, e.parent) for e in rl.entries]
[('Approximation', True, None), ('Depth separation', False, 'T1')]
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kg.errors import ReadingListError
from kg.model.records import MAX_TEXT, Entry, Link, ReadingList
from kg.read.language import text_language
from kg.read.links import escape_address, link_role, qualifies

__all__ = ["LibraryItem", "TopicSource", "LIBRARY_SUFFIXES", "library_list", "read_any_list", "is_library"]

log = logging.getLogger(__name__)

TopicSource = Literal["keywords", "collections", "none"]

LIBRARY_SUFFIXES = {".bib": "BibTeX", ".bibtex": "BibTeX", ".ris": "RIS", ".json": "CSL-JSON"}
"""File name endings read as libraries, and their format."""


@dataclass(frozen=True, slots=True)
class LibraryItem:
    """One reference of a library, as its format states it (plain text, no markup)."""

    line: int
    """Line of the file where the item starts."""
    title: str
    authors: tuple[str, ...] = ()
    et_al: bool = False
    year: int | None = None
    venue: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    url: str | None = None
    note: str | None = None
    keywords: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()
    kind: str | None = None
    """A kind of the kg ontology when the item's type names one unambiguously."""


def is_library(path: Path) -> bool:
    return path.suffix.lower() in LIBRARY_SUFFIXES


def _link(item: LibraryItem) -> str | None:
    if item.doi:
        return escape_address(f"https://doi.org/{item.doi}")
    if item.arxiv:
        return escape_address(f"https://arxiv.org/abs/{item.arxiv}")
    return _web_address(item.url)


def _web_address(url: str | None) -> str | None:
    """``url`` as an IRI (:func:`~kg.read.links.escape_address`) when it is an http(s)
    address with a host, else None (``javascript:…``, ``https://``, words)."""
    return escape_address(url) if url and qualifies(url) else None


def _topics_of(item: LibraryItem, topics: TopicSource) -> tuple[str, ...]:
    names = item.keywords if topics == "keywords" else item.collections if topics == "collections" else ()
    return tuple(dict.fromkeys(name for name in names if name))


def library_list(items: Sequence[LibraryItem], *, source: str, topics: TopicSource = "keywords") -> ReadingList:
    """The reading list of a library's items (see the module docstring)."""
    resources: list[tuple[LibraryItem, str]] = []
    for item in items:
        link = _link(item)
        if link is None or not qualifies(link):
            log.warning("%s: line %d: %r has no DOI, arXiv id or http(s) URL; left out", source, item.line, item.title)
        else:
            resources.append((item, link))
    if topics == "collections" and items and not any(item.collections for item in items):
        raise ReadingListError(
            f"{source}: no item names a collection (BibTeX's groups or mendeley-groups fields); "
            "choose --topics keywords or none"
        )
    topic_keys: dict[str, Entry] = {}
    for item, _ in resources:
        for name in _topics_of(item, topics):
            if name not in topic_keys:
                key = f"T{len(topic_keys) + 1}"
                topic_keys[name] = Entry(key=key, title=name, line=item.line, heading_level=2)
    entries: list[Entry] = list(topic_keys.values())
    for item, link in resources:
        parents: Iterable[str | None] = [topic_keys[n].key for n in _topics_of(item, topics)] or [None]
        for n, parent in enumerate(parents):
            entries.append(_entry(item, link, f"L{item.line}" + (f".{n}" if n else ""), parent))
    return ReadingList(entries=tuple(entries), title=None, description=None, source=source)


def _same_work(url: str, link: str) -> bool:
    """Whether two addresses name the same work (the arXiv page and the arXiv DOI…)."""
    from kg.identify.identifiers import identify_url

    ours, theirs = dict(identify_url(url).items()), dict(identify_url(link).items())
    return url == link or any(ours.get(s) == v for s, v in theirs.items() if s != "url")


def _entry(item: LibraryItem, link: str, key: str, parent: str | None) -> Entry:
    url = _web_address(item.url)
    keep = url and not _same_work(url, link)
    related = (Link(url, url, link_role(url, url)),) if url and keep else ()
    note = item.note.strip() if item.note and item.note.strip() else None
    return Entry(
        key=key,
        title=item.title,
        line=item.line,
        url=link,
        related=related,
        parent=parent,
        note=note,
        note_lang=text_language(note) if note else None,
        year=item.year,
        kind=item.kind,
        authors=item.authors,
        et_al=item.et_al,
        venue=item.venue,
        url_role=link_role(item.title, link),
    )


def read_any_list(path: Path, topics: TopicSource = "keywords") -> ReadingList:
    """A reading list from a Markdown file, or from a library (by its file name ending:
    ``.bib``, ``.ris``, ``.json``)."""
    from kg.read.library_formats import read_library_items
    from kg.read.markdown import read_list_text, read_reading_list

    if not is_library(path):
        reading_list = read_reading_list(path)
    else:
        reading_list = library_list(read_library_items(read_list_text(path), path), source=str(path), topics=topics)
    _refuse_huge_texts(reading_list, path)
    return reading_list


def _refuse_huge_texts(reading_list: ReadingList, path: Path) -> None:
    """Raise ReadingListError naming the line of the first text longer than MAX_TEXT."""
    for entry in reading_list.entries:
        texts = [
            ("title", entry.title), ("address", entry.url or ""), ("note", entry.note or ""),
            ("venue", entry.venue or ""), *(("author", name) for name in entry.authors),
            *(("link", link.url + link.text) for link in entry.related),
        ]  # fmt: skip
        for what, text in texts:
            if len(text) > MAX_TEXT:
                raise ReadingListError(
                    f"{path}: line {entry.line}: a {what} of {len(text):,} characters, more than kg takes "
                    f"in one text ({MAX_TEXT:,}): shorten it"
                )
    for what, text in (("title", reading_list.title or ""), ("introduction", reading_list.description or "")):
        if len(text) > MAX_TEXT:
            raise ReadingListError(f"{path}: the list's {what} has {len(text):,} characters, more than "
                                   f"kg takes in one text ({MAX_TEXT:,}): shorten it")
