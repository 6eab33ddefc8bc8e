"""Semantic Scholar: the list's works with their references, citations, authors and fields.

:class:`SemanticScholarSource` adds to a :class:`~kg.records.Corpus` plain records
(:class:`~kg.records.Work`, :class:`~kg.records.Citation`, :class:`~kg.records.Person`) in
three stages, each a progress stage:

1. **resolve**: each list resource becomes an API id (a paper id, ``CorpusId:``,
   ``ARXIV:``, ``DOI:``, ``PMCID:``, ``URL:`` for OpenReview) looked up 500 at a time with
   ``POST /paper/batch``. A paper-like resource that no id names (a PDF link, a book) or
   that the batch does not know is looked up by title (``/paper/search/match``), and the
   match counts only if its title is close to the one the list or the bundled facts give.
   What stays unresolved is reported with its reason (``Corpus.unresolved``).
2. **references** and **citations** of each resolved work, 1,000 a page; citations up to
   ``max_citations`` (the true total stays in ``citation_count``, what was fetched in
   ``citations_fetched``). Papers outside the list become works of their own.
3. **authors**: details (ORCID) of the list works' authors, 1,000 at a time.

Every request names its ``fields``. Answers come from the cache (:mod:`kg.sources.cache`)
when it has them and from the network (:mod:`kg.sources.http`, which owns the policy)
otherwise; offline, what the cache lacks is reported, never invented. A batch answer is
stored as the single-paper answers it holds (keyed like ``GET /paper/{id}``), so a list
that grows by one entry asks only for that entry.

The ``semanticscholar`` client (0.12.0) gives the API surface: endpoints, paging (its
``PaginatedResults``), the title match and its ``Paper`` model. Its HTTP layer is replaced
by :class:`_Requester` because it retries only 429 (for up to 251 s, ignoring
``Retry-After``), turns 401/502/503 into empty results, sends no API key on citations and
references, and sends ids and queries unencoded. Pages and batch answers stay the API's
dicts: at 50,000 papers the client's objects cost more than the rest of a warm build.
"""

from __future__ import annotations

import asyncio
import difflib
import json
import logging
import math
import os
import re
import unicodedata
from collections.abc import Coroutine, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, quote_plus

from semanticscholar.ApiRequester import ApiRequester
from semanticscholar.AsyncSemanticScholar import AsyncSemanticScholar
from semanticscholar.PaginatedResults import PaginatedResults
from semanticscholar.SemanticScholarException import (
    NoMorePagesException,
    ObjectNotFoundException,
)

from kg.errors import FetchError, UnreachableError
from kg.identify.identifiers import PAPER_KINDS, doi_identifiers, parse_arxiv_id
from kg.model.records import Citation, Corpus, Entry, Identifiers, Origin, Person, Work
from kg.progress import Progress, Silent
from kg.sources.cache import CachedResponse, ResponseCache, request_key
from kg.sources.http import HttpClient, NetworkPolicy, Response

__all__ = [
    "DEFAULT_API_URL",
    "API_URL_ENV",
    "SOURCE",
    "PAPER_FIELDS",
    "EDGE_FIELDS",
    "AUTHOR_FIELDS",
    "Mode",
    "S2Settings",
    "PartialWork",
    "FetchReport",
    "SemanticScholarSource",
    "api_id",
    "lower_bound",
]

log = logging.getLogger(__name__)

SOURCE = "semantic-scholar"
DEFAULT_API_URL = "https://api.semanticscholar.org"
API_URL_ENV = "S2_API_URL"
BATCH_SIZE = 500
AUTHOR_BATCH_SIZE = 1000
PAGE_SIZE = 1000

PAPER_FIELDS = (
    "paperId", "corpusId", "externalIds", "url", "title", "year", "venue", "authors",
    "s2FieldsOfStudy", "publicationTypes", "citationCount", "influentialCitationCount",
    "referenceCount", "tldr", "openAccessPdf",
)  # fmt: skip
"""What is asked about each work of the list."""
EDGE_FIELDS = (
    "isInfluential", "intents", "paperId", "corpusId", "externalIds", "title", "year",
    "venue", "authors", "s2FieldsOfStudy", "publicationTypes", "citationCount",
)  # fmt: skip
"""What is asked about each citation and reference: the edge, and the paper at its far end."""
AUTHOR_FIELDS = ("authorId", "name", "externalIds")

_Json = dict[str, Any]

