"""The one place kg plugs into the ``semanticscholar`` client (0.12.x).

The client gives the API surface: endpoints, paging (its ``PaginatedResults``) and the title
match. kg replaces its HTTP layer (:class:`_Requester`) because the client retries only 429
(for up to 251 s, ignoring ``Retry-After``), turns 401/502/503 into empty results, sends no
API key on citations and references, and sends ids and queries unencoded. Pages and batch
answers stay the API's dicts: at 50,000 papers the client's objects cost more than the rest
of a warm build.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from semanticscholar.ApiRequester import ApiRequester
from semanticscholar.AsyncSemanticScholar import AsyncSemanticScholar
from semanticscholar.PaginatedResults import PaginatedResults

from kg.sources.semantic_scholar.answers import Answers
from kg.sources.semantic_scholar.settings import PAGE_SIZE, Json

__all__ = ["Client"]


class _Requester(ApiRequester):  # type: ignore[misc]
    """The client's HTTP layer, replaced by ours (cache, then :mod:`kg.sources.http`).

    The client hands every request here as ``(url, parameters, headers, payload)``. The
    headers are ignored: the network policy adds the key itself, which also sends it on
    citations and references, where the client forgets it.
    """

    def __init__(self, answers: Answers, timeout: float) -> None:
        super().__init__(timeout=timeout, retry=False)
        self._answers = answers

    async def get_data_async(
        self, url: str, parameters: str, headers: dict[str, str], payload: dict[str, Any] | None = None
    ) -> Any:
        return self._answers.fetch(url, parameters, payload)


def _raw(item: Json) -> Json:
    return item


class Client(AsyncSemanticScholar):  # type: ignore[misc]
    """The client with our requester, and batch calls that keep each answer in its place."""

    def __init__(self, answers: Answers) -> None:
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

    async def papers(self, ids: Sequence[str], fields: Sequence[str]) -> list[Json | None]:
        return [d if isinstance(d, dict) else None for d in await self._batch("paper", ids, fields)]

    async def authors(self, ids: Sequence[str], fields: Sequence[str]) -> list[Json | None]:
        return [d if isinstance(d, dict) else None for d in await self._batch("author", ids, fields)]


