"""The three library formats reference managers export, read into
:class:`~kg.read.library.LibraryItem` records: BibTeX (bibtexparser 2, LaTeX decoded by
pylatexenc), RIS (rispy) and CSL-JSON (the standard library's json).

Where each reads what (the fields Zotero, Mendeley, JabRef and Google Scholar write):

========== ================================ ====================== ===========================
           BibTeX                           RIS                    CSL-JSON
========== ================================ ====================== ===========================
title      title                            TI, T1                 title
authors    author ("and others": et al.)    AU, A1                 author (family/given/literal)
year       year, else date                  PY, Y1, DA             issued
venue      journal(title), booktitle,       T2, JO, JF             container-title
           howpublished
DOI        doi                              DO                     DOI
arXiv id   eprint (archiveprefix arXiv),    AN "arXiv:…", URL,     number "arXiv:…", URL,
           URL, "arXiv:…" in the venue      "arXiv:…" in T2        "arXiv:…" in the venue
URL        url                              UR                     URL
note       note, else annote                N1                     note
keywords   keywords (, or ;)                KW                     keyword (, or ;)
collection groups, mendeley-groups          —                      —
========== ================================ ====================== ===========================

A file that cannot be parsed raises :class:`~kg.errors.ReadingListError` naming the file
and line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kg.errors import ReadingListError
from kg.identify.identifiers import (
    doi_identifiers,
    extract_identifiers,
    identify_url,
    parse_arxiv_id,
)
from kg.model.records import Identifiers
from kg.read.library import LIBRARY_SUFFIXES, LibraryItem

__all__ = ["read_library_items", "bibtex_items", "ris_items", "csl_items"]

_SPLIT = re.compile(r"\s*[,;]\s*")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")

# Item types whose kind is plain; other types leave the kind to the guesser (a BibTeX
# @article may well be an arXiv preprint, as Google Scholar writes them).
_BIBTEX_KINDS = {"article": "JournalArticle", "inproceedings": "ConferencePaper", "conference": "ConferencePaper",
                 "book": "Book", "online": "WebPage", "software": "CodeRepository"}  # fmt: skip
_RIS_KINDS = {"JOUR": "JournalArticle", "CPAPER": "ConferencePaper", "CONF": "ConferencePaper", "BOOK": "Book",
              "ELEC": "WebPage", "BLOG": "BlogPost", "COMP": "CodeRepository", "ENCYC": "EncyclopediaArticle"}  # fmt: skip
_CSL_KINDS = {"article-journal": "JournalArticle", "paper-conference": "ConferencePaper", "book": "Book",
              "webpage": "WebPage", "post-weblog": "BlogPost", "software": "CodeRepository",
              "entry-encyclopedia": "EncyclopediaArticle"}  # fmt: skip


def read_library_items(text: str, path: Path) -> list[LibraryItem]:
    """The items of a library file, read by the format its name ending says."""
    form = LIBRARY_SUFFIXES[path.suffix.lower()]
    reader = {"BibTeX": bibtex_items, "RIS": ris_items, "CSL-JSON": csl_items}[form]
    try:
        return reader(text, str(path))
    except RecursionError:  # json and pylatexenc recurse once per bracket or brace
        raise ReadingListError(
            f"{path}: brackets or braces nested thousands deep, more than a {form} library holds: "
            "is it the right file?"
        ) from None


def _words(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(name for value in values if value for name in _SPLIT.split(value.strip()) if name)


def _year(*values: Any) -> int | None:
    for value in values:
        match = _YEAR.search(str(value)) if value else None
        if match:
            return int(match.group(1))
    return None


def _identifiers(doi: str | None, arxiv: str | None, url: str | None, *texts: str | None) -> Identifiers:
    """DOI and arXiv id from their fields, else from the URL, else from text that names them."""
    ids = doi_identifiers(doi).merge(Identifiers(arxiv=parse_arxiv_id(arxiv) if arxiv else None))
    if url:
        ids = ids.merge(identify_url(url))
    for text in texts:
        if text and not ids.arxiv:
            ids = ids.merge(Identifiers(arxiv=extract_identifiers(text).arxiv))
    return ids


_ARXIV_NOTE = re.compile(r"arXiv:\s*\S+(?:\s*\[[^\]]*\])?", re.IGNORECASE)
"""The note Zotero writes on every arXiv item ("arXiv:2012.10931 [cs]"): not the curator's."""


