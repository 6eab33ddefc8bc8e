"""Answers to the client's requests: from the cache when it has them, else from the network.

A batch answer is stored as the single-paper answers it holds (keyed like ``GET /paper/{id}``),
so a list that grows by one entry asks only for that entry.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from semanticscholar.SemanticScholarException import ObjectNotFoundException

from kg.errors import FetchError, UnreachableError
from kg.model.records import Origin
from kg.sources.cache import CachedResponse, ResponseCache, request_key
from kg.sources.http import HttpClient, Response
from kg.sources.semantic_scholar.settings import SOURCE, S2Settings

__all__ = ["Answers", "NotCached"]

log = logging.getLogger(__name__)


class NotCached(Exception):
    """Offline, and the cache does not hold this answer."""




class Answers:
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
            except NotCached:
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
            raise NotCached(url)
        probe = self.mode == "auto" and not self._reached
        try:
            response = self._http.request(method, url, body=body, probe=probe)
        except UnreachableError as err:
            if not probe:
                raise
            self.mode, self.fallback = "offline", str(err)
            log.info("%s; going on offline with the cache and the bundled facts", err)
            self.not_cached += 1
            raise NotCached(url) from err
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


