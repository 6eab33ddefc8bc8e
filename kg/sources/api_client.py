"""The policy for a JSON API (Semantic Scholar), over :mod:`kg.sources.http`.

- **Key**: the API key (``S2_API_KEY``) goes on *every* request as ``x-api-key``; it is never
  logged nor shown in an error.
- **Rate**: requests are spaced evenly: one per second with a key (what Semantic Scholar
  grants a key), one every two seconds without (the shared pool throttles hard).
- **Retries**: 429, 5xx, timeouts, dropped connections and bodies that are not valid JSON
  are tried again (:class:`~kg.sources.http.Retrying`).
- **Errors**: 401/403 raise :class:`~kg.errors.AuthError` at once; any other failure raises
  :class:`~kg.errors.FetchError` naming the request. A failure never becomes an empty
  result: only a 200 with a JSON body, or a 404 (an answer: "no such thing"), is returned.
- **Reachability**: a request sent with ``probe=True`` gives up at the first connection
  failure with :class:`~kg.errors.UnreachableError`, so a build without network falls back
  to offline in a fraction of a second instead of retrying for minutes.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from kg.errors import AuthError, FetchError, UnreachableError
from kg.sources.http import (
    API_KEY_ENV,
    AttemptFailed,
    GaveUp,
    NetworkPolicy,
    Reply,
    Retrying,
    Session,
    origin,
    parse_json,
    retry_after_seconds,
    shown,
)

__all__ = ["ApiClient", "ApiResponse"]

log = logging.getLogger(__name__)

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class ApiResponse:
    """A definitive answer: 200 with its parsed JSON, or 404."""

    status: int
    data: Any
    text: str
    url: str


class ApiClient:
    """Sends requests to a JSON API under a :class:`NetworkPolicy`.

    ``sleep``, ``clock`` and ``rng`` are injectable so tests can observe the waits without
    spending them; ``transport`` lets a test hand in any httpx transport.
    """

    def __init__(
        self,
        policy: NetworkPolicy,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.policy = policy
        self._sleep = sleep
        self._clock = clock
        self._retrying = Retrying(policy, sleep=sleep, rng=rng)
        key = {"x-api-key": policy.api_key} if policy.api_key else {}
        self._session = Session(policy, headers=key, transport=transport)
        self._next_start = 0.0
        self.requests = 0
        """HTTP requests sent, retries included."""

    @property
    def retries(self) -> int:
        return self._retrying.retries

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def request(
        self, method: str, url: str, *, body: bytes | None = None, probe: bool = False
    ) -> ApiResponse:
        """Send ``method url`` (with a JSON ``body``) until it gets a definitive answer.

        Raises AuthError (401/403), UnreachableError (no connection: at once when
        ``probe``, else once retries are spent), FetchError (anything else that retrying
        did not fix).
        """
        what = f"{method} {shown(url)}"
        try:
            return self._retrying.run(
                lambda: self._attempt(method, url, body), describe=what,
                retry=lambda failure: failure.retryable and not (failure.connection and probe),
            )
        except GaveUp as gave_up:
            last = gave_up.last
            if last.connection and probe:
                raise UnreachableError(f"cannot reach {origin(url)}: {last.reason}") from None
            if not last.retryable:
                raise FetchError(f"{what}: {last.reason}") from None
            error = UnreachableError if last.connection else FetchError
            raise error(
                f"{gave_up.describe(what)}. What was answered before is kept; run again later."
            ) from None

    def _wait_for_turn(self) -> None:
        now = self._clock()
        if now < self._next_start:
            self._sleep(self._next_start - now)
            now = self._clock()
        self._next_start = now + self.policy.min_interval

    def _attempt(self, method: str, url: str, body: bytes | None) -> ApiResponse:
        self._wait_for_turn()
        self.requests += 1
        log.debug("%s %s", method, shown(url))
        headers = {"content-type": "application/json"} if body is not None else None
        return self._answer(method, self._session.exchange(method, url, content=body, headers=headers))

    def _answer(self, method: str, reply: Reply) -> ApiResponse:
        status, url = reply.status, reply.url
        if status in _RETRY_STATUSES:
            wait = retry_after_seconds(reply.headers.get("retry-after"))
            raise AttemptFailed(f"HTTP {status}", wait=wait)
        if status in (401, 403):
            raise AuthError(_auth_message(status, bool(self.policy.api_key)))
        if reply.is_redirect:
            raise FetchError(
                f"{method} {shown(url)}: HTTP {status}, a redirect to "
                f"{reply.headers.get('location', '(nowhere)')!r}; kg follows no redirect (the "
                "API key would go along): give the API's own URL with --api-url"
            )
        if status not in (200, 404):
            detail = _error_text(reply.text)
            raise FetchError(f"{method} {shown(url)}: HTTP {status}{': ' + detail if detail else ''}")
        text = reply.text
        try:
            data = parse_json(text)
        except ValueError:
            if status != 404:
                raise AttemptFailed("the body is not valid JSON (cut short?)") from None
            data = None
        if status == 200 and isinstance(data, dict) and set(data) == {"error"}:
            # The API sometimes answers an error with status 200; the client would turn it
            # into an empty result, which must never pass for data.
            raise FetchError(f"{method} {shown(url)}: {data['error']}")
        return ApiResponse(status=status, data=data, text=text, url=url)


def _auth_message(status: int, with_key: bool) -> str:
    if with_key:
        return (
            f"Semantic Scholar refused the API key (HTTP {status}). Check {API_KEY_ENV}: keys "
            "unused for about 60 days are pruned. Unset it to use the shared pool, or build "
            "with --offline."
        )
    return (
        f"Semantic Scholar refused the request (HTTP {status}) made without an API key; it "
        f"may block your network or region. Set {API_KEY_ENV} to your key, or build with --offline."
    )


def _error_text(text: str) -> str:
    """The API's own message from an error body, shortened."""
    try:
        data = parse_json(text)
    except ValueError:
        return " ".join(text.split())[:200]
    if isinstance(data, dict):
        return str(data.get("error") or data.get("message") or "")[:200]
    return ""
