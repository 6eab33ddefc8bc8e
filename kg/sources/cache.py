"""Every answer of the API kept on disk, so that a rebuild asks nothing twice.

One SQLite file, ``semantic-scholar.sqlite3``, in the user cache directory by default
(``~/.cache/kg`` on Linux) or wherever ``--cache DIR`` says. One row per request:

========== ==============================================================================
key        SHA-256 of the method, the path and query *below the API root*, and the body:
           the same request to a mirror of the API (``--api-url``) finds the same row
url        the full URL the answer came from (it becomes the provenance of the facts)
status     200, or 404 (a definitive "no such thing"); failures are never stored
body       the answer as the API sent it (JSON text)
retrieved  when it arrived, ISO 8601 UTC
========== ==============================================================================

Each answer is committed in its own transaction as soon as it arrives, and the journal is
in WAL mode, so Ctrl-C or ``kill -9`` loses at most the requests in flight and the file is
never left half-written.

The cache tells the time through its ``clock`` (UTC now by default): it dates the answers
stored and decides which are too old, so a test hands in a clock instead of waiting.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import platformdirs

from kg.errors import CacheError

__all__ = [
    "CACHE_FILE", "CachedResponse", "Clock", "ResponseCache", "default_cache_dir", "request_key",
    "utc_now",
]

log = logging.getLogger(__name__)

CACHE_FILE = "semantic-scholar.sqlite3"
_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    retrieved TEXT NOT NULL
) WITHOUT ROWID
"""
_CHUNK = 500  # keys per SELECT … IN (…), well under SQLite's limit on parameters

Clock = Callable[[], datetime]
"""Tells the time: an aware datetime in UTC."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def default_cache_dir() -> Path:
    """Where the cache lives unless ``--cache`` says otherwise."""
    return platformdirs.user_cache_path("kg")


def request_key(method: str, relative_url: str, body: bytes | None = None) -> str:
    """The cache key of a request: method, URL below the API root, and body.

    >>> request_key("GET", "/graph/v1/paper/x?fields=title")[:12]
    '1c74a7aba8a1'
    """
    digest = hashlib.sha256(f"{method.upper()} {relative_url}\n".encode())
    if body:
        digest.update(body)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class CachedResponse:
    status: int
    body: str
    url: str
    retrieved: str

    def older_than(self, age: timedelta, now: datetime) -> bool:
        """Whether this answer is older than ``age`` at ``now`` (an unreadable date counts
        as old).

        >>> answer = CachedResponse(200, "{}", "http://x", "2026-01-01T00:00:00Z")
        >>> answer.older_than(timedelta(days=1), datetime(2026, 1, 3, tzinfo=UTC))
        True
        """
        try:
            when = datetime.fromisoformat(self.retrieved.replace("Z", "+00:00"))
        except ValueError:
            return True
        if when.tzinfo is None:
            return True
        return now - when > age


class ResponseCache:
    """The SQLite file of answers. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: Path, *, clock: Clock = utc_now) -> None:
        self.path = Path(path)
        self.clock = clock
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # One thread at a time, but not always the one that opened it (see
            # kg.sources.semantic_scholar.run._run_to_end).
            self._db = sqlite3.connect(
                self.path, isolation_level=None, timeout=30, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode survives a killed process (not a power cut), at a fraction
            # of FULL's cost per commit.
            self._db.execute("PRAGMA synchronous=NORMAL")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, _SCHEMA_VERSION):
                raise CacheError(
                    f"{self.path}: written by another version of kg (schema {version}); "
                    "delete it or choose another directory with --cache"
                )
            self._db.execute(_SCHEMA)
            self._db.execute(f"PRAGMA user_version={_SCHEMA_VERSION}")
        except (sqlite3.Error, OSError) as err:
            raise CacheError(
                f"{self.path}: cannot open the response cache ({err}); delete it or choose "
                "another directory with --cache"
            ) from err

    @classmethod
    def in_dir(
        cls, directory: Path | None, *, create: bool = True, clock: Clock = utc_now
    ) -> ResponseCache | None:
        """The cache of ``directory`` (default: the user cache directory); None when it does
        not exist and ``create`` is False (an offline build creates nothing)."""
        path = (directory if directory is not None else default_cache_dir()) / CACHE_FILE
        if not create and not path.is_file():
            return None
        return cls(path, clock=clock)

    def now(self) -> str:
        """The time by the cache's clock, as answers are dated: ``2026-01-01T12:00:00Z``."""
        return self.clock().astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")

    def is_older_than(self, answer: CachedResponse, age: timedelta) -> bool:
        """Whether ``answer`` is older than ``age`` by the cache's clock."""
        return answer.older_than(age, self.clock())

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ResponseCache:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def keys(self) -> list[str]:
        """The keys of every answer held."""
        try:
            return [key for (key,) in self._db.execute("SELECT key FROM responses ORDER BY key")]
        except sqlite3.Error as err:
            raise CacheError(f"{self.path}: cannot read the response cache ({err})") from err

    def get(self, key: str) -> CachedResponse | None:
        return self.get_many([key]).get(key)

    def get_many(self, keys: Sequence[str]) -> dict[str, CachedResponse]:
        found: dict[str, CachedResponse] = {}
        try:
            for start in range(0, len(keys), _CHUNK):
                chunk = list(keys[start : start + _CHUNK])
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, status, body, url, retrieved FROM responses WHERE key IN ({marks})",
                    chunk,
                )
                for key, status, body, url, retrieved in rows:
                    found[key] = CachedResponse(status, body, url, retrieved)
        except sqlite3.Error as err:
            raise CacheError(f"{self.path}: cannot read the response cache ({err})") from err
        return found

    def put(self, key: str, method: str, response: CachedResponse) -> None:
        self.put_many([(key, method, response)])

    def put_many(self, rows: Iterable[tuple[str, str, CachedResponse]]) -> None:
        """Store answers in one transaction: all of them are kept, or none."""
        values = [(k, m, r.url, r.status, r.body, r.retrieved) for k, m, r in rows]
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO responses (key, method, url, status, body, retrieved) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    values,
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as err:
            raise CacheError(f"{self.path}: cannot write the response cache ({err})") from err
