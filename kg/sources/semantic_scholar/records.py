"""From the API's JSON to kg's records: ids, works, people.

The answers are well formed by now (:mod:`.shapes`); what is decided here is each *value*:
an identifier that is not one of its kind (a DOI ``10.1/x0``, an author id that is not
digits, an ORCID with a quote in it) or a count below zero is left out, so that nothing the
graph's shapes refuse, or an IRI cannot hold, reaches the graph.
"""

from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from kg.identify.identifiers import doi_identifiers, parse_arxiv_id
from kg.model.records import MAX_TEXT, Identifiers, Origin, Person, Work
from kg.sources.semantic_scholar.shapes import PAPER_ID, Json

__all__ = [
    "api_id", "json_count", "json_int", "json_object", "json_text", "paper_identifiers",
    "paper_work", "people", "same_title",
]  # fmt: skip

log = logging.getLogger(__name__)

_TITLE_SIMILARITY = 0.8
_KINDS = (("Review", "Survey"), ("Book", "Book"), ("Conference", "ConferencePaper"),
          ("JournalArticle", "JournalArticle"))  # fmt: skip
"""Publication types -> kind of a work outside the list, strongest first."""
_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
_PMCID = re.compile(r"(?:PMC)?(\d+)")


def api_id(ids: Identifiers) -> str | None:
    """The id the API knows a work by, most precise first; None when nothing names it.

    >>> api_id(Identifiers(arxiv="1702.08489", doi="10.1/x"))
    'ARXIV:1702.08489'
    >>> api_id(Identifiers(openreview="G70Z8ds32C9"))
    'URL:https://openreview.net/forum?id=G70Z8ds32C9'
    """
    if ids.s2:
        return ids.s2
    if ids.corpus_id is not None:
        return f"CorpusId:{ids.corpus_id}"
    if ids.arxiv:
        return f"ARXIV:{ids.arxiv}"
    if ids.doi:
        return f"DOI:{ids.doi}"
    if ids.pmcid:
        return f"PMCID:{ids.pmcid.removeprefix('PMC')}"
    if ids.openreview:
        return f"URL:https://openreview.net/forum?id={ids.openreview}"
    return None


def paper_identifiers(paper: Json) -> Identifiers:
    """The identifiers of a paper the API describes; those not of their kind are left out.

    >>> ids = paper_identifiers({"paperId": "x", "externalIds": {"DOI": "10.1/x0", "ArXiv": "2101.00001"}})
    >>> ids.arxiv, ids.doi, ids.s2
    ('2101.00001', None, None)
    """
    external = json_object(paper.get("externalIds"))
    pid = json_text(paper.get("paperId"))
    corpus_id = paper.get("corpusId")
    doi = doi_identifiers(str(external["DOI"])) if external.get("DOI") else Identifiers()
    arxiv = parse_arxiv_id(str(external["ArXiv"])) if external.get("ArXiv") else None
    pmcid = _PMCID.fullmatch(str(external.get("PubMedCentral") or ""))
    return Identifiers(
        s2=pid.lower() if pid and PAPER_ID.fullmatch(pid.lower()) else None,
        corpus_id=json_count(corpus_id if corpus_id is not None else external.get("CorpusId")),
        arxiv=arxiv or doi.arxiv,  # an arXiv DataCite DOI names the arXiv id
        doi=doi.doi,  # lower-cased
        pmcid=f"PMC{pmcid.group(1)}" if pmcid else None,
    )


