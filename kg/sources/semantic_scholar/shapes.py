"""What a well-formed answer of the Graph API looks like, endpoint by endpoint.

An answer is checked before it is used or cached, and again when it is read back from the
cache: a batch item without ``paperId``, a citation page whose ``data`` is not a list of
objects, an author that is ``null`` or ``1``, a page that does not start where it was asked
to (the client would ask for the same page for ever) are *malformed*. Only the fields kg
reads are checked, and only their types: a missing field or ``null`` is an answer ("not
known"); a value of the wrong type is not. Whether an identifier is well formed (a DOI, an
ORCID) is decided where it becomes a record (:mod:`.records`), one value at a time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

__all__ = [
    "Json",
    "MalformedAnswer",
    "PAPER_ID",
    "check_author",
    "check_batch",
    "check_match",
    "check_page",
    "check_paper",
]

Json = dict[str, Any]
"""A JSON object as the API sends it."""

PAPER_ID = re.compile(r"[0-9a-f]{40}")
"""Semantic Scholar's paper id: 40 lower-case hex digits (a SHA-1)."""

Spec = Any
"""``str``, ``int`` or ``bool``: that type; ``[spec]``: a list of such items (no nulls);
``{key: spec}``: an object whose listed keys, where present, hold such values. ``None``
passes everywhere."""

_AUTHOR_REF: Spec = {"authorId": str, "name": str}
PAPER: Spec = {
    "paperId": str, "corpusId": int, "url": str, "title": str, "venue": str, "year": int,
    "externalIds": {"DOI": str, "ArXiv": str, "PubMedCentral": str},
    "authors": [_AUTHOR_REF],
    "s2FieldsOfStudy": [{"category": str}],
    "publicationTypes": [str],
    "citationCount": int, "influentialCitationCount": int, "referenceCount": int,
    "tldr": {"text": str},
    "openAccessPdf": {"url": str},
}  # fmt: skip
"""The fields of a paper that kg reads (``settings.PAPER_FIELDS``, ``EDGE_FIELDS``)."""
AUTHOR: Spec = {"authorId": str, "name": str, "externalIds": {"ORCID": str}}
EDGE: Spec = {"isInfluential": bool, "intents": [str]}


class MalformedAnswer(ValueError):
    """An answer that is JSON but not the shape the API promises; says where it breaks."""


def check_paper(paper: Any, where: str = "the answer", *, need_id: bool = True) -> None:
    """A paper object: the fields kg reads have the right types, ``paperId`` is a paper id
    (and present, when ``need_id``).

    >>> check_paper({"paperId": "0" * 40, "authors": [None, 1]})
    Traceback (most recent call last):
    kg.sources.semantic_scholar.shapes.MalformedAnswer: the answer.authors[0]: null, not an object
    """
    if type(paper) is not dict:
        raise MalformedAnswer(f"{where}: {_kind(paper)}, not a paper")
    problem = _problem(paper, PAPER)
    if problem is not None:
        raise MalformedAnswer(f"{where}{problem}")
    pid = paper.get("paperId")
    if pid is None and not need_id:
        return
    if not isinstance(pid, str) or not PAPER_ID.fullmatch(pid):
        raise MalformedAnswer(f"{where}.paperId: {_shown(pid)} is not a paper id")


def check_author(author: Any, where: str = "the answer") -> None:
    """An author object with its id (digits only, as the API's author ids are)."""
    problem = _problem(author, AUTHOR)
    if problem is not None:
        raise MalformedAnswer(f"{where}{problem}")
    author_id = author.get("authorId") if isinstance(author, dict) else None
    if not isinstance(author_id, str) or not author_id.isdigit():
        raise MalformedAnswer(f"{where}.authorId: {_shown(author_id)} is not an author id")


def check_batch(data: Any, endpoint: str, asked: Sequence[str]) -> None:
    """A batch answer: a list as long as the ids asked, each item null or a paper (an
    author, for ``author/batch``)."""
    if not isinstance(data, list):
        raise MalformedAnswer(f"the answer is {_kind(data)}, not a list")
    if len(data) != len(asked):
        raise MalformedAnswer(f"{len(data)} answers for {len(asked)} ids")
    check = check_author if endpoint == "author" else check_paper
    for n, item in enumerate(data):
        if item is not None:
            check(item, f"item {n} ({asked[n]})")


def check_match(data: Any) -> None:
    """A title match: ``{"data": [paper]}`` (an empty list: no match)."""
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise MalformedAnswer(f"the answer is {_kind(data)}, not an object with a data list")
    for n, paper in enumerate(data["data"]):
        check_paper(paper, f"data[{n}]")


def check_page(data: Any, offset: int, far_end: str) -> None:
    """A page of citations or references that starts at ``offset``: ``data`` a list of
    edges, each with its far end (``citingPaper`` or ``citedPaper``) an object; ``next``,
    when present, past this page."""
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise MalformedAnswer(f"the answer is {_kind(data)}, not an object with a data list")
    start, after = data.get("offset", 0), data.get("next")
    if not _is_int(start) or start != offset:
        raise MalformedAnswer(f"offset {_shown(start)} where {offset} was asked for")
    if after is not None and (not _is_int(after) or after <= offset):
        raise MalformedAnswer(f"next {_shown(after)} does not come after offset {offset}")
    for n, edge in enumerate(data["data"]):
        if type(edge) is not dict:
            raise MalformedAnswer(f"data[{n}]: {_kind(edge)}, not an object")
        problem = _problem(edge, EDGE)
        if problem is not None:
            raise MalformedAnswer(f"data[{n}]{problem}")
        if far_end not in edge:
            raise MalformedAnswer(f"data[{n}]: no {far_end}")
        check_paper(edge[far_end], f"data[{n}].{far_end}", need_id=False)


def _problem(value: Any, spec: Spec) -> str | None:
    """What is wrong with ``value`` against ``spec``, as ``.path: problem``; None if nothing.
    (Paths are built only on the way out of a failure: this runs on every item of every page.)"""
    if value is None:
        return None
    kind = type(spec)
    if kind is dict:
        if type(value) is not dict:
            return f": {_kind(value)}, not an object"
        for key, inner in spec.items():
            found = value.get(key)
            if found is None:
                continue
            if inner is str:
                if type(found) is not str:
                    return f".{key}: {_kind(found)}, not a string"
            elif inner is int:
                if type(found) is not int:
                    return f".{key}: {_kind(found)}, not an integer"
            elif (problem := _problem(found, inner)) is not None:
                return f".{key}{problem}"
        return None
    if kind is list:
        if type(value) is not list:
            return f": {_kind(value)}, not a list"
        inner = spec[0]
        for n, item in enumerate(value):
            if item is None:
                return f"[{n}]: null, not {_expected(inner)}"
            if (problem := _problem(item, inner)) is not None:
                return f"[{n}]{problem}"
        return None
    if not (_is_int(value) if spec is int else isinstance(value, spec)):
        return f": {_kind(value)}, not {_expected(spec)}"
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _expected(spec: Spec) -> str:
    if isinstance(spec, dict):
        return "an object"
    if isinstance(spec, list):
        return "a list"
    return {str: "a string", int: "an integer", bool: "true or false"}[spec]


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    names = {dict: "an object", list: "a list", str: "a string", int: "an integer", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
