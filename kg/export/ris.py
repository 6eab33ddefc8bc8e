"""References as RIS (the tagged format every reference manager imports), written by rispy.

The type comes from the work's CSL type (the kinds table's), through the table below;
names are "Family, Given"; the arXiv id is the accession number (``AN  - arXiv:…``), as
reference managers label an archive's id.

>>> from kg.export.references import Name
>>> ref = Reference(iri="w", key="he2020recent", title="Recent advances", authors=(Name("Fengxiang He", "Fengxiang", "He"),),
...                 bibtex_type="article", csl_type="article", year=2020, arxiv="2012.10931")
>>> for line in ris_text([ref]).splitlines(): print(line.rstrip())
TY  - UNPB
ID  - he2020recent
TI  - Recent advances
AU  - He, Fengxiang
PY  - 2020
AN  - arXiv:2012.10931
ER  -
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import rispy

from kg.export.references import Name, Reference

__all__ = ["RIS_TYPES", "ris_record", "ris_text", "ris_name"]

RIS_TYPES = {
    "article": "UNPB",  # CSL's "article" is a preprint or working paper
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "book": "BOOK",
    "chapter": "CHAP",
    "dataset": "DATA",
    "entry-encyclopedia": "ENCYC",
    "entry-dictionary": "DICT",
    "event": "GEN",
    "manuscript": "MANSCPT",
    "motion_picture": "MPCT",
    "paper-conference": "CPAPER",
    "post": "ICOMM",
    "post-weblog": "BLOG",
    "report": "RPRT",
    "software": "COMP",
    "speech": "SLIDE",
    "thesis": "THES",
    "webpage": "ELEC",
}
"""CSL item type → RIS reference type; any other is ``GEN`` (generic)."""


def ris_name(name: Name) -> str:
    """"Family, Given" (with its particle: "van Beethoven, Ludwig"), else the name whole."""
    if not name.family:
        return name.text
    family = f"{name.particle} {name.family}".strip()
    return f"{family}, {name.given}" if name.given else family


def ris_record(ref: Reference) -> dict[str, Any]:
    """The rispy record (field names as rispy's) of a reference."""
    record: dict[str, Any] = {"type_of_reference": RIS_TYPES.get(ref.csl_type, "GEN"), "id": ref.key, "title": ref.title}
    if ref.authors:
        record["authors"] = [ris_name(name) for name in ref.authors]
    if ref.year:
        record["year"] = str(ref.year)
    if ref.venue:
        record["secondary_title"] = ref.venue
    if ref.doi:
        record["doi"] = ref.doi
    if ref.arxiv:
        record["accession_number"] = f"arXiv:{ref.arxiv}"
    if ref.isbn:
        record["issn"] = ref.isbn  # RIS keeps ISBN and ISSN in the one SN tag
    if ref.url:
        record["urls"] = [ref.url]
    if ref.note:
        record["notes"] = [ref.note]
    return record


class _Writer(rispy.RisWriter):  # type: ignore[misc]
    """rispy's writer without the "1.", "2." line it puts before each record (not RIS)."""

    def set_header(self, count: int) -> str:
        return ""


def ris_text(refs: Iterable[Reference]) -> str:
    records = [ris_record(ref) for ref in refs]
    return str(rispy.dumps(records, implementation=_Writer)) if records else ""
