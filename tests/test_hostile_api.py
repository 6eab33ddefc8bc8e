"""Poisoned answers from the Graph API (issue 12, items 7-9), each hostile mode of the local
server (``tests/s2server.py``, synthetic data) driven through the Semantic Scholar stage.

A malformed answer is a clean error naming the request and is not cached (the next build
asks again); a value the graph cannot hold is left out; a cached answer that is malformed or
not JSON is treated as absent. Nothing hangs: the runs that used to spin for ever run under
a watchdog that fails the test instead.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
import pytest
from s2server import HOSTILE_MODES, FakeS2Server, SyntheticApi

from kg.errors import FetchError
from kg.identify.entries import identify_entries
from kg.model.records import Corpus
from kg.pipeline import BuildSettings, build
from kg.read.markdown import read_reading_list
from kg.sources.cache import CACHE_FILE
from kg.sources.http import NetworkPolicy
from kg.sources.semantic_scholar import FetchReport, S2Settings, SemanticScholarSource

T = TypeVar("T")

LIST = """\
# Synthetic field (a test list; every id here is made up)

## Papers
- [Deep synthetic networks](https://arxiv.org/abs/2101.00001)
- [A Synthetic Paper Known Only By Its Title](https://example.org/files/paper.pdf)
"""
FAST = NetworkPolicy(rate=float("inf"), backoff_base=0.01, backoff_cap=0.02, max_attempts=2, timeout=5)


def api() -> SyntheticApi:
    return SyntheticApi(typical=8, pool=500, big_every=10**9)


def within(seconds: float, action: Callable[[], T]) -> T:
    """``action()``, or a failure if it has not ended after ``seconds`` (a hang)."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(action())
        except BaseException as err:  # noqa: BLE001 - handed back to the test's thread
            failure.append(err)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        pytest.fail(f"still running after {seconds} s: it hangs")
    if failure:
        raise failure[0]
    return outcome[0]


def enrich(path: Path, url: str, cache: Path, mode: str = "online") -> tuple[Corpus, FetchReport]:
    corpus = Corpus(reading_list=read_reading_list(path))
    identify_entries(corpus)
    s2 = S2Settings(mode=mode, api_url=url, cache_dir=cache, network=FAST, max_citations=50)  # type: ignore[arg-type]
    return corpus, within(20, lambda: SemanticScholarSource(s2).enrich(corpus))


def cached_urls(cache: Path) -> list[str]:
    with sqlite3.connect(cache / CACHE_FILE) as db:
        return [url for (url,) in db.execute("SELECT url FROM responses ORDER BY url")]


@pytest.fixture
def reading_list(tmp_path: Path) -> Path:
    path = tmp_path / "synthetic.md"
    path.write_text(LIST, encoding="utf-8")
    return path


MALFORMED = {
    # mode: (the request named in the error, what the error says)
    "batch-without-paper-id": (r"POST \S+/paper/batch", r"malformed answer \(item 0 \(ARXIV:2101.00001\)\.paperId: None"),
    "page-data-string": (r"GET \S+/references", r"malformed answer \(the answer is an object, not an object with a data list"),
    "page-items-not-objects": (r"GET \S+/references", r"malformed answer \(data\[0\]: an integer, not an object"),
    "page-list": (r"GET \S+/references", r"malformed answer \(the answer is a list"),
    "page-same-offset": (r"GET \S+/references\?\S+offset=1000", r"malformed answer \(offset 0 where 1000 was asked for"),
    "match-bad-authors": (r"GET \S+/search/match", r"malformed answer \(data\[0\]\.authors\[0\]: null"),
    "infinite-count": (r"POST \S+/paper/batch", r"not valid JSON"),
    "deep-nesting": (r"POST \S+/paper/batch", r"not valid JSON"),
    "not-json": (r"POST \S+/paper/batch", r"not valid JSON"),
}


@pytest.mark.parametrize("mode", sorted(MALFORMED))
def test_a_malformed_answer_is_a_clean_error_and_is_asked_again(reading_list: Path, tmp_path: Path, mode: str) -> None:
    request, says = MALFORMED[mode]
    cache = tmp_path / "cache"
    with FakeS2Server(api(), hostile={mode}) as server:
        with pytest.raises(FetchError, match=f"{request}.*{says}"):
            enrich(reading_list, server.url, cache)
        poisoned = [s.target for s in server.seen][-1]
    urls = cached_urls(cache)
    assert not any(url.endswith(poisoned) for url in urls)  # not cached …
    if "/paper/batch" in poisoned:  # … nor any item of it
        assert not any("/paper/ARXIV:2101.00001?" in url for url in urls)
    with FakeS2Server(api()) as server:
        corpus, report = enrich(reading_list, server.url, cache)
    assert report.resolved == 2 and not corpus.unresolved
    assert poisoned in [s.target for s in server.seen]  # not taken from the cache: asked again


def test_every_hostile_mode_is_driven_by_a_test() -> None:
    wire = {"trickle", "huge", "redirect"}  # tests/test_http.py
    values = {"bad-identifiers", "negative-counts", "huge-values"}  # below
    assert set(HOSTILE_MODES) == set(MALFORMED) | wire | values


def test_values_the_graph_cannot_hold_are_left_out(reading_list: Path, tmp_path: Path) -> None:
    """DOIs like 10.1/x0, author ids with a quote or letters, ORCIDs with a quote and counts
    below zero never reach the graph: the build conforms to its shapes."""
    with FakeS2Server(api(), hostile={"bad-identifiers", "negative-counts"}) as server:
        s2 = S2Settings(mode="online", api_url=server.url, cache_dir=tmp_path / "cache", network=FAST, max_citations=20)
        result = within(60, lambda: build(BuildSettings(list_path=reading_list, out_dir=tmp_path / "out", html=False, s2=s2)))
    assert result.report is not None and result.report.conforms, result.report.violations[:3]
    turtle = result.turtle_path.read_text(encoding="utf-8")
    assert "10.1/x0" not in turtle and '1\\"2' not in turtle and "orcid.org" not in turtle
    store = ox.Store()
    store.load(path=str(result.turtle_path), format=ox.RdfFormat.TURTLE)
    ids = {s["id"].value for s in store.query(  # type: ignore[union-attr]
        "SELECT ?id WHERE { ?p <https://w3id.org/kg/ontology#s2AuthorId> ?id }")}
    assert ids == set()  # every author id the server sent was poisoned
    names = store.query("ASK { ?w <http://purl.org/dc/terms/creator> ?p . ?p <http://xmlns.com/foaf/0.1/name> ?n }")
    assert names  # the people are still there, by name
    counts = store.query("ASK { ?w <https://w3id.org/kg/ontology#citationCount> ?n FILTER(?n < 0) }")
    assert not counts


def test_a_text_longer_than_kg_takes_is_left_out_and_the_build_goes_on(
    reading_list: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A 17 MiB title fits in an answer (32 MiB) but in no RDF term pyoxigraph holds (16 MiB):
    it stopped the Turtle writer with MemoryError, and every build after it, from the cache."""
    cache = tmp_path / "cache"
    with FakeS2Server(api(), hostile={"huge-values"}) as server:
        s2 = S2Settings(mode="online", api_url=server.url, cache_dir=cache, network=FAST, max_citations=0)
        first = within(60, lambda: build(BuildSettings(list_path=reading_list, out_dir=tmp_path / "out", s2=s2)))
    assert first.report is not None and first.report.conforms
    assert "a text of 17,825,790 characters in an answer of Semantic Scholar, left out" in caplog.text
    assert max(map(len, first.turtle_path.read_text(encoding="utf-8").splitlines())) < 10_000
    warm = S2Settings(mode="online", api_url="http://127.0.0.1:9", cache_dir=cache, network=FAST, max_citations=0)
    again = build(BuildSettings(list_path=reading_list, out_dir=tmp_path / "again", html=False, s2=warm))
    assert again.turtle_path.read_bytes() == first.turtle_path.read_bytes()  # from the cache, the same


def test_a_cached_answer_that_is_malformed_or_not_json_is_absent(reading_list: Path, tmp_path: Path) -> None:
    """Offline, a poisoned cache row used to spin the pager for ever ([1, 2, 3]) or raise
    JSONDecodeError on every build; now it is missing, and online it is asked again."""
    cache = tmp_path / "cache"
    with FakeS2Server(api()) as server:
        enrich(reading_list, server.url, cache)
    with sqlite3.connect(cache / CACHE_FILE) as db:
        db.execute("UPDATE responses SET body = '[1, 2, 3]' WHERE url LIKE '%/references?%'")
        db.execute("UPDATE responses SET body = 'not JSON {' WHERE url LIKE '%/paper/ARXIV:2101.00001?%'")
        poisoned = db.total_changes
    assert poisoned >= 2
    corpus, report = enrich(reading_list, "http://127.0.0.1:9", cache, mode="offline")
    reasons = {e.title: corpus.unresolved.get(e.key) for e in corpus.entries}
    assert reasons["Deep synthetic networks"] == "offline, and the cache does not hold it"
    assert report.resolved == 1 and report.not_cached >= 1
    with FakeS2Server(api()) as server:
        corpus, report = enrich(reading_list, server.url, cache)
    asked = [s.target.split("?")[0].rsplit("/", 1)[-1] for s in server.seen]
    assert report.resolved == 2 and sorted(set(asked)) == ["batch", "references"]
    assert asked.count("references") == poisoned - 1
    _, warm = enrich(reading_list, "http://127.0.0.1:9", cache, mode="offline")
    assert warm.resolved == 2 and warm.not_cached == 0  # the rows were mended
