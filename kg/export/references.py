"""How a work becomes a reference: the one record BibTeX, RIS and CSL-JSON are written from.

:func:`references` reads the graph once and gives each work a :class:`Reference`: what to
call it (its label), its byline in order, year and venue (the source's, else the list's),
identifiers, the one address to cite it by, the curator's note (never the abstract: a
reference manager shows notes to people, and abstracts are the publishers'), its BibTeX and
CSL types from the kinds table (a kind an extension declares takes its parent's), and a
citation key unique in the whole graph, so that any selection of works exports with
unique keys. The map page carries the BibTeX text of each work made from the same record
(:mod:`kg.map.payload`), so the page and ``kg export`` agree.

>>> from kg.model.nodes import Creator, PersonNode, WorkNode
>>> g = KnowledgeGraph()
>>> g.add(WorkNode(iri="w", label="Deep learning theory", kind="JournalArticle", year=2020))
>>> g.add(PersonNode(iri="p", label="Ludwig van Beethoven"))
>>> g.link("w", "p", Creator(position=0))
>>> (ref,) = references(g).values()
>>> ref.key, ref.bibtex_type, ref.csl_type, ref.authors[0].family
('beethoven2020deep', 'article', 'article-journal', 'Beethoven')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

from kg.map.links import http_url
from kg.model.graph import KnowledgeGraph
from kg.model.iris import identifier_pages
from kg.model.kinds import KindTable, shipped_kinds
from kg.model.nodes import WorkNode

__all__ = ["Name", "Reference", "references", "chosen_works", "split_name"]


@dataclass(frozen=True, slots=True)
class Name:
    """A person's name as written, and its parts as BibTeX reads them ("van" is a particle)."""

    text: str
    given: str = ""
    family: str = ""
    """Empty when the name does not split (then cite it whole, as ``text``)."""
    particle: str = ""
    """What BibTeX calls the "von" part ("van", "de"), before the family name."""


@dataclass(frozen=True, slots=True)
class Reference:
    """One work as a reference manager sees it."""

    iri: str
    key: str
    """Citation key: family name of the first author, year, first word of the title;
    unique among the graph's works (list resources get the plain key first)."""
    title: str
    authors: tuple[Name, ...]
    bibtex_type: str
    csl_type: str
    year: int | None = None
    venue: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    isbn: str | None = None
    url: str | None = None
    """The address to cite it by: the list's link, else its best identifier's page."""
    note: str | None = None
    note_lang: str | None = None
    on_list: bool = False
    et_al: bool = False
    """The authors are the list's partial byline ("Mnih et al."): more wrote the work."""


def split_name(text: str) -> Name:
    """A name's given and family parts, as BibTeX splits "First von Last" or "Last, First".

    >>> split_name("He, Fengxiang"), split_name("Plato").family
    (Name(text='He, Fengxiang', given='Fengxiang', family='He', particle=''), 'Plato')
    """
    try:
        parts = parse_single_name_into_parts(text.replace("{", "").replace("}", ""), strict=False)
    except InvalidNameError:
        return Name(text)
    family = " ".join(parts.last)
    return Name(text, " ".join(parts.first), family, " ".join(parts.von)) if family else Name(text)


def references(graph: KnowledgeGraph, kinds: KindTable | None = None) -> dict[str, Reference]:
    """Every work of the graph as a :class:`Reference`, by IRI (list resources first, in
    list order, then the other works by IRI: the order exports write them in)."""
    table = kinds or graph.kinds or shipped_kinds()
    names = {person.iri: person.label.strip() for person in graph.people()}
    works = sorted(graph.works(), key=_export_order)
    used: dict[str, int] = {}
    found: dict[str, Reference] = {}
    for work in works:
        authors = tuple(split_name(names[p]) for p in graph.authors(work.iri) if names.get(p))
        kind = table.get(work.kind)
        listing = work.listing
        note = listing.note.strip() if listing and listing.note and listing.note.strip() else None
        found[work.iri] = Reference(
            iri=work.iri,
            key=_unique(_base_key(work, authors), used),
            title=" ".join((work.label.strip() or work.iri).split()),
            authors=authors,
            bibtex_type=kind.bibtex if kind else "misc",
            csl_type=kind.csl if kind else "document",
            year=work.shown_year,
            venue=" ".join(work.shown_venue.split()) if work.shown_venue else None,
            doi=work.ids.doi,
            arxiv=work.ids.arxiv,
            isbn=work.ids.isbn,
            url=_address(work),
            note=note,
            note_lang=listing.note_lang if note and listing else None,
            on_list=work.in_list,
            et_al=bool(authors) and graph.byline_is_partial(work.iri),
        )
    return found


def chosen_works(found: dict[str, Reference], everything: bool) -> list[Reference]:
    """The list's resources (in list order), or every work with ``everything``."""
    return [ref for ref in found.values() if everything or ref.on_list]


def _export_order(work: WorkNode) -> tuple[int, int, str]:
    listing = work.listing
    if listing is None:
        return (1, 0, work.iri)
    return (0, listing.line if listing.line is not None else 1 << 30, work.iri)


def _address(work: WorkNode) -> str | None:
    if url := http_url(work.url):
        return url
    pages = [iri for _, _, iri in identifier_pages(work.ids) if http_url(iri)]
    return pages[0] if pages else None


def _ascii(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", unicodedata.normalize("NFKD", text))


_WORD = re.compile(r"[A-Za-z0-9]{3,}")


def _base_key(work: WorkNode, authors: Iterable[Name]) -> str:
    first = next(iter(authors), None)
    family = first.family or first.text.split()[-1] if first and first.text.split() else ""
    word = _WORD.search(unicodedata.normalize("NFKD", work.label).encode("ascii", "ignore").decode())
    year = work.shown_year
    key = (_ascii(family).lower() + (str(year) if year else "") + (word.group(0).lower() if word else "")) or "work"
    return "w" + key if key[0].isdigit() else key


def _unique(key: str, used: dict[str, int]) -> str:
    """``key``, else ``key`` with the first free suffix: a, b, … z, a26, b27…

    ``used`` maps every key given so far to the count of suffixes tried after it, so that
    thousands of works sharing a key ("w2003synthetic") take linear time, not quadratic.
    """
    unique, n = key, used.get(key, 0)
    if key in used:
        unique = key + chr(97 + n % 26) + (str(n) if n >= 26 else "")
        while unique in used:
            n += 1
            unique = key + chr(97 + n % 26) + (str(n) if n >= 26 else "")
        used[key] = n + 1
    used[unique] = used.get(unique, 0)
    return unique