def json_object(value: Any) -> Json:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def json_int(value: Any) -> int | None:
    """``value`` if it is a whole number (or a string of digits), else None.

    >>> json_int(12), json_int(12.0), json_int("12"), json_int(True), json_int(1.5), json_int("x")
    (12, 12, 12, None, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None  # False for inf and nan
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value) if len(value) <= 18 else None
    return None


def json_count(value: Any) -> int | None:
    """``value`` if it is a whole number not below zero, else None."""
    number = json_int(value)
    return number if number is not None and number >= 0 else None


def json_text(value: Any) -> str | None:
    """``value`` stripped if it is a string with something in it, else None; None too for
    a text longer than kg takes (:data:`~kg.model.records.MAX_TEXT`), which no RDF store
    could hold if it were much longer still.

    >>> json_text("  A title "), json_text(" "), json_text(3), json_text("x" * 1_000_001)
    ('A title', None, None, None)
    """
    if not isinstance(value, str):
        return None
    if len(value) > MAX_TEXT:
        log.warning("a text of %s characters in an answer of Semantic Scholar, left out: "
                    "more than kg takes in one text (%s)", f"{len(value):,}", f"{MAX_TEXT:,}")
        return None
    return value.strip() or None


def _year(value: Any) -> int | None:
    year = json_int(value)
    return year if year is not None and 1 <= year <= 9999 else None


def _author_id(value: Any) -> str | None:
    author_id = json_text(value)
    if author_id is not None and not (author_id.isascii() and author_id.isdigit()):
        log.debug("an author id that is not digits, left out: %r", author_id)
        return None
    return author_id


def _orcid(value: Any) -> str | None:
    orcid = json_text(value)
    if orcid is not None and not _ORCID.fullmatch(orcid):
        log.debug("not an ORCID, left out: %r", orcid)
        return None
    return orcid


def people(authors: Any, details: dict[str, Json] | None = None) -> tuple[Person, ...]:
    """The authors of a paper, with their ORCID when ``details`` (author id -> the API's
    author) gives one.

    >>> people([{"name": "A. Synthetic", "authorId": '1"2'}, None, {"name": " "}])
    (Person(name='A. Synthetic', s2_author_id=None, orcid=None),)
    """
    found_people = []
    for author in authors if isinstance(authors, list) else ():
        name = json_text(json_object(author).get("name"))
        author_id = _author_id(json_object(author).get("authorId"))
        if name is None:
            continue
        found = (details or {}).get(author_id or "", {})
        orcid = _orcid(json_object(found.get("externalIds")).get("ORCID"))
        found_people.append(Person(name, s2_author_id=author_id, orcid=orcid))
    return tuple(found_people)


def _fields_of_study(paper: Json) -> tuple[str, ...]:
    fields = paper.get("s2FieldsOfStudy")
    names = (json_text(json_object(f).get("category")) for f in fields) if isinstance(fields, list) else ()
    return tuple(dict.fromkeys(n for n in names if n))


def _kind(types: Sequence[str]) -> str | None:
    return next((kind for name, kind in _KINDS if name in types), None)


def paper_work(paper: Json, origin: Origin, *, listed: bool, details: dict[str, Json] | None = None) -> Work:
    """A work as the API describes it; a list resource keeps the kind the list gives it."""
    types = tuple(t for t in paper.get("publicationTypes") or () if isinstance(t, str))
    return Work(
        ids=paper_identifiers(paper),
        title=json_text(paper.get("title")),
        kind=None if listed else _kind(types),
        year=_year(paper.get("year")),
        venue=json_text(paper.get("venue")),
        authors=people(paper.get("authors"), details),
        fields_of_study=_fields_of_study(paper),
        publication_types=types,
        citation_count=json_count(paper.get("citationCount")),
        influential_citation_count=json_count(paper.get("influentialCitationCount")),
        reference_count=json_count(paper.get("referenceCount")),
        tldr=json_text(json_object(paper.get("tldr")).get("text")),
        open_access_pdf=json_text(json_object(paper.get("openAccessPdf")).get("url")),
        url=json_text(paper.get("url")),
        origins=(origin,),
    )


def _normal_title(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def same_title(listed: str, found: str) -> bool:
    """Whether a title match is the work the list means, not merely the nearest title.

    >>> same_title("Deep learning: a statistical viewpoint", "Deep Learning: A Statistical Viewpoint.")
    True
    >>> same_title("Deep learning theory", "A theory of deep learning for cats")
    False
    """
    a, b = _normal_title(listed), _normal_title(found)
    return bool(a and b) and difflib.SequenceMatcher(None, a, b).ratio() >= _TITLE_SIMILARITY