def _item(line: int, title: str, ids: Identifiers, url: str | None, kind: str | None, **fields: Any) -> LibraryItem:
    # A preprint server's item is a preprint whatever type the manager gave it: let the
    # guesser say so from its arXiv link.
    if ids.arxiv and not ids.doi:
        kind = None
    note = fields.get("note")
    if note and _ARXIV_NOTE.fullmatch(note.strip()):
        fields["note"] = None
    return LibraryItem(line=line, title=" ".join(title.split()), doi=ids.doi, arxiv=ids.arxiv,
                       url=url.strip() if url else None, kind=kind, **fields)  # fmt: skip


# --- BibTeX ----------------------------------------------------------------------------


def _latex(value: str | None) -> str | None:
    """Text of a LaTeX value: accents and escapes decoded, grouping braces dropped."""
    if value is None:
        return None
    from pylatexenc.latex2text import LatexNodes2Text

    return " ".join(LatexNodes2Text(math_mode="verbatim").latex_to_text(value).split()) or None


def _bibtex_names(value: str | None) -> tuple[tuple[str, ...], bool]:
    """The names of an author field, each "First von Last", and whether it ends "and others"."""
    from bibtexparser.middlewares.names import (
        InvalidNameError,
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    names: list[str] = []
    et_al = False
    for raw in split_multiple_persons_names(value or ""):
        if raw.strip().lower() == "others":
            et_al = True
            continue
        try:
            parts = parse_single_name_into_parts(raw, strict=False)
            ordered = " ".join([*parts.first, *parts.von, *parts.last, *parts.jr])
        except InvalidNameError:
            ordered = raw
        if text := _latex(ordered):
            names.append(text)
    return tuple(names), et_al


def bibtex_items(text: str, source: str) -> list[LibraryItem]:
    from bibtexparser.entrypoint import parse_string

    library = parse_string(text)
    if library.failed_blocks:
        block = library.failed_blocks[0]
        raise ReadingListError(f"{source}: line {(block.start_line or 0) + 1}: not a valid BibTeX entry: {block.error}")
    items = []
    for entry in library.entries:
        fields: Mapping[str, str] = {key.lower(): str(value) for key, value in entry.fields_dict.items() for value in [value.value]}
        venue = _latex(fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle") or fields.get("howpublished"))
        archive = (fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
        eprint = fields.get("eprint") if archive in ("", "arxiv") else None
        ids = _identifiers(fields.get("doi"), eprint, fields.get("url"), venue, fields.get("note"))
        authors, et_al = _bibtex_names(fields.get("author"))
        items.append(_item(
            (entry.start_line or 0) + 1, _latex(fields.get("title")) or entry.key, ids, fields.get("url"),
            _BIBTEX_KINDS.get(entry.entry_type.lower()) if venue or entry.entry_type.lower() != "article" else None,
            authors=authors, et_al=et_al, year=_year(fields.get("year"), fields.get("date")), venue=venue,
            note=_latex(fields.get("note") or fields.get("annote")),
            keywords=_words([_latex(fields.get("keywords"))]),
            collections=_words([_latex(fields.get("groups")), _latex(fields.get("mendeley-groups"))]),
        ))  # fmt: skip
    return items


# --- RIS -------------------------------------------------------------------------------


def _first(record: Mapping[str, Any], *names: str) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, list):
            value = next((v for v in value if v), None)
        if value:
            return str(value).strip()
    return None


def _turned(name: str) -> str:
    """"Last, First" as "First Last"."""
    last, _, first = name.partition(",")
    return " ".join(f"{first.strip()} {last.strip()}".split()) if first.strip() else name.strip()


def ris_items(text: str, source: str) -> list[LibraryItem]:
    import rispy

    starts = [n for n, line in enumerate(text.splitlines(), start=1) if line.startswith("TY  -")]
    try:
        records = rispy.loads(text)
    except (OSError, ValueError) as err:
        raise ReadingListError(f"{source}: not a valid RIS file: {err}") from err
    items = []
    for n, record in enumerate(records):
        line = starts[n] if n < len(starts) else 1
        venue = _first(record, "secondary_title", "journal_name", "alternate_title3")
        accession = _first(record, "accession_number") or ""
        url = _first(record, "urls")
        ids = _identifiers(_first(record, "doi"), accession.removeprefix("arXiv:") if accession.startswith("arXiv:") else None,
                           url, venue)  # fmt: skip
        authors = tuple(_turned(a) for a in [*record.get("authors", []), *record.get("first_authors", [])] if a.strip())
        items.append(_item(
            line, _first(record, "title", "primary_title") or f"{source}, line {line}", ids, url,
            _RIS_KINDS.get(str(record.get("type_of_reference", ""))),
            authors=authors, year=_year(_first(record, "year", "publication_year", "date")), venue=venue,
            note="\n".join(record.get("notes", [])) or None, keywords=tuple(record.get("keywords", [])),
        ))  # fmt: skip
    return items


# --- CSL-JSON --------------------------------------------------------------------------


def _json_items(text: str, source: str) -> list[tuple[int, Any]]:
    """The items of a JSON array with the line each starts on."""
    decoder = json.JSONDecoder()
    try:
        position = text.index("[")
    except ValueError:
        raise ReadingListError(f"{source}: not CSL-JSON (an array of items)") from None
    found: list[tuple[int, Any]] = []
    position += 1
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] == "]":
            return found
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as err:
            raise ReadingListError(f"{source}: line {err.lineno}, column {err.colno}: not valid JSON: {err.msg}") from err
        found.append((text.count("\n", 0, position) + 1, value))
        position = end


def _csl_name(name: Mapping[str, Any]) -> str:
    if name.get("literal"):
        return str(name["literal"]).strip()
    parts = (name.get("given"), name.get("dropping-particle"), name.get("non-dropping-particle"), name.get("family"), name.get("suffix"))
    return " ".join(str(p).strip() for p in parts if p)


def csl_items(text: str, source: str) -> list[LibraryItem]:
    items = []
    for line, item in _json_items(text, source):
        if not isinstance(item, dict):
            raise ReadingListError(f"{source}: line {line}: a CSL-JSON item is an object")
        issued = item.get("issued") or {}
        parts = issued.get("date-parts") if isinstance(issued, dict) else None
        year = _year(parts[0][0] if parts and parts[0] else None, issued.get("raw") if isinstance(issued, dict) else issued)
        venue = str(item["container-title"]).strip() if item.get("container-title") else None
        number = str(item.get("number") or "")
        ids = _identifiers(item.get("DOI"), number.removeprefix("arXiv:") if number.startswith("arXiv:") else None,
                           item.get("URL"), venue)  # fmt: skip
        names = [_csl_name(n) for n in item.get("author", []) if isinstance(n, dict)]
        items.append(_item(
            line, str(item.get("title") or item.get("id") or f"{source}, line {line}"), ids, item.get("URL"),
            _CSL_KINDS.get(str(item.get("type", ""))),
            authors=tuple(n for n in names if n), year=year, venue=venue,
            note=str(item["note"]) if item.get("note") else None, keywords=_words([item.get("keyword")]),
        ))  # fmt: skip
    return items
