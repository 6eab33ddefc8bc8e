"""The one place kg plugs into the ``semanticscholar`` client (0.12.x); nothing else in kg
imports it (``tests/test_s2_client.py`` checks).

The client gives the API surface: endpoint paths, paging (its ``PaginatedResults``, with the
API's 9,999-row clamp) and the title match (its query building). Everything else is worked
around here, each workaround with a test named after the client bug it answers
(``tests/test_s2_client.py``):

1. **Its HTTP layer** is replaced by :class:`_Requester`, which asks :class:`.answers.Answers`
   (cache, then :mod:`kg.sources.http`). The client retries only 429, for up to 251 s,
   ignoring ``Retry-After``; it turns 401, 502 and 503 into empty results; and it sends no
   API key on citations and references (§2.5-2.7 of the tech notes).
2. **Batch calls** go to the requester directly: ``get_papers``/``get_authors`` drop the
   nulls of a batch answer, and with them which id each answer belongs to.
3. **Ids and queries are encoded** here: the client puts them into URLs as they are, so a
   ``#`` or ``&`` cuts them short.
4. **Its constructor calls** ``logging.basicConfig``, adding a root handler to the process
   of a library user who never asked for one: undone at once.
5. **Malformed answers never reach it**: its ``Paper`` model raises ``TypeError`` on an
   author that is not an object, and its pager asks for the same page for ever when a page
   has no ``data`` list. :class:`.answers.Answers` checks every answer before handing it on.
6. **Pages and batch items stay the API's dicts**: at 50,000 papers the client's objects
   cost more than the rest of a warm build.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote, quote_plus

from semanticscholar.ApiRequester import ApiRequester
from semanticscholar.AsyncSemanticScholar import AsyncSemanticScholar
from semanticscholar.PaginatedResults import PaginatedResults

from kg.model.records import Origin
from kg.sources.semantic_scholar.answers import Answers, NotFound
from kg.sources.semantic_scholar.settings import PAGE_SIZE
from kg.sources.semantic_scholar.shapes import Json

__all__ = ["Client", "Page"]


class _Requester(ApiRequester):  # type: ignore[misc]
    """The client's HTTP layer, replaced by :class:`Answers` (workaround 1).

    The client hands every request here as ``(url, parameters, headers, payload)``. The
    headers are ignored: the network policy adds the key itself, which also sends it on
    citations and references, where the client forgets it.
    """

    def __init__(self, answers: Answers) -> None:
        super().__init__(timeout=30, retry=False)
        self._answers = answers

    async def get_data_async(
        self, url: str, parameters: str, headers: dict[str, str], payload: dict[str, Any] | None = None
    ) -> Any:
        query = parameters.lstrip("&")
        return self._answers.get(f"{url}?{query}" if query else url)


def _undo_basic_config(make: type[AsyncSemanticScholar], **options: Any) -> AsyncSemanticScholar:
    """``make(**options)`` with the root logger left as it was (workaround 4)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        return make(**options)
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)


def _as_is(item: Json) -> Json:
    return item


@dataclass(frozen=True)
class Page:
    """The items of one page of a paper's citations or references, and where they came from."""

    items: list[Json]
    origin: Origin
    more: bool
    """Whether the API has pages after this one (within the 9,999 rows it serves)."""


class Client:
    """What kg asks Semantic Scholar, through the client and :class:`Answers`."""

    def __init__(self, answers: Answers) -> None:
        self._answers = answers
        self._client = _undo_basic_config(AsyncSemanticScholar, api_url=answers.api_root, retry=False)
        self._requester = _Requester(answers)
        self._client._requester = self._requester  # the client offers no way to inject it
        self._graph = f"{self._client.api_url}{self._client.BASE_PATH_GRAPH}"

    async def papers(self, ids: Sequence[str], fields: Sequence[str]) -> list[Json | None]:
        """A batch of papers, one answer per id in order: None where the API knows none
        (or, offline, the cache lacks it; ``Answers.last_origins`` says which)."""
        return self._answers.batch(f"{self._graph}/paper/batch", _fields(fields), ids)

    async def authors(self, ids: Sequence[str], fields: Sequence[str]) -> list[Json | None]:
        """A batch of authors, as :meth:`papers`."""
        return self._answers.batch(f"{self._graph}/author/batch", _fields(fields), ids)

    async def title_match(self, title: str, fields: Sequence[str]) -> Json | None:
        """The paper whose title best matches ``title``; None when the API has none."""
        try:
            match = await self._client.search_paper(
                quote_plus(title), fields=list(fields), match_title=True  # workaround 3
            )
        except NotFound:
            return None
        except IndexError:  # a 200 whose data list is empty: the same as no match
            return None
        paper: Json = match.raw_data
        return paper

    async def pages(
        self, paper_id: str, direction: Literal["citations", "references"], fields: Sequence[str]
    ) -> AsyncGenerator[Page, None]:
        """A paper's citations or references, 1,000 a page, paged by the client. Raises
        :class:`.answers.NotFound` when the API does not know the paper."""
        url = f"{self._graph}/paper/{quote(paper_id, safe=':/')}/{direction}"  # workaround 3
        results = await PaginatedResults.create(
            requester=self._requester, data_type=_as_is, url=url, fields=list(fields), limit=PAGE_SIZE
        )
        seen = 0
        while True:
            origin = self._answers.last_origins[0]
            assert origin is not None  # a page that came at all came from an answer
            more = bool(results._has_next_page())  # the test next_page makes; kept private
            yield Page(list(results.items[seen:]), origin, more)
            if not more:
                return
            seen = len(results.items)
            await results.async_next_page()


def _fields(fields: Sequence[str]) -> str:
    return f"fields={','.join(fields)}"
