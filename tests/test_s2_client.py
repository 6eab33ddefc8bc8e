"""What kg plugs into the ``semanticscholar`` client (0.12.x), one test per client bug it
works around (``kg/sources/semantic_scholar/client.py`` lists them), through real HTTP to
the local Graph API server (synthetic data), and the rule that only that module imports it.
"""

from __future__ import annotations

import ast
import asyncio
import json
import logging
import random
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from s2server import FakeS2Server, Faults

import kg
from kg.errors import AuthError, FetchError
from kg.sources.api_client import ApiClient
from kg.sources.cache import CACHE_FILE, ResponseCache
from kg.sources.http import NetworkPolicy
from kg.sources.semantic_scholar import S2Settings
from kg.sources.semantic_scholar.answers import Answers, NotFound
from kg.sources.semantic_scholar.client import Client, Page
from kg.sources.semantic_scholar.shapes import check_author, check_page, check_paper

T = TypeVar("T")
FAST = NetworkPolicy(rate=float("inf"), backoff_base=0.01, backoff_cap=0.05, max_attempts=3, timeout=5)
ARXIV = "ARXIV:2101.00001"


class Sleeps:
    """The waits the policy asks for, observed without being spent."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@contextmanager
def plugged(url: str, tmp_path: Path, policy: NetworkPolicy = FAST, sleep: Sleeps | None = None) -> Iterator[Client]:
    settings = S2Settings(mode="online", api_url=url, cache_dir=tmp_path, network=policy)
    with ResponseCache(tmp_path / CACHE_FILE) as cache, ApiClient(
        policy, sleep=sleep or Sleeps(), rng=random.Random(1)
    ) as http:
        yield Client(Answers(settings, cache, http))


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """The coroutine's result, from a thread of its own (a browser test may leave a loop
    running in this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def first_page(client: Client, paper_id: str, direction: str = "references") -> Page:
    pages = client.pages(paper_id, direction, ["title", "paperId"])  # type: ignore[arg-type]
    try:
        return await anext(pages)
    finally:
        await pages.aclose()


def test_client_bug_only_429_is_retried_and_retry_after_is_ignored(tmp_path: Path) -> None:
    """The client retries 429 alone, for up to 251 s, without reading Retry-After."""
    sleeps = Sleeps()
    faults = Faults(script={1: 503, 2: 429, 3: 500}, retry_after="7")
    policy = NetworkPolicy(rate=float("inf"), backoff_base=0.01, max_attempts=5)
    with FakeS2Server(faults=faults) as server, plugged(server.url, tmp_path, policy, sleeps) as client:
        papers = run(client.papers([ARXIV], ["title"]))
    assert papers[0] is not None and papers[0]["title"].startswith("Synthetic paper")
    assert [s.status for s in server.seen] == [503, 429, 500, 200]
    assert sleeps.waits[1] >= 7 and max(sleeps.waits[0], sleeps.waits[2]) < 1


@pytest.mark.parametrize("status", [502, 503])
def test_client_bug_a_server_error_becomes_an_empty_result(tmp_path: Path, status: int) -> None:
    """The client answers 502 and 503 (and 401) with an empty dict, as if nothing were known."""
    with FakeS2Server(faults=Faults(script=dict.fromkeys(range(1, 10), status))) as server:
        with plugged(server.url, tmp_path) as client, pytest.raises(FetchError, match=f"HTTP {status}"):
            run(client.papers([ARXIV], ["title"]))
    with ResponseCache(tmp_path / CACHE_FILE) as cache:
        assert len(cache) == 0


def test_client_bug_a_401_becomes_an_empty_result(tmp_path: Path) -> None:
    with FakeS2Server(faults=Faults(script={1: 401})) as server:
        with plugged(server.url, tmp_path) as client, pytest.raises(AuthError):
            run(client.papers([ARXIV], ["title"]))


def test_client_bug_no_api_key_on_citations_and_references(tmp_path: Path) -> None:
    """The client sends its key on search and batch calls, not on paginated sub-resources."""
    policy = NetworkPolicy(api_key="synthetic-key", rate=float("inf"))
    with FakeS2Server(api_key="synthetic-key") as server, plugged(server.url, tmp_path, policy) as client:
        (paper,) = run(client.papers([ARXIV], ["paperId"]))
        assert paper is not None
        for direction in ("citations", "references"):
            run(first_page(client, paper["paperId"], direction))
    assert [s.target.split("?")[0].rsplit("/", 1)[-1] for s in server.seen] == ["batch", "citations", "references"]
    assert {(s.api_key, s.status) for s in server.seen} == {("synthetic-key", 200)}