Mode = Literal["online", "offline", "auto"]
"""``online``: fetch what the cache lacks; ``offline``: cache only; ``auto``: online when the
API can be reached, else offline."""

_TITLE_SIMILARITY = 0.8
_KINDS = (("Review", "Survey"), ("Book", "Book"), ("Conference", "ConferencePaper"),
          ("JournalArticle", "JournalArticle"))  # fmt: skip
"""Publication types -> kind of a work outside the list, strongest first."""


def _env_api_url() -> str:
    return os.environ.get(API_URL_ENV, "").strip() or DEFAULT_API_URL


@dataclass(frozen=True)
class S2Settings:
    """Where to ask, what to keep, how much to fetch."""

    mode: Mode = "offline"
    api_url: str = field(default_factory=_env_api_url)
    """The API root (``/graph/v1/...`` is appended); default ``S2_API_URL`` or the public API."""
    cache_dir: Path | None = None
    """Directory of the response cache; None: the user cache directory."""
    refresh: bool = False
    """Ask again for everything, replacing what the cache holds."""
    max_age: timedelta | None = None
    """Ask again for answers older than this."""
    max_citations: int = 1000
    """Citing papers fetched per work at most (the API serves at most 9,999)."""
    network: NetworkPolicy = field(default_factory=NetworkPolicy.from_env)

    def __post_init__(self) -> None:
        if not self.api_url.lower().startswith(("http://", "https://")):
            raise ValueError(f"the API URL must be an http(s) URL, not {self.api_url!r}")
        if self.max_citations < 0:
            raise ValueError("max_citations cannot be negative")

    @property
    def api_root(self) -> str:
        """The root the client appends ``/graph/v1/...`` to (a pasted ``/graph/v1`` is cut)."""
        return self.api_url.rstrip("/").removesuffix("/graph/v1")


@dataclass(frozen=True)
class PartialWork:
    """A list work whose citations were not all fetched."""

    label: str
    fetched: int
    total: int | None


@dataclass
class FetchReport:
    """What the Semantic Scholar stage did, for the closing summary."""

    mode: str
    """``online`` or ``offline``: how the run went in the end."""
    fallback: str | None = None
    """Why an ``auto`` run went offline."""
    cache: Path | None = None
    resources: int = 0
    resolved: int = 0
    papers: int = 0
    authors: int = 0
    citations: int = 0
    requests: int = 0
    """HTTP requests sent, retries included."""
    retries: int = 0
    """Of those, the ones sent again after a 429, a 5xx, a timeout or a broken answer."""
    cache_hits: int = 0
    not_cached: int = 0
    """Answers an offline run needed and the cache did not hold."""
    partial: list[PartialWork] = field(default_factory=list)


class _NotCached(Exception):
    """Offline, and the cache does not hold this answer."""


# --- answers: cache first, then the network --------------------------------------------


