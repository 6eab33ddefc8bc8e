"""The bundled offline facts: what public sources say about the default list's resources.

``kg/data/seed-facts.json`` was gathered from stored public pages (arXiv listings,
publisher pages, the papers' own text); every value names its source and ``null`` means
"not confirmed". This module turns it into records and adds nothing of its own:

- a value the file marks unconfirmed ("not verified", "inferred", "unverified") stays out;
- remarks in parentheses that only qualify a value ("… (volume not confirmed)") are cut;
- a reference the file names only by an in-text citation ("Cybenko (1989)") becomes a work
  with that label and no title, because the title was never read.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kg.errors import DataError
from kg.identify.identifiers import extract_identifiers, identify_url
from kg.identify.urls import normalize_url
from kg.model.records import Citation, Corpus, Identifiers, Origin, Person, Work
from kg.resources import SEED_FACTS

__all__ = ["Snapshot", "load_snapshot"]

log = logging.getLogger(__name__)

SOURCE = "snapshot"

# Facts whose remark says they were never checked are left out entirely.
_UNCONFIRMED = re.compile(r"not verified|unverified|inferred|not confirmed with", re.I)
# A trailing "(…)" remark about how a value was obtained; the value before it stands.
_REMARK = re.compile(r"\s*\([^()]*\)\s*$")
_REMARK_WORDS = re.compile(
    r"confirmed|verified|from (the )?(list )?url|per url|taken from|list gives|as written|"
    r"as shown|likely|published \d{4}|stored|mirror|third-party",
    re.I,
)
_URL = re.compile(r"^https?://\S+$")

# Identifier keys of the facts file that name the resource itself (others name related works).
_ID_KEYS: dict[str, str] = {
    "arxiv": "arxiv",
    "doi": "doi",
    "openreview": "openreview",
    "github": "github",
    "isbn": "isbn",
    "pmcid": "pmcid",
    "s2_paper_id": "s2",
    "s2_corpus_id": "corpus_id",
}

# The facts file's free-text kinds, mapped to ontology classes where they say more than
# a URL can ("paper" alone does not: the URL tells preprint from journal article).
_KINDS = (
    ("survey", "Survey"),
    ("book", "Book"),
    ("course", "Course"),
    ("blog post", "BlogPost"),
    ("blog", "Blog"),
    ("code repository", "CodeRepository"),
    ("encyclopedia article", "EncyclopediaArticle"),
    ("slides", "Slides"),
    ("event", "Event"),
    ("q&a", "Answer"),
    ("conference submission", "ConferencePaper"),
)


def _clean(value: Any) -> str | None:
    """A fact's text without remarks about how it was obtained; None if it is unconfirmed.

    >>> _clean("Springer")
    'Springer'
    >>> _clean("Applied and Computational Harmonic Analysis (volume not confirmed)")
    'Applied and Computational Harmonic Analysis'
    >>> _clean("University of Wuerzburg seminar (inferred from URL only)") is None
    True
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if _UNCONFIRMED.search(text):
        return None
    while (match := _REMARK.search(text)) and _REMARK_WORDS.search(match.group(0)):
        text = text[: match.start()].rstrip(" ,;")
    return text or None


def _first_token(value: Any) -> str | None:
    """The identifier at the start of a value such as ``"2004.07984 (from list URL)"``."""
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str) or _UNCONFIRMED.search(value):
        return None
    parts = value.split()
    return parts[0].rstrip(",;") if parts else None


def _person(name: Any) -> Person | None:
    """A person from ``"Joan Bruna (lecture instructor)"``: the role remark is not the name."""
    text = name.strip() if isinstance(name, str) else ""
    text = re.sub(r"\s*\(.*\)\s*$", "", text)
    return Person(name=text) if text else None


def _people(values: Any) -> tuple[Person, ...]:
    if not isinstance(values, list):
        return ()
    return tuple(p for p in (_person(v) for v in values) if p is not None)


def _origin(sources: Iterable[str]) -> Origin:
    urls = tuple(s for s in sources if _URL.match(s))
    notes = tuple(s for s in sources if not _URL.match(s))
    return Origin(source=SOURCE, urls=urls, notes=notes)