def test_client_bug_ids_go_into_paths_unencoded(tmp_path: Path) -> None:
    """The client requests DOI:10.1000/a#b as /paper/DOI:10.1000/a: the rest is cut off."""
    with FakeS2Server() as server, plugged(server.url, tmp_path) as client:
        with pytest.raises(NotFound, match="not found"):
            run(first_page(client, "DOI:10.1000/a#b?c=d"))
    assert server.seen[0].target.startswith("/graph/v1/paper/DOI:10.1000/a%23b%3Fc%3Dd/references?")


def test_client_bug_queries_go_into_urls_unencoded(tmp_path: Path) -> None:
    """The client sends a title "a & b + c#d" as query=a (the rest becomes other parameters)."""
    title = "Synthetic a & b + c#d = 100% ?"
    with FakeS2Server() as server, plugged(server.url, tmp_path) as client:
        match = run(client.title_match(title, ["title", "paperId"]))
    assert match is not None and match["title"] == title  # the server heard the whole title


def test_client_bug_its_constructor_configures_the_root_logger(tmp_path: Path) -> None:
    """SemanticScholar() runs logging.basicConfig, giving a library user's process a root
    handler it never asked for (and making the user's own basicConfig a no-op)."""
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    for handler in saved:  # basicConfig does nothing where handlers exist: start without
        root.removeHandler(handler)
    try:
        with plugged("http://127.0.0.1:9", tmp_path):
            assert root.handlers == [] and root.level == level
    finally:
        for handler in saved:
            root.addHandler(handler)
        root.setLevel(level)


def test_client_bug_batch_calls_drop_the_nulls(tmp_path: Path) -> None:
    """get_papers drops the nulls of a batch answer, and with them which id each answer is for."""
    from s2server import SyntheticApi

    ids = [ARXIV, "ARXIV:2101.99999", "ARXIV:2101.00002"]
    with FakeS2Server(SyntheticApi(missing=frozenset({ids[1]}))) as server, plugged(server.url, tmp_path) as client:
        papers = run(client.papers(ids, ["externalIds"]))
        again = run(client.papers(list(reversed(ids)), ["externalIds"]))  # from the cache
    assert [p and p["externalIds"]["ArXiv"] for p in papers] == ["2101.00001", None, "2101.00002"]
    assert [p and p["externalIds"]["ArXiv"] for p in again] == ["2101.00002", None, "2101.00001"]
    assert len(server.seen) == 1


def test_client_bug_its_paper_model_fails_on_an_author_that_is_not_an_object(tmp_path: Path) -> None:
    """Paper({"authors": [null, 1]}) raises TypeError inside search_paper."""
    with FakeS2Server(hostile={"match-bad-authors"}) as server, plugged(server.url, tmp_path) as client:
        with pytest.raises(FetchError, match=r"search/match.*malformed.*authors\[0\]: null"):
            run(client.title_match("Synthetic title", ["title", "authors"]))


def test_client_bug_its_pager_spins_on_a_page_without_data(tmp_path: Path) -> None:
    """PaginatedResults asks for the same page for ever when an answer has no data list."""
    with FakeS2Server(hostile={"page-list"}) as server, plugged(server.url, tmp_path) as client:
        (paper,) = run(client.papers([ARXIV], ["paperId"]))
        assert paper is not None
        with pytest.raises(FetchError, match=r"references.*malformed.*a list, not an object"):
            run(first_page(client, paper["paperId"]))
    assert len(server.seen) == 2


def test_only_the_client_module_imports_semanticscholar() -> None:
    package = Path(kg.__file__).parent
    allowed = package / "sources" / "semantic_scholar" / "client.py"
    importers = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            )
            if any(n == "semanticscholar" or n.startswith("semanticscholar.") for n in names):
                importers.append(path)
    assert set(importers) == {allowed}


def test_real_answers_pass_the_shape_checks() -> None:
    """The shapes refuse nothing the real API sends: recorded answers (the shared data)."""
    found = [p / "shared" / "data" / "s2-recordings" for p in Path(__file__).resolve().parents]
    recordings = next((p for p in found if p.is_dir()), None)
    if recordings is None:
        pytest.skip("the shared data folder is not beside this checkout")
    check_paper(json.loads((recordings / "Paper.json").read_text("utf-8")))
    check_paper(json.loads((recordings / "PaperWithNullValues.json").read_text("utf-8")))
    check_author(json.loads((recordings / "Author.json").read_text("utf-8")))
    for name, far_end in (("Citation.json", "citingPaper"), ("Reference.json", "citedPaper")):
        edge = json.loads((recordings / name).read_text("utf-8"))
        check_page({"offset": 0, "data": [edge]}, 0, far_end)
