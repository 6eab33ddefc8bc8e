"""The network policy: how kg talks to a web service, decided in this one place.

Every request kg sends (to Semantic Scholar, to a Graph Store, to a SPARQL endpoint) goes
through a :class:`Session`, which refuses the same things everywhere:

- **Redirects are never followed.** A redirect would carry the API key or the basic-auth
  credentials to wherever the ``Location`` points; the caller reports it instead.
- **Deadline**: each attempt, from connecting to the last byte of the answer, ends within
  ``deadline`` seconds, however slowly the server trickles its bytes (``timeout`` alone
  is per read).
- **Body cap**: an answer longer than ``max_body`` bytes (after decompression) is refused
  as it arrives, before it can fill the memory.

:class:`Retrying` tries again with exponential backoff and full jitter, waiting at least what
``Retry-After`` asks, until ``max_attempts`` or ``max_wait`` seconds of waiting are spent;
each caller says which failures are worth it (:mod:`kg.sources.api_client` for a JSON API,
:mod:`kg.sparql.push` for uploads).

Everything is synchronous on purpose: requests are rate limited and sent one after the
other, so concurrency would buy nothing and cost determinism.
"""

from __future__ import annotations

import email.utils
import functools
import json
import logging
import math
import os
import random
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx

from kg import __version__

__all__ = [
    "API_KEY_ENV",
    "AttemptFailed",
    "GaveUp",
    "NetworkPolicy",
    "Reply",
    "Retrying",
    "Session",
    "api_key_from_env",
    "origin",
    "parse_json",
    "retry_after_seconds",
    "shown",
]

log = logging.getLogger(__name__)

API_KEY_ENV = "S2_API_KEY"
USER_AGENT = f"kg/{__version__} (+https://w3id.org/kg)"
T = TypeVar("T")


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
    """Seconds to wait for each read, write and pool wait."""
    connect_timeout: float = 5.0
    deadline: float = 120.0
    """Seconds one attempt may take in all, from connecting to the answer's last byte."""
    max_body: int = 32 * 2**20
    """Bytes an answer may have at most (Semantic Scholar caps its answers at 10 MB)."""
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
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def parse_json(text: str | bytes) -> Any:
    """JSON as the standard defines it: ``NaN``, ``Infinity`` and numbers too large for a
    float are refused, and so is nesting too deep to parse; each raises ValueError.

    >>> parse_json('{"n": 1}')
    {'n': 1}
    >>> parse_json('{"n": Infinity}')
    Traceback (most recent call last):
    ValueError: not JSON: Infinity
    >>> parse_json("[" * 100_000)
    Traceback (most recent call last):
    ValueError: not JSON: nested too deep
    """
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        raise ValueError("not JSON: nested too deep") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"not JSON: {name}")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"not JSON: {text} is too large for a number")
    return value


# --- one exchange -----------------------------------------------------------------------