def _kind(text: Any) -> str | None:
    """The class a kind such as ``"book (monograph / survey)"`` names: the words before the
    remark decide ("book"), the remark only when they say nothing specific ("paper")."""
    lowered = text.lower() if isinstance(text, str) else ""
    head = lowered.split("(", 1)[0]
    for part in (head, lowered):
        kind = next((kind for needle, kind in _KINDS if needle in part), None)
        if kind is not None:
            return kind
    return None


# Canonical addresses for identifiers the facts file gives bare, so ``identify_url``
# normalises them exactly as it does the list's own links.
_ID_URLS = {
    "arxiv": "https://arxiv.org/abs/{}",
    "doi": "https://doi.org/{}",
    "openreview": "https://openreview.net/forum?id={}",
    "github": "https://github.com/{}",
    "s2": "https://www.semanticscholar.org/paper/{}",
}


def _identifiers(record: dict[str, Any]) -> Identifiers:
    """The resource's own identifiers (not those of related works) and its list URL.

    The list's own link comes first: where it and a derived value disagree (a print ISBN in
    the URL, an e-book ISBN inside a DOI), the link wins.
    """
    url = record.get("url")
    ids = identify_url(url) if isinstance(url, str) else Identifiers()
    for key, scheme in _ID_KEYS.items():
        token = _first_token(record.get("identifiers", {}).get(key))
        if token is None:
            continue
        if scheme in _ID_URLS:
            found = replace(identify_url(_ID_URLS[scheme].format(token)), url=None)
        elif scheme == "corpus_id":
            found = Identifiers(corpus_id=int(token))
        elif scheme == "isbn":
            found = Identifiers(isbn=token.replace("-", ""))
        else:
            found = Identifiers(pmcid=token)
        ids = ids.merge(found)
    return ids


@dataclass(slots=True)
class Snapshot:
    """The bundled facts as records: works keyed by the list URL they describe, citations."""

    works: list[Work] = field(default_factory=list)
    """Facts about the list's resources."""
    citations: list[Citation] = field(default_factory=list)
    referenced: dict[Identifiers, Work] = field(default_factory=dict)
    """What the sources say about cited works that are not list resources."""
    by_url: dict[str, Work] = field(default_factory=dict)

    def lookup(self, url: str) -> Work | None:
        """The facts about the resource the list links as ``url``, if the snapshot has them."""
        return self.by_url.get(normalize_url(url))

    def enrich(self, corpus: Corpus) -> int:
        """Add the facts about ``corpus``'s resources and the citations among them.

        Returns how many of the corpus's resources the snapshot describes. Citations are
        added only when their citing work is one of those resources.
        """
        described: set[Identifiers] = set()
        for entry in corpus.entries:
            if entry.url is None:
                continue
            work = self.lookup(entry.url)
            if work is None:
                continue
            corpus.entry_ids[entry.key] = corpus.entry_ids.get(
                entry.key, Identifiers()
            ).merge(work.ids)
            corpus.works.append(work)
            described.add(work.ids)
        known = _id_tokens(described)
        for citation in self.citations:
            if _id_tokens([citation.citing]) & known:
                corpus.citations.append(citation)
                if citation.cited in self.referenced:
                    corpus.works.append(self.referenced[citation.cited])
        return len(described)


def _id_tokens(all_ids: Iterable[Identifiers]) -> set[tuple[str, str]]:
    return {item for ids in all_ids for item in ids.items()}


