"""The SQLite response cache: keyed by request, dated, atomic, clear when it cannot be used."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kg.errors import CacheError
from kg.sources.cache import CACHE_FILE, CachedResponse, ResponseCache, request_key

ANSWER = CachedResponse(200, '{"paperId": "abc"}', "http://127.0.0.1:9/graph/v1/paper/x?fields=title", "2026-01-02T03:04:05Z")


def test_an_answer_is_kept_with_its_url_and_date(tmp_path: Path) -> None:
    key = request_key("GET", "/graph/v1/paper/x?fields=title")
    with ResponseCache(tmp_path / CACHE_FILE) as cache:
        cache.put(key, "GET", ANSWER)
    with ResponseCache(tmp_path / CACHE_FILE) as cache:
        assert cache.get(key) == ANSWER
        assert len(cache) == 1


def test_the_key_is_the_method_the_url_below_the_root_and_the_body() -> None:
    base = request_key("POST", "/graph/v1/paper/batch?fields=title", b'{"ids":["a"]}')
    assert base == request_key("post", "/graph/v1/paper/batch?fields=title", b'{"ids":["a"]}')
    assert base != request_key("POST", "/graph/v1/paper/batch?fields=title", b'{"ids":["b"]}')
    assert base != request_key("POST", "/graph/v1/paper/batch?fields=year", b'{"ids":["a"]}')
    assert base != request_key("GET", "/graph/v1/paper/batch?fields=title", b'{"ids":["a"]}')


def test_many_answers_are_written_in_one_transaction(tmp_path: Path) -> None:
    rows = [(request_key("GET", f"/p/{n}"), "GET", ANSWER) for n in range(3)]
    broken = [*rows, (None, "GET", ANSWER)]  # a NULL key violates the schema halfway through
    with ResponseCache(tmp_path / CACHE_FILE) as cache:
        with pytest.raises(CacheError):
            cache.put_many(broken)  # type: ignore[arg-type]
        assert len(cache) == 0  # none of the batch, not the first three
        cache.put_many(rows)
        assert len(cache.get_many([k for k, _, _ in rows])) == 3
        assert cache.keys() == sorted(k for k, _, _ in rows)


def test_age_is_measured_from_the_retrieval_date() -> None:
    now = datetime(2026, 1, 10, tzinfo=UTC)
    assert ANSWER.older_than(timedelta(days=7), now)
    assert not ANSWER.older_than(timedelta(days=30), now)
    assert replace(ANSWER, retrieved="yesterday").older_than(timedelta(days=999), now)


def test_the_cache_tells_the_time_by_its_clock(tmp_path: Path) -> None:
    """Time passes when the test says so: no sleeping to make an answer old."""
    now = datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC)
    with ResponseCache(tmp_path / CACHE_FILE, clock=lambda: now) as cache:
        assert cache.now() == "2026-01-02T03:04:05Z" == ANSWER.retrieved
        assert not cache.is_older_than(ANSWER, timedelta(seconds=1))
        now += timedelta(seconds=2)
        assert cache.is_older_than(ANSWER, timedelta(seconds=1))
        assert not cache.is_older_than(ANSWER, timedelta(seconds=3))


def test_a_file_that_is_not_a_cache_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / CACHE_FILE
    path.write_text("not a database, but a note about one\n" * 100)
    with pytest.raises(CacheError, match=rf"{CACHE_FILE}.*--cache"):
        ResponseCache(path)


def test_a_cache_from_another_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / CACHE_FILE
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version=99")
    with pytest.raises(CacheError, match="schema 99"):
        ResponseCache(path)


def test_offline_opens_no_cache_that_does_not_exist(tmp_path: Path) -> None:
    assert ResponseCache.in_dir(tmp_path / "none", create=False) is None
    assert not (tmp_path / "none").exists()
    cache = ResponseCache.in_dir(tmp_path / "made")
    assert cache is not None and cache.path == tmp_path / "made" / CACHE_FILE
    cache.close()


def test_the_default_place_is_the_user_cache_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache = ResponseCache.in_dir(None)
    assert cache is not None and cache.path == tmp_path / "kg" / CACHE_FILE
    cache.close()
