"""Semantic Scholar: the list's works with their references, citations, authors and fields.

:class:`SemanticScholarSource` adds to a :class:`~kg.model.records.Corpus` plain records
(:class:`~kg.model.records.Work`, :class:`~kg.model.records.Citation`, :class:`~kg.model.records.Person`) in
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

Every request names its ``fields``. Requests go through :mod:`.client` (the
``semanticscholar`` client, with kg's workarounds); their answers come from the cache when it
has them and from the network otherwise (:mod:`.answers`), checked before use
(:mod:`.shapes`); offline, what the cache lacks is reported, never invented. The answers
become records in :mod:`.records`.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Coroutine, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import aclosing
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from kg.identify.kinds import PAPER_KINDS
from kg.model.records import Citation, Corpus, Entry, Identifiers, Origin, Work
from kg.progress import Progress, Silent
from kg.sources.api_client import ApiClient
from kg.sources.cache import Clock, ResponseCache, utc_now
from kg.sources.semantic_scholar.answers import Answers, NotCached, NotFound
from kg.sources.semantic_scholar.client import Client
from kg.sources.semantic_scholar.records import (
    api_id,
    json_count,
    json_object,
    json_text,
    paper_identifiers,
    paper_work,
    people,
    same_title,
)
from kg.sources.semantic_scholar.settings import (
    AUTHOR_BATCH_SIZE,
    AUTHOR_FIELDS,
    BATCH_SIZE,
    EDGE_FIELDS,
    PAGE_SIZE,
    PAPER_FIELDS,
    SOURCE,
    FetchReport,
    PartialWork,
    S2Settings,
)
from kg.sources.semantic_scholar.shapes import Json

__all__ = ["SemanticScholarSource", "lower_bound"]

log = logging.getLogger(__name__)


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
    paper: Json
    origin: Origin
    entries: list[Entry] = field(default_factory=list)


class SemanticScholarSource:
    """Adds what Semantic Scholar says about a corpus's works to it. See the module doc.

    ``clock`` tells the cache the time (what is too old for ``max_age``, the date of new
    answers); tests hand in their own.
    """

    def __init__(self, settings: S2Settings, *, clock: Clock = utc_now) -> None:
        self.settings = settings
        self.clock = clock

    def enrich(self, corpus: Corpus, progress: Progress | None = None) -> FetchReport:
        """Resolve the corpus's resources and add their works, citations and people."""
        settings = self.settings
        cache = ResponseCache.in_dir(
            settings.cache_dir, create=settings.mode != "offline", clock=self.clock
        )
        http = ApiClient(settings.network) if settings.mode != "offline" else None
        try:
            answers = Answers(settings, cache, http)
            run = _Run(corpus, Client(answers), answers, settings, progress or Silent())
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
        self, corpus: Corpus, client: Client, answers: Answers, settings: S2Settings,
        progress: Progress,
    ) -> None:
        self.corpus = corpus
        self.client = client
        self.answers = answers
        self.settings = settings
        self.progress = progress
        self.resolved: dict[str, _Resolved] = {}
        """paperId -> the list work and the entries it resolves, in list order."""
        self.outside: dict[str, tuple[Json, list[Origin]]] = {}
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
            paper = await self.client.title_match(title, PAPER_FIELDS)
        except NotCached:
            self.corpus.unresolved[entry.key] = f"{prefix}offline, and the cache does not hold its title match"
            return
        if paper is None:
            self.corpus.unresolved[entry.key] = f"{prefix}no title match for {title!r}"
            return
        found = json_text(paper.get("title"))
        origin = self.answers.last_origins[0]
        if origin is None or not found or not same_title(title, found):
            self.corpus.unresolved[entry.key] = f"{prefix}the nearest title, {found!r}, is not {title!r}"
            return
        self._accept(entry, paper, origin)

    def _accept(self, entry: Entry, paper: Json, origin: Origin) -> None:
        self.corpus.unresolved.pop(entry.key, None)
        pid = str(paper["paperId"])
        if pid not in self.resolved:
            self.resolved[pid] = _Resolved(paper, origin)
        self.resolved[pid].entries.append(entry)
        ids = self.corpus.entry_ids.get(entry.key, Identifiers())
        self.corpus.entry_ids[entry.key] = ids.merge(paper_identifiers(paper))

    # references and citations ------------------------------------------------------------

    async def _edges(self, direction: Literal["references", "citations"]) -> None:
        cap = self.settings.max_citations if direction == "citations" else 10**9
        count = "citationCount" if direction == "citations" else "referenceCount"
        counts = {pid: json_count(r.paper.get(count)) for pid, r in self.resolved.items()}
        todo = [pid for pid, n in counts.items() if n != 0 and cap > 0]  # None: unknown, ask
        self.progress.stage(direction, total=len(todo))
        for pid in todo:
            items, complete = await self._pages(pid, direction, cap)
            for item, origin in items:
                self._edge(pid, item, origin, direction)
            if direction == "citations":
                self.fetched[pid] = len(items)
                if not complete:  # stopped by the cap, the API's limit or the cache
                    label = json_text(self.resolved[pid].paper.get("title")) or pid
                    self.partial.append(PartialWork(label, len(items), counts[pid]))
            self.progress.advance()

    async def _pages(
        self, pid: str, direction: Literal["references", "citations"], cap: int
    ) -> tuple[list[tuple[Json, Origin]], bool]:
        """The items of a paper's citation or reference pages, up to ``cap``, and whether
        they are all there is."""
        items: list[tuple[Json, Origin]] = []
        try:
            async with aclosing(self.client.pages(pid, direction, EDGE_FIELDS)) as pages:
                async for page in pages:
                    items.extend((item, page.origin) for item in page.items)
                    if len(items) >= cap:
                        return items[:cap], len(items) == cap and not page.more
        except NotFound:
            log.warning("%s of %s: not found", direction, pid)
            return items, True
        except NotCached:
            return items, False
        return items, True

    def _edge(self, pid: str, item: Json, origin: Origin, direction: str) -> None:
        other = json_object(item.get("citingPaper" if direction == "citations" else "citedPaper"))
        other_id = json_text(other.get("paperId"))
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

    async def _authors(self) -> dict[str, Json]:
        ids = list(dict.fromkeys(
            p.s2_author_id for r in self.resolved.values() for p in people(r.paper.get("authors"))
            if p.s2_author_id
        ))  # fmt: skip
        self.progress.stage("authors", total=len(ids))
        details: dict[str, Json] = {}
        for start in range(0, len(ids), AUTHOR_BATCH_SIZE):
            chunk = ids[start : start + AUTHOR_BATCH_SIZE]
            for author_id, author in zip(chunk, await self.client.authors(chunk, AUTHOR_FIELDS), strict=True):
                if author is not None:
                    details[author_id] = author
            self.progress.advance(len(chunk))
        return details

    # records -------------------------------------------------------------------------

    def _records(self, details: dict[str, Json]) -> None:
        for pid, resolved in self.resolved.items():
            work = paper_work(resolved.paper, resolved.origin, listed=True, details=details)
            if self.settings.max_citations > 0:
                work = replace(work, citations_fetched=self.fetched.get(pid, 0))
            self.corpus.works.append(work)
        for paper, origins in self.outside.values():
            work = paper_work(paper, origins[0], listed=False)
            self.corpus.works.append(replace(work, origins=tuple(origins)) if len(origins) > 1 else work)
        self.corpus.citations.extend(self.citations)


def _title_of(ids: Identifiers, titles: dict[tuple[str, str], str]) -> str | None:
    return next((titles[t] for t in ids.items() if t in titles), None)