def load_snapshot(path: Path = SEED_FACTS) -> Snapshot:
    """Read the bundled facts file into records."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise DataError(f"{path}: cannot read the bundled facts: {err}") from err
    snapshot = Snapshot()
    by_number: dict[str, Work] = {}
    for record in data.get("resources", []):
        work = _resource_work(record)
        if work is None:
            continue
        snapshot.works.append(work)
        snapshot.by_url[work.ids.url or ""] = work
        by_number[str(record.get("number"))] = work
    for citation, cited in itertools.chain(
        _reference_citations(data, by_number),
        _blog_citations(data, by_number),
        _intra_list_citations(data),
    ):
        if _is_new(citation, snapshot.citations):
            snapshot.citations.append(citation)
        if cited is not None and cited.ids not in snapshot.referenced:
            snapshot.referenced[cited.ids] = cited
    log.debug("snapshot: %d works, %d citations", len(snapshot.works), len(snapshot.citations))
    return snapshot


def _resource_work(record: dict[str, Any]) -> Work | None:
    if not isinstance(record.get("url"), str):
        return None  # a heading of the list, not a resource
    status = str(record.get("status", ""))
    confirmed = status.startswith(("resolved", "partial"))
    year = record.get("year")
    return Work(
        ids=_identifiers(record),
        title=_clean(record.get("title")) if confirmed else None,
        kind=_kind(record.get("kind")),
        year=year if isinstance(year, int) else None,
        venue=_clean(record.get("venue")),
        authors=_people(record.get("authors")),
        contributors=_people(record.get("organizers")) + _people(record.get("tutors")),
        origins=(_origin(record.get("sources") or []),),
    )


_Cited = Iterator[tuple[Citation, Work | None]]
"""A citation, with the description of the cited work when the source gives one."""


def _reference_citations(data: dict[str, Any], by_number: dict[str, Work]) -> _Cited:
    """Citations read from the (partial) reference lists of list papers."""
    meta = data.get("references_meta", {})
    for arxiv_id, refs in data.get("references", {}).items():
        citing = Identifiers(arxiv=arxiv_id)
        sources = meta.get(arxiv_id, {}).get("source", []) if isinstance(meta.get(arxiv_id), dict) else []
        origin = _origin(sources)
        for ref in refs:
            cited = _reference_work(ref, by_number)
            if cited is not None:
                yield Citation(citing=citing, cited=cited.ids, origin=origin), cited


def _reference_work(ref: dict[str, Any], by_number: dict[str, Work]) -> Work | None:
    """The cited work of one reference, or None when the source names no one to cite."""
    if ref.get("list_item") in by_number:
        return by_number[ref["list_item"]]
    author, year = ref.get("first_author"), ref.get("year")
    ids = extract_identifiers(" ".join(str(ref.get(k) or "") for k in ("arxiv", "doi")))
    if not ids and (not isinstance(author, str) or "(" in author or not isinstance(year, int)):
        return None  # an anonymous marker such as "[138]": nothing to name the work by
    in_text = ref.get("in_text")
    label = in_text if isinstance(in_text, str) and len(in_text) <= 80 else f"{author} ({year})"
    if not ids:
        ids = Identifiers(local=label)
    return Work(ids=ids, title=_clean(ref.get("title")), label=label, year=year)


def _blog_citations(data: dict[str, Any], by_number: dict[str, Work]) -> _Cited:
    """Citations from the reference links of the list's blog posts."""
    for key, refs in data.get("blog_post_references", {}).items():
        citing = by_number.get(key.split()[0])
        if citing is None:
            continue
        origin = Origin(source=SOURCE, urls=citing.origins[0].urls, notes=citing.origins[0].notes)
        for text in refs:
            label = re.sub(r"^\[\d+\]\s*", "", text)
            ids = extract_identifiers(text).merge(_github_in_text(text)) or Identifiers(local=label)
            yield Citation(citing=citing.ids, cited=ids, origin=origin), Work(ids=ids, label=label)


def _github_in_text(text: str) -> Identifiers:
    match = re.search(r"\bgithub\s+([\w.-]+/[\w.-]+)", text, re.I)
    return Identifiers(github=match.group(1)) if match else Identifiers()


def _intra_list_citations(data: dict[str, Any]) -> _Cited:
    """Confirmed citations between two list resources, each end named by an identifier."""
    for item in data.get("intra_list_citations", []):
        if item.get("status") != "confirmed":
            continue
        citing = extract_identifiers(item["citing"]).merge(_github_in_text(item["citing"]))
        cited = extract_identifiers(item["cited"]).merge(_github_in_text(item["cited"]))
        if citing and cited:
            yield Citation(citing=citing, cited=cited, origin=_origin(item.get("sources", []))), None


def _is_new(citation: Citation, known: list[Citation]) -> bool:
    """False when a citation between the same two works (sharing an identifier) is known:
    the first source read is kept."""
    citing, cited = _id_tokens([citation.citing]), _id_tokens([citation.cited])
    return not any(
        citing & _id_tokens([k.citing]) and cited & _id_tokens([k.cited]) for k in known
    )