class _Answers:
    """Answers to the client's requests, from the cache or the network, and their origins."""

    def __init__(
        self, settings: S2Settings, cache: ResponseCache | None, http: HttpClient | None
    ) -> None:
        self.api_root = settings.api_root
        self.timeout = settings.network.timeout
        self.mode: str = "offline" if http is None else settings.mode
        self.fallback: str | None = None
        self._settings = settings
        self._cache = cache
        self._http = http
        self._reached = False
        self._fresh: set[str] = set()
        """Keys answered during this run (what --refresh accepts from the cache)."""
        self.hits = 0
        self.not_cached = 0
        self.last_origins: list[Origin | None] = []
        """Origin of each item of the last answer; None for an item the cache lacked."""

    @property
    def requests(self) -> int:
        return self._http.requests if self._http is not None else 0

    @property
    def retries(self) -> int:
        return self._http.retries if self._http is not None else 0

    def fetch(self, url: str, parameters: str, payload: dict[str, Any] | None) -> Any:
        query = parameters.lstrip("&")
        if payload is not None and url.endswith("/batch"):
            return self._batch(url, query, [str(i) for i in payload["ids"]])
        return self._get(f"{url}?{query}" if query else url)

    def _relative(self, url: str) -> str:
        return url[len(self.api_root) :] if url.startswith(self.api_root) else url

    def _usable(self, key: str, cached: CachedResponse) -> bool:
        if self.mode == "offline":
            return True
        if self._settings.refresh:
            return key in self._fresh
        max_age = self._settings.max_age
        return max_age is None or not cached.older_than(max_age)

    def _lookup(self, keys: Sequence[str]) -> dict[str, CachedResponse]:
        if self._cache is None:
            return {}
        found = self._cache.get_many(keys)
        return {k: r for k, r in found.items() if self._usable(k, r)}

    def _get(self, url: str) -> Any:
        key = request_key("GET", self._relative(url))
        cached = self._lookup([key]).get(key)
        if cached is not None:
            self.hits += 1
            data = json.loads(cached.body) if cached.status == 200 else None
        else:
            response = self._send("GET", url)
            cached = CachedResponse(response.status, response.text, url, response.retrieved)
            self._store([(key, cached)])
            data = response.data
        self.last_origins = [_origin(cached)]
        if cached.status == 404:
            raise ObjectNotFoundException(_error(cached.body) or f"not found: {url}")
        return data

    def _batch(self, url: str, query: str, ids: list[str]) -> list[Any]:
        """A batch as single-item answers: those the cache holds, the rest in one request."""
        base = url.removesuffix("/batch")
        item_urls = [f"{base}/{quote(i, safe=':/')}?{query}" for i in ids]
        keys = [request_key("GET", self._relative(u)) for u in item_urls]
        known = self._lookup(keys)
        self.hits += sum(1 for k in keys if k in known)
        missing = [n for n, k in enumerate(keys) if k not in known]
        if missing:
            try:
                known.update(self._fetch_batch(url, query, ids, item_urls, keys, missing))
            except _NotCached:
                self.not_cached += len(missing) - 1  # _send counted one
        answers: list[Any] = []
        self.last_origins = []
        for key in keys:
            cached = known.get(key)
            self.last_origins.append(None if cached is None else _origin(cached))
            answers.append(json.loads(cached.body) if cached and cached.status == 200 else None)
        return answers

    def _fetch_batch(
        self, url: str, query: str, ids: list[str], item_urls: list[str], keys: list[str],
        missing: list[int],
    ) -> dict[str, CachedResponse]:
        body = json.dumps({"ids": [ids[n] for n in missing]}, separators=(",", ":")).encode()
        response = self._send("POST", f"{url}?{query}", body)
        items = response.data
        if not isinstance(items, list) or len(items) != len(missing):
            raise FetchError(
                f"POST {url}: expected a list of {len(missing)} answers, got "
                f"{len(items) if isinstance(items, list) else type(items).__name__}"
            )
        rows = []
        for n, item in zip(missing, items, strict=True):
            if item is None:  # the API's way of saying "no such id"
                body_text, status = json.dumps({"error": f"{ids[n]} not found"}), 404
            else:
                body_text, status = json.dumps(item, ensure_ascii=False), 200
            rows.append((keys[n], CachedResponse(status, body_text, item_urls[n], response.retrieved)))
        self._store(rows)
        return dict(rows)

    def _send(self, method: str, url: str, body: bytes | None = None) -> Response:
        if self.mode == "offline" or self._http is None:
            self.not_cached += 1
            raise _NotCached(url)
        probe = self.mode == "auto" and not self._reached
        try:
            response = self._http.request(method, url, body=body, probe=probe)
        except UnreachableError as err:
            if not probe:
                raise
            self.mode, self.fallback = "offline", str(err)
            log.info("%s; going on offline with the cache and the bundled facts", err)
            self.not_cached += 1
            raise _NotCached(url) from err
        self._reached = True
        return response

    def _store(self, rows: list[tuple[str, CachedResponse]]) -> None:
        self._fresh.update(k for k, _ in rows)
        if self._cache is not None:
            self._cache.put_many([(k, "GET", r) for k, r in rows])


def _origin(cached: CachedResponse) -> Origin:
    return Origin(source=SOURCE, urls=(cached.url,), retrieved=cached.retrieved)


def _error(body: str) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    return str(data.get("error", "")) if isinstance(data, dict) else ""


class _Requester(ApiRequester):  # type: ignore[misc]
    """The client's HTTP layer, replaced by ours (cache, then :mod:`kg.sources.http`).

    The client hands every request here as ``(url, parameters, headers, payload)``. The
    headers are ignored: the network policy adds the key itself, which also sends it on
    citations and references, where the client forgets it.
    """

    def __init__(self, answers: _Answers, timeout: float) -> None:
        super().__init__(timeout=timeout, retry=False)
        self._answers = answers

    async def get_data_async(
        self, url: str, parameters: str, headers: dict[str, str], payload: dict[str, Any] | None = None
    ) -> Any:
        return self._answers.fetch(url, parameters, payload)


