"""References as CSL-JSON (what citeproc processors, Zotero and pandoc read).

Each item's ``type`` is the kinds table's CSL type; names are split into ``family`` and
``given`` (a particle such as "van" is its own part), a name that does not split is
``literal``; the arXiv id is the item's ``number`` ("arXiv:2012.10931"), as Zotero writes it.

>>> from kg.export.references import Name
>>> ref = Reference(iri="w", key="k", title="T", authors=(Name("Plato"),), bibtex_type="book", csl_type="book", year=2020)
>>> csl_item(ref)
{'id': 'k', 'type': 'book', 'title': 'T', 'author': [{'literal': 'Plato'}], 'issued': {'date-parts': [[2020]]}}
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from kg.export.references import Name, Reference

__all__ = ["csl_item", "csl_json", "csl_name"]


def csl_name(name: Name) -> dict[str, str]:
    if not name.family:
        return {"literal": name.text}
    parts = {"family": name.family, "given": name.given, "non-dropping-particle": name.particle}
    return {key: value for key, value in parts.items() if value}


def csl_item(ref: Reference) -> dict[str, Any]:
    item: dict[str, Any] = {"id": ref.key, "type": ref.csl_type, "title": ref.title}
    if ref.authors:
        item["author"] = [csl_name(name) for name in ref.authors]
    if ref.year:
        item["issued"] = {"date-parts": [[ref.year]]}
    if ref.venue:
        item["container-title"] = ref.venue
    if ref.doi:
        item["DOI"] = ref.doi
    if ref.arxiv:
        item["number"] = f"arXiv:{ref.arxiv}"
    if ref.isbn:
        item["ISBN"] = ref.isbn
    if ref.url:
        item["URL"] = ref.url
    if ref.note:
        item["note"] = ref.note
    return item


def csl_json(refs: Iterable[Reference]) -> str:
    return json.dumps([csl_item(ref) for ref in refs], ensure_ascii=False, indent=2) + "\n"
