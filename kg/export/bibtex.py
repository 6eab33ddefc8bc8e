"""References as BibTeX, written by bibtexparser 2.

Text fields are LaTeX-escaped (``_`` → ``\\_``…) and the title is braced twice, so styles
keep its capitals; ``url`` and ``doi`` are read verbatim by BibTeX (the url package,
biblatex), so they are not escaped: only what would end the value (braces, a backslash) and
whitespace are percent-encoded, none of which a valid address holds as such. An arXiv id
is ``eprint`` with ``archiveprefix = {arXiv}``.

>>> from kg.export.references import Name
>>> ref = Reference(iri="w", key="he2020recent", title="Recent_advances", authors=(Name("Fengxiang He"),),
...                 bibtex_type="article", csl_type="article-journal", year=2020, url="https://a.org/x_y")
>>> print(bibtex_text([ref]), end="")
@article{he2020recent,
  title = {{Recent\\_advances}},
  author = {Fengxiang He},
  year = {2020},
  url = {https://a.org/x_y}
}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Block, Entry, Field
from bibtexparser.writer import BibtexFormat

from kg.export.references import Reference

__all__ = ["bibtex_fields", "bibtex_entry", "bibtex_text", "entry_text"]

_SPECIAL = {
    "\\": "\\textbackslash{}", "{": "\\{", "}": "\\}", "%": "\\%", "&": "\\&", "$": "\\$",
    "#": "\\#", "_": "\\_", "~": "\\textasciitilde{}", "^": "\\textasciicircum{}",
}  # fmt: skip
_SPECIAL_RE = re.compile(r"[\\{}%&$#_~^]")
_VERBATIM_UNSAFE = {"{": "%7B", "}": "%7D", "\\": "%5C"}
_AND = re.compile(r"\band\b", re.IGNORECASE)

# Which field holds the venue, by entry type.
_VENUE_FIELD = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle"}


# Control characters mean nothing in BibTeX (and the map page uses some as stand-ins).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _escaped(text: str) -> str:
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], " ".join(_CONTROL.sub("", text).split()))


def _verbatim(text: str) -> str:
    text = re.sub(r"[{}\\]", lambda m: _VERBATIM_UNSAFE[m.group(0)], _CONTROL.sub("", text).strip())
    return re.sub(r"\s", "%20", text)


def _author(text: str) -> str:
    """One name of the ``author`` field; a name holding "and" is braced whole, so BibTeX
    does not split it into two people."""
    name = _escaped(text)
    return "{" + name + "}" if _AND.search(name) else name


def bibtex_fields(ref: Reference) -> list[tuple[str, str]]:
    """The entry's fields in order, their values escaped (without the enclosing braces)."""
    fields = [("title", "{" + _escaped(ref.title) + "}")]
    if ref.authors:
        names = [_author(name.text) for name in ref.authors]
        # "and others" is BibTeX's own "et al.": styles print it, Zotero and biber read it
        fields.append(("author", " and ".join([*names, "others"] if ref.et_al else names)))
    if ref.year:
        fields.append(("year", str(ref.year)))
    if ref.venue:
        fields.append((_VENUE_FIELD.get(ref.bibtex_type, "howpublished"), _escaped(ref.venue)))
    if ref.doi:
        fields.append(("doi", _verbatim(ref.doi)))
    if ref.arxiv:
        fields += [("eprint", _escaped(ref.arxiv)), ("archiveprefix", "arXiv")]
    if ref.isbn:
        fields.append(("isbn", _escaped(ref.isbn)))
    if ref.url:
        fields.append(("url", _verbatim(ref.url)))
    if ref.note:
        fields.append(("note", _escaped(ref.note)))
    return fields


def bibtex_entry(ref: Reference, fields: Sequence[tuple[str, str]] | None = None) -> Entry:
    """The bibtexparser entry of a reference (of ``fields`` when given: the page puts
    stand-ins for values it holds already), its values braced and escaped already."""
    chosen = bibtex_fields(ref) if fields is None else fields
    return Entry(ref.bibtex_type, ref.key, [Field(name, "{" + value + "}") for name, value in chosen])


def _format() -> BibtexFormat:
    layout = BibtexFormat()  # type: ignore[no-untyped-call]
    layout.indent = "  "
    layout.block_separator = "\n"
    return layout


def _write(entries: Sequence[Block]) -> str:
    # The values are enclosed already: no middleware (the default one would copy each entry).
    return str(write_string(Library(list(entries)), unparse_stack=[], bibtex_format=_format()))


def entry_text(ref: Reference, fields: Sequence[tuple[str, str]] | None = None) -> str:
    """One entry as BibTeX text (what the map page puts together for its export)."""
    return _write([bibtex_entry(ref, fields)])


def bibtex_text(refs: Iterable[Reference]) -> str:
    """A BibTeX file of the references, one blank line between entries."""
    entries = [bibtex_entry(ref) for ref in refs]
    return _write(entries) if entries else ""