def _raw(item: _Json) -> _Json:
    return item


class _Client(AsyncSemanticScholar):  # type: ignore[misc]
    """The client with our requester, and batch calls that keep each answer in its place."""

    def __init__(self, answers: _Answers) -> None:
        root = logging.getLogger()
        handlers, level = list(root.handlers), root.level
        super().__init__(api_url=answers.api_root, retry=False)
        # The constructor calls logging.basicConfig, which would give a library user's
        # process a root handler it never asked for: undo that.
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
        self._requester = _Requester(answers, answers.timeout)

    async def _batch(self, path: str, ids: Sequence[str], fields: Sequence[str]) -> list[Any]:
        # get_papers/get_authors drop the nulls of a batch answer, and with them which id
        # each answer belongs to; this keeps the answer list aligned with the ids.
        url = f"{self.api_url}{self.BASE_PATH_GRAPH}/{path}/batch"
        answer = await self._requester.get_data_async(
            url, f"fields={','.join(fields)}", self.auth_header, {"ids": list(ids)}
        )
        return list(answer)

    async def pages(self, paper_id: str, direction: str, fields: Sequence[str]) -> PaginatedResults:
        """A paper's citations or references, 1,000 a page, paged by the client.

        get_paper_citations/references would wrap each of up to 9,999 items in Citation,
        Paper and Author objects, which cost more than everything else a warm build does
        with them; the items stay the API's dicts here.
        """
        url = f"{self.api_url}{self.BASE_PATH_GRAPH}/paper/{paper_id}/{direction}"
        return await PaginatedResults.create(
            requester=self._requester, data_type=_raw, url=url, fields=list(fields), limit=PAGE_SIZE
        )

    async def papers(self, ids: Sequence[str], fields: Sequence[str]) -> list[_Json | None]:
        return [d if isinstance(d, dict) else None for d in await self._batch("paper", ids, fields)]

    async def authors(self, ids: Sequence[str], fields: Sequence[str]) -> list[_Json | None]:
        return [d if isinstance(d, dict) else None for d in await self._batch("author", ids, fields)]


# --- from API data to records -----------------------------------------------------------


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


def _identifiers(paper: _Json) -> Identifiers:
    external = _dict(paper.get("externalIds"))
    corpus_id = paper.get("corpusId")
    doi = doi_identifiers(str(external["DOI"])) if external.get("DOI") else Identifiers()
    arxiv = parse_arxiv_id(str(external["ArXiv"])) if external.get("ArXiv") else None
    return Identifiers(
        s2=str(paper.get("paperId") or "").lower() or None,
        corpus_id=_int(corpus_id if corpus_id is not None else external.get("CorpusId")),
        arxiv=arxiv or doi.arxiv,  # an arXiv DataCite DOI names the arXiv id
        doi=doi.doi,  # lower-cased
        pmcid=f"PMC{external['PubMedCentral']}" if external.get("PubMedCentral") else None,
    )


def _dict(value: Any) -> _Json:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _people(authors: Any, details: dict[str, _Json] | None = None) -> tuple[Person, ...]:
    people = []
    for author in authors if isinstance(authors, list) else ():
        name, author_id = _text(_dict(author).get("name")), _text(_dict(author).get("authorId"))
        if name is None:
            continue
        found = (details or {}).get(author_id or "", {})
        orcid = _text(_dict(found.get("externalIds")).get("ORCID"))
        people.append(Person(name, s2_author_id=author_id, orcid=orcid))
    return tuple(people)


def _fields_of_study(paper: _Json) -> tuple[str, ...]:
    fields = paper.get("s2FieldsOfStudy")
    names = (_text(_dict(f).get("category")) for f in fields) if isinstance(fields, list) else ()
    return tuple(dict.fromkeys(n for n in names if n))


def _kind(types: Sequence[str]) -> str | None:
    return next((kind for name, kind in _KINDS if name in types), None)


