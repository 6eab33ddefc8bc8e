"""The network policy: how kg talks to a web API, decided in this one place.

- **Key**: the API key (``S2_API_KEY``) goes on *every* request as ``x-api-key``; it is never
  logged nor shown in an error.
- **Rate**: requests are spaced evenly: one per second with a key (what Semantic Scholar
  grants a key), one every two seconds without (the shared pool throttles hard).
- **Retries**: 429, 5xx, timeouts, dropped connections and bodies that are not complete JSON
  are tried again with exponential backoff and full jitter, waiting at least what
  ``Retry-After`` asks, until ``max_attempts`` or ``max_wait`` seconds of waiting are spent.
- **Errors**: 401/403 raise :class:`~kg.errors.AuthError` at once; any other failure raises
  :class:`~kg.errors.FetchError` naming the request. A failure never becomes an empty
  result: only a 200 with a JSON body, or a 404 (an answer: "no such thing"), is returned.
- **Reachability**: a request sent with ``probe=True`` gives up at the first connection
  failure with :class:`~kg.errors.UnreachableError`, so a build without network falls back
  to offline in a fraction of a second instead of retrying for minutes.

Everything is synchronous on purpose: requests are rate limited and sent one after the
other, so concurrency would buy nothing and cost determinism.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from kg import __version__
from kg.errors import AuthError, FetchError, UnreachableError

__all__ = [
    "API_KEY_ENV",
    "NetworkPolicy",
    "Response",
    "HttpClient",
    "api_key_from_env",
    "retry_after_seconds",
]

log = logging.getLogger(__name__)

API_KEY_ENV = "S2_API_KEY"
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def api_key_from_env() -> str | None:
    """The Semantic Scholar API key from ``S2_API_KEY``, or None when unset or blank."""
    return os.environ.get(API_KEY_ENV, "").strip() or None


@dataclass(frozen=True)
class NetworkPolicy:
    """How patient and how polite to be. The defaults suit the public Semantic Scholar API."""

    api_key: str | None = field(default=None, repr=False)
    rate: float | None = None
    """Requests per second at most; None: 1 with an API key, 0.5 without."""
    timeout: float = 30.0
    """Seconds to wait for an answer (each read, write and pool wait)."""
    connect_timeout: float = 5.0
    max_attempts: int = 8
    backoff_base: float = 1.0
    """First retry waits up to this many seconds; each further one up to twice as long."""
    backoff_cap: float = 60.0
    max_wait: float = 300.0
    """Total seconds one request may spend waiting between its attempts."""

    @classmethod
    def from_env(cls, **settings: Any) -> NetworkPolicy:
        """A policy whose API key comes from ``S2_API_KEY`` (unless one is given)."""
        settings.setdefault("api_key", api_key_from_env())
        return cls(**settings)

    @property
    def min_interval(self) -> float:
        """Seconds between the starts of two requests."""
        rate = self.rate if self.rate is not None else (1.0 if self.api_key else 0.5)
        return 0.0 if rate <= 0 or rate == float("inf") else 1.0 / rate


@dataclass(frozen=True)
class Response:
    """A definitive answer: 200 with its parsed JSON, or 404."""

    status: int
    data: Any
    text: str
    url: str
    retrieved: str
    """When the answer arrived, ISO 8601 UTC to the second (``2026-01-01T12:00:00Z``)."""


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delay-seconds or an HTTP date).

    >>> retry_after_seconds("3"), retry_after_seconds(None), retry_after_seconds("soon")
    (3.0, None, None)
    >>> retry_after_seconds("Thu, 01 Jan 2026 00:00:10 GMT", datetime(2026, 1, 1, tzinfo=UTC))
    10.0
    """
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class _Retry(Exception):
    """An attempt failed in a way another attempt may fix."""

    def __init__(self, reason: str, wait: float | None = None, connection: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.connection = connection


class HttpClient:
    """Sends requests under a :class:`NetworkPolicy`; one connection pool for the whole run.

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
        self._rng = rng or random.Random()
        headers = {"user-agent": f"kg/{__version__} (+https://w3id.org/kg)"}
        if policy.api_key:
            headers["x-api-key"] = policy.api_key
        self._client = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(policy.timeout, connect=policy.connect_timeout),
            transport=transport,
            follow_redirects=False,
        )
        self._next_start = 0.0
        self.requests = 0
        """HTTP requests sent, retries included."""
        self.retries = 0

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def request(
        self, method: str, url: str, *, body: bytes | None = None, probe: bool = False
    ) -> Response:
        """Send ``method url`` (with a JSON ``body``) until it gets a definitive answer.

        Raises AuthError (401/403), UnreachableError (no connection: at once when
        ``probe``, else once retries are spent), FetchError (anything else that retrying
        did not fix).
        """
        waited = 0.0
        last = "no attempt made"
        for attempt in range(1, self.policy.max_attempts + 1):
            try:
                return self._attempt(method, url, body)
            except _Retry as failure:
                last = failure.reason
                if failure.connection and probe:
                    raise UnreachableError(f"cannot reach {_origin(url)}: {failure.reason}") from None
                if attempt == self.policy.max_attempts:
                    break
                delay = self._backoff(attempt, failure.wait)
                if waited + delay > self.policy.max_wait:
                    if failure.wait is not None and failure.wait > self.policy.max_wait - waited:
                        last += f"; the server asks to wait {failure.wait:.0f} s"
                    break
                self.retries += 1
                log.info("%s %s: %s; retrying in %.1f s", method, _shown(url), failure.reason, delay)
                self._sleep(delay)
                waited += delay
        error = UnreachableError if last.startswith("cannot connect") else FetchError
        raise error(
            f"{method} {_shown(url)}: gave up after {attempt} attempt(s) and {waited:.0f} s "
            f"of waiting (last: {last}). What was answered before is kept; run again later."
        )

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        ceiling = min(self.policy.backoff_cap, self.policy.backoff_base * 2 ** (attempt - 1))
        jittered = self._rng.uniform(0, ceiling)
        return max(jittered, retry_after) if retry_after is not None else jittered

    def _wait_for_turn(self) -> None:
        now = self._clock()
        if now < self._next_start:
            self._sleep(self._next_start - now)
            now = self._clock()
        self._next_start = now + self.policy.min_interval

    def _attempt(self, method: str, url: str, body: bytes | None) -> Response:
        self._wait_for_turn()
        self.requests += 1
        log.debug("%s %s", method, _shown(url))
        headers = {"content-type": "application/json"} if body is not None else None
        try:
            reply = self._client.request(method, url, content=body, headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout) as err:
            raise _Retry(f"cannot connect ({err or type(err).__name__})", connection=True) from err
        except httpx.TimeoutException as err:
            raise _Retry(f"no answer within {self.policy.timeout:g} s ({type(err).__name__})") from err
        except httpx.TransportError as err:  # dropped connection, body cut short
            raise _Retry(f"connection broken ({err or type(err).__name__})") from err
        return self._answer(method, url, reply)

    def _answer(self, method: str, url: str, reply: httpx.Response) -> Response:
        status = reply.status_code
        if status in _RETRY_STATUSES:
            wait = retry_after_seconds(reply.headers.get("retry-after"))
            raise _Retry(f"HTTP {status}", wait=wait)
        if status in (401, 403):
            raise AuthError(_auth_message(status, bool(self.policy.api_key)))
        if status not in (200, 404):
            detail = _error_text(reply.text)
            raise FetchError(f"{method} {_shown(url)}: HTTP {status}{': ' + detail if detail else ''}")
        try:
            data = json.loads(reply.text)
        except ValueError:
            if status == 404:
                data = None
            else:
                raise _Retry("the body is not complete JSON (truncated?)") from None
        if status == 200 and isinstance(data, dict) and set(data) == {"error"}:
            # The API sometimes answers an error with status 200; the client would turn it
            # into an empty result, which must never pass for data.
            raise FetchError(f"{method} {_shown(url)}: {data['error']}")
        retrieved = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        return Response(status=status, data=data, text=reply.text, url=url, retrieved=retrieved)


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
        data = json.loads(text)
    except ValueError:
        return text.strip()[:200]
    if isinstance(data, dict):
        return str(data.get("error") or data.get("message") or "")[:200]
    return ""


def _origin(url: str) -> str:
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}"


def _shown(url: str) -> str:
    """A URL short enough for a message: the path and the start of the query."""
    return url if len(url) <= 160 else url[:157] + "..."
