"""Answers to the API requests of a run: from the cache when it has them, else from the network.

Every answer is checked (:mod:`.shapes`) before it is used: one from the network that is
malformed stops the run with a :class:`~kg.errors.FetchError` naming the request and is not
cached, so the next run asks again; a cached one that is malformed (or not JSON at all) is
treated as absent, so it is asked for again (or, offline, reported missing).

A batch answer is stored as the single-paper answers it holds (keyed like ``GET /paper/{id}``),
so a list that grows by one entry asks only for that entry.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from kg.errors import FetchError, UnreachableError
from kg.model.records import Origin
from kg.sources.api_client import ApiClient, ApiResponse
from kg.sources.cache import CachedResponse, ResponseCache, request_key, utc_now
from kg.sources.http import parse_json, shown
from kg.sources.semantic_scholar.settings import SOURCE, S2Settings
from kg.sources.semantic_scholar.shapes import (
    MalformedAnswer,
    check_author,
    check_batch,
    check_match,
    check_page,
    check_paper,
)

__all__ = ["Answers", "NotCached", "NotFound"]

log = logging.getLogger(__name__)

Check = Callable[[Any], None]


class NotCached(Exception):
    """Offline, and the cache does not hold this answer."""


class NotFound(Exception):
    """The API answered 404: no such paper, no title match."""


class Answers:
    """Answers to the API requests of a run, from the cache or the network, and their origins."""

    def __init__(
        self, settings: S2Settings, cache: ResponseCache | None, http: ApiClient | None
    ) -> None:
        self.api_root = settings.api_root
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

    def get(self, url: str) -> Any:
        """The answer to ``GET url``: a paper's page of citations or references, or a title
        match. Raises NotFound (404) and NotCached (offline, not in the cache)."""
        check = _check_for(self._relative(url))
        key = request_key("GET", self._relative(url))
        found = self._lookup([key], {key: check}).get(key)
        if found is not None:
            self.hits += 1
            cached, data = found
        else:
            response = self._send("GET", url)
            if response.status == 200:
                _verify(check, response.data, f"GET {shown(url)}")
            cached = CachedResponse(response.status, response.text, url, self._now())
            self._store([(key, cached)])
            data = response.data
        self.last_origins = [_origin(cached)]
        if cached.status == 404:
            raise NotFound(_error(cached.body) or f"not found: {url}")
        return data

    def batch(self, url: str, fields: str, ids: Sequence[str]) -> list[Any]:
        """``POST url`` (``…/paper/batch`` or ``…/author/batch``) for ``ids``, as single-item
        answers: those the cache holds, the rest in one request. None for an id the API
        does not know or (offline) the cache lacks; ``last_origins`` tells which."""
        endpoint = "author" if url.rstrip("/").endswith("author/batch") else "paper"
        check = check_author if endpoint == "author" else check_paper
        base = url.removesuffix("/batch")
        item_urls = [f"{base}/{quote(i, safe=':/')}?{fields}" for i in ids]
        keys = [request_key("GET", self._relative(u)) for u in item_urls]
        known = self._lookup(keys, dict.fromkeys(keys, check))
        self.hits += len(known)
        missing = [n for n, k in enumerate(keys) if k not in known]
        if missing:
            try:
                known.update(self._fetch_batch(url, fields, endpoint, ids, item_urls, keys, missing))
            except NotCached:
                self.not_cached += len(missing) - 1  # _send counted one
        answers: list[Any] = []
        self.last_origins = []
        for key in keys:
            cached, data = known.get(key, (None, None))
            self.last_origins.append(None if cached is None else _origin(cached))
            answers.append(data if cached is not None and cached.status == 200 else None)
        return answers

    def _fetch_batch(
        self, url: str, fields: str, endpoint: str, ids: Sequence[str], item_urls: list[str],
        keys: list[str], missing: list[int],
    ) -> dict[str, tuple[CachedResponse, Any]]:
        asked = [ids[n] for n in missing]
        body = json.dumps({"ids": asked}, separators=(",", ":")).encode()
        response = self._send("POST", f"{url}?{fields}", body)
        _verify(lambda data: check_batch(data, endpoint, asked), response.data, f"POST {shown(url)}")
        rows: list[tuple[str, CachedResponse]] = []
        found: dict[str, tuple[CachedResponse, Any]] = {}
        retrieved = self._now()
        for n, item in zip(missing, response.data, strict=True):
            if item is None:  # the API's way of saying "no such id"
                body_text, status = json.dumps({"error": f"{ids[n]} not found"}), 404
            else:
                body_text, status = json.dumps(item, ensure_ascii=False), 200
            cached = CachedResponse(status, body_text, item_urls[n], retrieved)
            rows.append((keys[n], cached))
            found[keys[n]] = (cached, item)
        self._store(rows)
        return found

    def _relative(self, url: str) -> str:
        return url[len(self.api_root) :] if url.startswith(self.api_root) else url

    def _now(self) -> str:
        if self._cache is not None:
            return self._cache.now()
        return utc_now().replace(microsecond=0).isoformat().replace("+00:00", "Z")

    def _usable(self, key: str, cached: CachedResponse) -> bool:
        if self.mode == "offline":
            return True
        if self._settings.refresh:
            return key in self._fresh
        max_age = self._settings.max_age
        return max_age is None or self._cache is None or not self._cache.is_older_than(cached, max_age)

    def _lookup(
        self, keys: Sequence[str], checks: dict[str, Check]
    ) -> dict[str, tuple[CachedResponse, Any]]:
        """The usable, well-formed cached answers to ``keys``, with their data (None for 404)."""
        if self._cache is None:
            return {}
        found: dict[str, tuple[CachedResponse, Any]] = {}
        for key, cached in self._cache.get_many(keys).items():
            if not self._usable(key, cached):
                continue
            if cached.status != 200:
                found[key] = (cached, None)
                continue
            try:
                data = parse_json(cached.body)
                checks[key](data)
            except ValueError as err:  # MalformedAnswer is a ValueError too
                log.warning("the cached answer of %s is unusable (%s): asking again", cached.url, err)
                continue
            found[key] = (cached, data)
        return found

    def _send(self, method: str, url: str, body: bytes | None = None) -> ApiResponse:
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


def _check_for(relative_url: str) -> Check:
    """The check of a GET answer, by endpoint: a title match or a citation/reference page."""
    parts = urlsplit(relative_url)
    if parts.path.endswith("/search/match"):
        return check_match
    direction = parts.path.rsplit("/", 1)[-1]
    if direction in ("citations", "references"):
        far_end = "citingPaper" if direction == "citations" else "citedPaper"
        offsets = parse_qs(parts.query).get("offset", ["0"])
        offset = int(offsets[-1]) if offsets[-1].isdigit() else 0
        return lambda data: check_page(data, offset, far_end)
    return check_author if "/author/" in parts.path else check_paper


def _verify(check: Check, data: Any, request: str) -> None:
    try:
        check(data)
    except MalformedAnswer as err:
        raise FetchError(
            f"{request}: a malformed answer ({err}); it was not cached: run again later, or "
            "report it if it persists"
        ) from err


def _origin(cached: CachedResponse) -> Origin:
    return Origin(source=SOURCE, urls=(cached.url,), retrieved=cached.retrieved)


def _error(body: str) -> str:
    try:
        data = parse_json(body)
    except ValueError:
        return ""
    return str(data.get("error", "")) if isinstance(data, dict) else ""