def _work(paper: _Json, origin: Origin, *, listed: bool, details: dict[str, _Json] | None = None) -> Work:
    """A work as the API describes it; a list resource keeps the kind the list gives it."""
    types = tuple(t for t in paper.get("publicationTypes") or () if isinstance(t, str))
    return Work(
        ids=_identifiers(paper),
        title=_text(paper.get("title")),
        kind=None if listed else _kind(types),
        year=_int(paper.get("year")),
        venue=_text(paper.get("venue")),
        authors=_people(paper.get("authors"), details),
        fields_of_study=_fields_of_study(paper),
        publication_types=types,
        citation_count=_int(paper.get("citationCount")),
        influential_citation_count=_int(paper.get("influentialCitationCount")),
        reference_count=_int(paper.get("referenceCount")),
        tldr=_text(_dict(paper.get("tldr")).get("text")),
        open_access_pdf=_text(_dict(paper.get("openAccessPdf")).get("url")),
        url=_text(paper.get("url")),
        origins=(origin,),
    )


def _normal_title(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def _same_title(listed: str, found: str) -> bool:
    """Whether a title match is the work the list means, not merely the nearest title.

    >>> _same_title("Deep learning: a statistical viewpoint", "Deep Learning: A Statistical Viewpoint.")
    True
    >>> _same_title("Deep learning theory", "A theory of deep learning for cats")
    False
    """
    a, b = _normal_title(listed), _normal_title(found)
    return bool(a and b) and difflib.SequenceMatcher(None, a, b).ratio() >= _TITLE_SIMILARITY


def lower_bound(works: int, pages: Iterable[int]) -> int:
    """The fewest requests that can fetch ``works`` works and the given citation and
    reference counts: one batch call per 500 works, one page per 1,000 items.

    >>> lower_bound(27, [1200, 0, 40])
    4
    """
    return math.ceil(works / BATCH_SIZE) + sum(math.ceil(n / PAGE_SIZE) for n in pages)


# --- the source -------------------------------------------------------------------------


@dataclass
class _Resolved:
    paper: _Json
    origin: Origin
    entries: list[Entry] = field(default_factory=list)


class SemanticScholarSource:
    """Adds what Semantic Scholar says about a corpus's works to it. See the module doc."""

    def __init__(self, settings: S2Settings) -> None:
        self.settings = settings

    def enrich(self, corpus: Corpus, progress: Progress | None = None) -> FetchReport:
        """Resolve the corpus's resources and add their works, citations and people."""
        settings = self.settings
        cache = ResponseCache.in_dir(settings.cache_dir, create=settings.mode != "offline")
        http = HttpClient(settings.network) if settings.mode != "offline" else None
        try:
            answers = _Answers(settings, cache, http)
            run = _Run(corpus, _Client(answers), answers, settings, progress or Silent())
            report = _run_to_end(run.run())
        finally:
            if http is not None:
                http.close()
            if cache is not None:
                cache.close()
        report.cache = cache.path if cache is not None else None
        return report


def _run_to_end(coroutine: Coroutine[Any, Any, FetchReport]) -> FetchReport:
    """Drive the client's coroutines from synchronous code.

    Not asyncio.run: its SIGINT handler only cancels the task at its next real suspension,
    and the requests here block (see kg.sources.http), so Ctrl-C would wait for the whole
    stage; a plain loop lets KeyboardInterrupt through at once. Under a running loop
    (Jupyter, Playwright's sync API) the coroutines run in a thread of their own, as the
    client's own sync facade does.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(coroutine)
        finally:
            loop.close()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class _Run:
    """One enrichment: resolve, fetch edges, fetch authors, write records."""

    def __init__(
        self, corpus: Corpus, client: _Client, answers: _Answers, settings: S2Settings,
        progress: Progress,
    ) -> None:
        self.corpus = corpus
        self.client = client
        self.answers = answers
        self.settings = settings
        self.progress = progress
        self.resolved: dict[str, _Resolved] = {}
        """paperId -> the list work and the entries it resolves, in list order."""
        self.outside: dict[str, tuple[_Json, list[Origin]]] = {}
        """paperId -> a paper outside the list as the edges describe it, and where from."""
        self.citations: list[Citation] = []
        self.fetched: dict[str, int] = {}
        self.partial: list[PartialWork] = []

    async def run(self) -> FetchReport:
        resources = [e for e in self.corpus.entries if e.url is not None]
        await self._resolve(resources)
        await self._edges("references")
        await self._edges("citations")
        details = await self._authors()
        self._records(details)
        people = {p.s2_author_id or p.name for w in self._all_works() for p in w.authors}
        return FetchReport(
            mode="offline" if self.answers.mode == "offline" else "online",
            fallback=self.answers.fallback,
            resources=len(resources),
            resolved=sum(len(r.entries) for r in self.resolved.values()),
            papers=len(self.resolved) + len(self.outside),
            authors=len(people),
            citations=len({(c.citing.s2, c.cited.s2) for c in self.citations}),
            requests=self.answers.requests,
            retries=self.answers.retries,
            cache_hits=self.answers.hits,
            not_cached=self.answers.not_cached,
            partial=self.partial,
        )

    def _all_works(self) -> Iterator[Work]:
        yield from (w for w in self.corpus.works if any(o.source == SOURCE for o in w.origins))

    # resolve ------------------------------------------------------------------------

    async def _resolve(self, resources: list[Entry]) -> None:
        by_id: dict[str, list[Entry]] = {}
        by_title: list[Entry] = []
        for entry in resources:
            ids = self.corpus.entry_ids.get(entry.key, Identifiers())
            kind = self.corpus.entry_kinds.get(entry.key, "WebPage")
            if (found := api_id(ids)) is not None:
                by_id.setdefault(found, []).append(entry)
            elif kind in PAPER_KINDS:
                by_title.append(entry)
            else:
                self.corpus.unresolved[entry.key] = f"not a paper ({kind}): nothing to look up"
        self.progress.stage("resolve", total=len(by_id) + len(by_title))
        keys = list(by_id)
        for start in range(0, len(keys), BATCH_SIZE):
            chunk = keys[start : start + BATCH_SIZE]
            papers = await self.client.papers(chunk, PAPER_FIELDS)
            for key, paper, origin in zip(chunk, papers, self.answers.last_origins, strict=True):
                for entry in by_id[key]:
                    if origin is None:
                        self.corpus.unresolved[entry.key] = "offline, and the cache does not hold it"
                    elif paper is not None:
                        self._accept(entry, paper, origin)
                    else:
                        self.corpus.unresolved[entry.key] = f"Semantic Scholar does not know {key}"
                        if self.corpus.entry_kinds.get(entry.key) in PAPER_KINDS:
                            by_title.append(entry)  # e.g. an OpenReview id: try its title
            self.progress.advance(len(chunk))
        titles = self._known_titles()
        for entry in by_title:
            ids = self.corpus.entry_ids.get(entry.key, Identifiers())
            await self._match_title(entry, _title_of(ids, titles) or entry.title)
            self.progress.advance()

    def _known_titles(self) -> dict[tuple[str, str], str]:
        """Titles the sources heard so far (the bundled facts), by identifier."""
        return {token: w.title for w in self.corpus.works if w.title for token in w.ids.items()}

    async def _match_title(self, entry: Entry, title: str) -> None:
        before = self.corpus.unresolved.get(entry.key)
        prefix = f"{before}; " if before else ""
        try:
            # The client puts the query into the URL unencoded: "&" or "#" in a title would
            # cut it short, so it goes in encoded.
            match = await self.client.search_paper(quote_plus(title), fields=list(PAPER_FIELDS), match_title=True)
        except ObjectNotFoundException:
            self.corpus.unresolved[entry.key] = f"{prefix}no title match for {title!r}"
            return
        except _NotCached:
            self.corpus.unresolved[entry.key] = f"{prefix}offline, and the cache does not hold its title match"
            return
        except IndexError:  # a 200 with no data: the same as no match
            self.corpus.unresolved[entry.key] = f"{prefix}no title match for {title!r}"
            return
        paper: _Json = match.raw_data
        found = _text(paper.get("title"))
        origin = self.answers.last_origins[0]
        if origin is None or not paper.get("paperId") or not found or not _same_title(title, found):
            self.corpus.unresolved[entry.key] = f"{prefix}the nearest title, {found!r}, is not {title!r}"
            return
        self._accept(entry, paper, origin)

    def _accept(self, entry: Entry, paper: _Json, origin: Origin) -> None:
        self.corpus.unresolved.pop(entry.key, None)
        pid = str(paper["paperId"])
        if pid not in self.resolved:
            self.resolved[pid] = _Resolved(paper, origin)
        self.resolved[pid].entries.append(entry)
        ids = self.corpus.entry_ids.get(entry.key, Identifiers())
        self.corpus.entry_ids[entry.key] = ids.merge(_identifiers(paper))

    # references and citations ------------------------------------------------------------

    async def _edges(self, direction: Literal["references", "citations"]) -> None:
        cap = self.settings.max_citations if direction == "citations" else 10**9
        count = "citationCount" if direction == "citations" else "referenceCount"
        counts = {pid: _int(r.paper.get(count)) for pid, r in self.resolved.items()}
        todo = [pid for pid, n in counts.items() if n != 0 and cap > 0]  # None: unknown, ask
        self.progress.stage(direction, total=len(todo))
        for pid in todo:
            items, complete = await self._pages(pid, direction, cap)
            for item, origin in items:
                self._edge(pid, item, origin, direction)
            if direction == "citations":
                self.fetched[pid] = len(items)
                if not complete:  # stopped by the cap, the API's limit or the cache
                    label = _text(self.resolved[pid].paper.get("title")) or pid
                    self.partial.append(PartialWork(label, len(items), counts[pid]))
            self.progress.advance()

    async def _pages(
        self, pid: str, direction: str, cap: int
    ) -> tuple[list[tuple[_Json, Origin]], bool]:
        """The items of a paper's citation or reference pages, up to ``cap``, and whether
        they are all there is."""
        items: list[tuple[_Json, Origin]] = []
        try:
            pages = await self.client.pages(pid, direction, EDGE_FIELDS)
        except ObjectNotFoundException:
            log.warning("%s of %s: not found", direction, pid)
            return items, True
        except _NotCached:
            return items, False
        seen = 0
        while True:
            origin = self.answers.last_origins[0]
            assert origin is not None  # pages come only from answers
            items.extend((item, origin) for item in pages.items[seen:])
            seen = len(pages.items)
            if len(items) >= cap:
                return items[:cap], len(items) == cap and not _has_more(pages)
            try:
                await pages.async_next_page()
            except NoMorePagesException:
                return items, True
            except _NotCached:
                return items, False

    def _edge(self, pid: str, item: _Json, origin: Origin, direction: str) -> None:
        other = _dict(item.get("citingPaper" if direction == "citations" else "citedPaper"))
        other_id = _text(other.get("paperId"))
        if other_id is None:
            return  # a reference the API could not link to a paper
        if other_id not in self.resolved:
            known = self.outside.get(other_id)
            if known is None:
                self.outside[other_id] = (other, [origin])
            elif origin not in known[1]:
                known[1].append(origin)
        # The far end needs only its paper id here: its work record carries the rest.
        this, that = Identifiers(s2=pid.lower()), Identifiers(s2=other_id.lower())
        citing, cited = (that, this) if direction == "citations" else (this, that)
        influential = item.get("isInfluential")
        self.citations.append(
            Citation(
                citing=citing, cited=cited, origin=origin,
                is_influential=influential if isinstance(influential, bool) else None,
                intents=tuple(i for i in item.get("intents") or () if isinstance(i, str)),
            )
        )

    # authors -------------------------------------------------------------------------

    async def _authors(self) -> dict[str, _Json]:
        ids = list(dict.fromkeys(
            p.s2_author_id for r in self.resolved.values() for p in _people(r.paper.get("authors"))
            if p.s2_author_id
        ))  # fmt: skip
        self.progress.stage("authors", total=len(ids))
        details: dict[str, _Json] = {}
        for start in range(0, len(ids), AUTHOR_BATCH_SIZE):
            chunk = ids[start : start + AUTHOR_BATCH_SIZE]
            for author_id, author in zip(chunk, await self.client.authors(chunk, AUTHOR_FIELDS), strict=True):
                if author is not None:
                    details[author_id] = author
            self.progress.advance(len(chunk))
        return details

    # records -------------------------------------------------------------------------

    def _records(self, details: dict[str, _Json]) -> None:
        for pid, resolved in self.resolved.items():
            work = _work(resolved.paper, resolved.origin, listed=True, details=details)
            if self.settings.max_citations > 0:
                work = replace(work, citations_fetched=self.fetched.get(pid, 0))
            self.corpus.works.append(work)
        for paper, origins in self.outside.values():
            work = _work(paper, origins[0], listed=False)
            self.corpus.works.append(replace(work, origins=tuple(origins)) if len(origins) > 1 else work)
        self.corpus.citations.extend(self.citations)


def _title_of(ids: Identifiers, titles: dict[tuple[str, str], str]) -> str | None:
    return next((titles[t] for t in ids.items() if t in titles), None)


def _has_more(pages: PaginatedResults) -> bool:
    # The client keeps this private; it is the same test async_next_page makes.
    return bool(pages._has_next_page())


