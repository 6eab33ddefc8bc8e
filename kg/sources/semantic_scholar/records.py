"""From the API's JSON to kg's records: ids, works, people."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from kg.identify.identifiers import doi_identifiers, parse_arxiv_id
from kg.model.records import Identifiers, Origin, Person, Work
from kg.sources.semantic_scholar.settings import Json

__all__ = ["api_id", "paper_identifiers", "paper_work", "people", "same_title", "mapping", "integer", "text"]

_TITLE_SIMILARITY = 0.8
_KINDS = (("Review", "Survey"), ("Book", "Book"), ("Conference", "ConferencePaper"),
          ("JournalArticle", "JournalArticle"))  # fmt: skip
"""Publication types -> kind of a work outside the list, strongest first."""



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
    external = mapping(paper.get("externalIds"))
    corpus_id = paper.get("corpusId")
    doi = doi_identifiers(str(external["DOI"])) if external.get("DOI") else Identifiers()
    arxiv = parse_arxiv_id(str(external["ArXiv"])) if external.get("ArXiv") else None
    return Identifiers(
        s2=str(paper.get("paperId") or "").lower() or None,
        corpus_id=integer(corpus_id if corpus_id is not None else external.get("CorpusId")),
        arxiv=arxiv or doi.arxiv,  # an arXiv DataCite DOI names the arXiv id
        doi=doi.doi,  # lower-cased
        pmcid=f"PMC{external['PubMedCentral']}" if external.get("PubMedCentral") else None,
    )


def mapping(value: Any) -> Json:
    return value if isinstance(value, dict) else {}


def integer(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def people(authors: Any, details: dict[str, Json] | None = None) -> tuple[Person, ...]:
    people = []
    for author in authors if isinstance(authors, list) else ():
        name, author_id = text(mapping(author).get("name")), text(mapping(author).get("authorId"))
        if name is None:
            continue
        found = (details or {}).get(author_id or "", {})
        orcid = text(mapping(found.get("externalIds")).get("ORCID"))
        people.append(Person(name, s2_author_id=author_id, orcid=orcid))
    return tuple(people)


def _fields_of_study(paper: Json) -> tuple[str, ...]:
    fields = paper.get("s2FieldsOfStudy")
    names = (text(mapping(f).get("category")) for f in fields) if isinstance(fields, list) else ()
    return tuple(dict.fromkeys(n for n in names if n))


def _kind(types: Sequence[str]) -> str | None:
    return next((kind for name, kind in _KINDS if name in types), None)


def paper_work(paper: Json, origin: Origin, *, listed: bool, details: dict[str, Json] | None = None) -> Work:
    """A work as the API describes it; a list resource keeps the kind the list gives it."""
    types = tuple(t for t in paper.get("publicationTypes") or () if isinstance(t, str))
    return Work(
        ids=paper_identifiers(paper),
        title=text(paper.get("title")),
        kind=None if listed else _kind(types),
        year=integer(paper.get("year")),
        venue=text(paper.get("venue")),
        authors=people(paper.get("authors"), details),
        fields_of_study=_fields_of_study(paper),
        publication_types=types,
        citation_count=integer(paper.get("citationCount")),
        influential_citation_count=integer(paper.get("influentialCitationCount")),
        reference_count=integer(paper.get("referenceCount")),
        tldr=text(mapping(paper.get("tldr")).get("text")),
        open_access_pdf=text(mapping(paper.get("openAccessPdf")).get("url")),
        url=text(paper.get("url")),
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