class AttemptFailed(Exception):
    """One attempt failed. ``retryable``: another attempt may fix it; ``connection``: no
    connection was made, so nothing was sent (safe to retry even a non-idempotent request)."""

    def __init__(
        self, reason: str, *, retryable: bool = True, connection: bool = False,
        wait: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.connection = connection
        self.wait = wait
        """Seconds the server asked to wait (``Retry-After``)."""


@dataclass(frozen=True)
class Reply:
    """What a server answered, whatever the status, read in full."""

    status: int
    headers: httpx.Headers
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def is_redirect(self) -> bool:
        return 300 <= self.status < 400 and self.status != 304


class Session:
    """An httpx client under a :class:`NetworkPolicy`: redirects never followed, every
    attempt within the deadline and the body cap. One connection pool for its lifetime."""

    def __init__(
        self,
        policy: NetworkPolicy,
        *,
        headers: dict[str, str] | None = None,
        auth: httpx.Auth | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.policy = policy
        self._client = httpx.Client(
            headers={"user-agent": USER_AGENT, **(headers or {})},
            auth=auth,
            timeout=httpx.Timeout(min(policy.timeout, policy.deadline), connect=policy.connect_timeout),
            transport=transport,
            follow_redirects=False,
            verify=_tls_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")),
        )
        self._stream: Any = None
        """The connection in use (httpcore's network stream), for the deadline to cut."""

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def exchange(
        self, method: str, url: str, *, content: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """Send one request and read its whole answer; raise :class:`AttemptFailed` when
        no complete answer came within the policy's limits."""
        cut = threading.Event()
        watchdog = threading.Timer(self.policy.deadline, self._cut, args=(cut,))
        watchdog.daemon = True
        watchdog.start()
        try:
            reply = self._exchange(method, url, content, headers)
        except AttemptFailed:
            raise
        except Exception as err:
            if cut.is_set():
                raise self._overdue() from err
            raise _failure(err, self.policy) from err
        finally:
            watchdog.cancel()
        if cut.is_set():  # an answer without a length, ended by the cut: not complete
            raise self._overdue()
        return reply

    def _exchange(
        self, method: str, url: str, content: bytes | None, headers: dict[str, str] | None
    ) -> Reply:
        request = self._client.build_request(
            method, url, content=content, headers=headers, extensions={"trace": self._trace}
        )
        response = self._client.send(request, stream=True)
        try:
            cap = self.policy.max_body
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                raise _too_large(declared, cap)
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > cap:
                    raise _too_large(None, cap)
                chunks.append(chunk)
        finally:
            response.close()
        return Reply(response.status_code, response.headers, b"".join(chunks), url)

    def _trace(self, event: str, info: dict[str, Any]) -> None:
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            self._stream = info.get("return_value")

    def _cut(self, cut: threading.Event) -> None:
        """The deadline passed: shut the connection, which ends any read or write at once."""
        cut.set()
        sock = self._stream.get_extra_info("socket") if self._stream is not None else None
        if isinstance(sock, socket.socket):
            try:  # the plain socket call, also under TLS: it ends the blocked read
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def _overdue(self) -> AttemptFailed:
        return AttemptFailed(f"no complete answer within the {self.policy.deadline:g} s deadline")


@functools.cache
def _tls_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    """The certificates httpx would trust (``SSL_CERT_FILE``, else ``SSL_CERT_DIR``, else
    certifi's), loaded once per process: httpx loads them again for every client, 25 ms each,
    and a build opens a client per service it talks to. A context is safe to share."""
    if cert_file:
        return ssl.create_default_context(cafile=cert_file)
    if cert_dir:
        return ssl.create_default_context(capath=cert_dir)
    import certifi  # httpx's own dependency, imported only where TLS is set up

    return ssl.create_default_context(cafile=certifi.where())


def _too_large(declared: str | None, cap: int) -> AttemptFailed:
    size = f"{int(declared):,} bytes" if declared else "more"
    return AttemptFailed(f"the answer is too large ({size}; at most {cap:,} are read)", retryable=False)


def _failure(err: Exception, policy: NetworkPolicy) -> AttemptFailed:
    """An attempt's exception as a failure to report or retry."""
    if isinstance(err, (httpx.ConnectError, httpx.ConnectTimeout)):
        return AttemptFailed(f"cannot connect ({err or type(err).__name__})", connection=True)
    if isinstance(err, httpx.TimeoutException):
        return AttemptFailed(f"no answer within {policy.timeout:g} s ({type(err).__name__})")
    if isinstance(err, httpx.TransportError):  # dropped connection, body cut short
        return AttemptFailed(f"connection broken ({err or type(err).__name__})")
    if isinstance(err, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return AttemptFailed(f"not a URL kg can send to ({err})", retryable=False)
    raise err


# --- retries ----------------------------------------------------------------------------


class GaveUp(Exception):
    """Retrying did not help: the last failure, and what was spent on it."""

    def __init__(self, last: AttemptFailed, attempts: int, waited: float, note: str = "") -> None:
        super().__init__(last.reason)
        self.last = last
        self.attempts = attempts
        self.waited = waited
        self.note = note
        """Why retrying stopped early (the server asked to wait longer than allowed)."""

    def describe(self, what: str) -> str:
        """``what: gave up after N attempt(s) and S s of waiting (last: …)``."""
        return (
            f"{what}: gave up after {self.attempts} attempt(s) and {self.waited:.0f} s of "
            f"waiting (last: {self.last.reason}{self.note})"
        )


class Retrying:
    """Exponential backoff with full jitter, at least what ``Retry-After`` asks, within the
    policy's attempts and total wait. ``sleep`` and ``rng`` are injectable for tests."""

    def __init__(
        self, policy: NetworkPolicy, *, sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.policy = policy
        self._sleep = sleep
        self._rng = rng or random.Random()
        self.retries = 0

    def run(
        self, attempt: Callable[[], T], *, describe: str,
        retry: Callable[[AttemptFailed], bool] = lambda failure: failure.retryable,
    ) -> T:
        """``attempt()`` until it returns; raise :class:`GaveUp` when a failure is not to be
        retried (``retry``) or attempts or waiting time are spent."""
        waited = 0.0
        for number in range(1, self.policy.max_attempts + 1):
            try:
                return attempt()
            except AttemptFailed as failure:
                if not retry(failure) or number == self.policy.max_attempts:
                    raise GaveUp(failure, number, waited) from None
                delay = self._backoff(number, failure.wait)
                if waited + delay > self.policy.max_wait:
                    note = ""
                    if failure.wait is not None and failure.wait > self.policy.max_wait - waited:
                        note = f"; the server asks to wait {failure.wait:.0f} s"
                    raise GaveUp(failure, number, waited, note) from None
                self.retries += 1
                log.info("%s: %s; retrying in %.1f s", describe, failure.reason, delay)
                self._sleep(delay)
                waited += delay
        raise AssertionError("unreachable: max_attempts must be at least 1")

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        ceiling = min(self.policy.backoff_cap, self.policy.backoff_base * 2 ** (attempt - 1))
        jittered = self._rng.uniform(0, ceiling)
        return max(jittered, retry_after) if retry_after is not None else jittered


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL.

    >>> origin("http://127.0.0.1:8080/graph/v1/paper/x?fields=title")
    'http://127.0.0.1:8080'
    """
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}"


def shown(url: str) -> str:
    """A URL short enough for a message: a long list of ``fields`` elided, then cut.

    >>> shown("http://h/p/x/references?fields=" + "title," * 40 + "year&offset=1000&limit=1000")
    'http://h/p/x/references?fields=...&offset=1000&limit=1000'
    """
    if len(url) > 160:
        url = re.sub(r"(?<=[?&]fields=)[^&]{20,}", "...", url)
    return url if len(url) <= 160 else url[:157] + "..."
